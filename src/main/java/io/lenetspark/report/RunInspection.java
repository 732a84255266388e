package io.lenetspark.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lenetspark.data.MnistSchema;
import io.lenetspark.evaluation.ClassificationReport;
import io.lenetspark.evaluation.TestPredictions;
import io.lenetspark.output.RunFolder;
import io.lenetspark.output.RunOutputs;
import io.lenetspark.training.EpochMetrics;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import static org.apache.spark.sql.functions.array_max;
import static org.apache.spark.sql.functions.col;

/**
 * What a run wrote, read back from its folder: the rows each split had and used, the per-epoch
 * metrics, the test evaluation and the most confident mistakes. The report shows exactly what the
 * files hold.
 *
 * @param mistakes  test images classified wrongly, in all
 * @param shown     the most confident of them, most confident first
 */
public record RunInspection(String runId, List<SplitRows> data, List<EpochMetrics> epochs, ClassificationReport test,
                            long mistakes, List<Mistake> shown) {

    /** The rows of one split: read, and used (bad in no way). */
    public record SplitRows(String split, long read, long used) {
    }

    /** A misclassified test image; {@code confidence} is the probability given to {@code predicted}. */
    public record Mistake(long id, int label, int predicted, double confidence, byte[] image) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Reads the run in {@code folder}; {@code maxShown} bounds the mistakes returned with their images. */
    public static RunInspection read(SparkSession spark, RunFolder folder, int maxShown) {
        List<EpochMetrics> epochs = spark.read().parquet(folder.resolve(RunOutputs.METRICS_PARQUET).toString())
                .orderBy("epoch").collectAsList().stream().map(RunInspection::epoch).toList();
        Dataset<Row> wrong = spark.read().parquet(folder.resolve(TestPredictions.FILE).toString())
                .filter(col(MnistSchema.LABEL).notEqual(col("predicted")))
                .withColumn("confidence", array_max(col("probabilities")));
        List<Mistake> shown = wrong.orderBy(col("confidence").desc(), col(MnistSchema.ID))
                .limit(maxShown).collectAsList().stream()
                .map(row -> new Mistake(row.getLong(row.fieldIndex(MnistSchema.ID)),
                        row.getInt(row.fieldIndex(MnistSchema.LABEL)), row.getInt(row.fieldIndex("predicted")),
                        row.getDouble(row.fieldIndex("confidence")), row.getAs(MnistSchema.IMAGE)))
                .toList();
        return new RunInspection(folder.runId(), readDataCheck(folder), epochs, readTestEvaluation(folder),
                wrong.count(), shown);
    }

    private static EpochMetrics epoch(Row row) {
        int loss = row.fieldIndex("loss");
        return new EpochMetrics(row.getInt(row.fieldIndex("epoch")), row.getDouble(row.fieldIndex("seconds")),
                row.getDouble(row.fieldIndex("images_per_second")),
                row.isNullAt(loss) ? Double.NaN : row.getDouble(loss),
                row.getDouble(row.fieldIndex("val_loss")), row.getDouble(row.fieldIndex("val_accuracy")),
                row.getDouble(row.fieldIndex("learning_rate")));
    }

    private static List<SplitRows> readDataCheck(RunFolder folder) {
        List<SplitRows> splits = new ArrayList<>();
        readJson(folder, RunOutputs.DATA_CHECK).get("splits").fields().forEachRemaining(split -> splits.add(
                new SplitRows(split.getKey(), split.getValue().get("rows_read").asLong(),
                        split.getValue().get("rows_used").asLong())));
        return List.copyOf(splits);
    }

    private static ClassificationReport readTestEvaluation(RunFolder folder) {
        JsonNode json = readJson(folder, RunOutputs.TEST_EVALUATION);
        List<ClassificationReport.ClassMetrics> classes = new ArrayList<>();
        for (JsonNode c : json.get("classes")) {
            // NaN (a class never predicted) is written as the string "NaN", which asDouble parses.
            classes.add(new ClassificationReport.ClassMetrics(c.get("label").asInt(), c.get("support").asLong(),
                    c.get("precision").asDouble(), c.get("recall").asDouble(), c.get("f1").asDouble()));
        }
        JsonNode rows = json.get("confusion");
        long[][] confusion = new long[rows.size()][];
        for (int actual = 0; actual < rows.size(); actual++) {
            JsonNode row = rows.get(actual);
            confusion[actual] = new long[row.size()];
            for (int predicted = 0; predicted < row.size(); predicted++) {
                confusion[actual][predicted] = row.get(predicted).asLong();
            }
        }
        return new ClassificationReport(json.get("examples").asLong(), json.get("accuracy").asDouble(),
                json.get("loss").asDouble(), List.copyOf(classes), confusion);
    }

    private static JsonNode readJson(RunFolder folder, String name) {
        try (InputStream in = folder.open(name)) {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + folder.resolve(name), e);
        }
    }
}
