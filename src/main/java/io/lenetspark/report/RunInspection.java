package io.lenetspark.report;

import io.lenetspark.data.MnistSchema;
import io.lenetspark.evaluation.ClassificationReport;
import io.lenetspark.evaluation.TestPredictions;
import io.lenetspark.output.DataCheckFile;
import io.lenetspark.output.MetricsTable;
import io.lenetspark.output.RunFolder;
import io.lenetspark.output.RunJson;
import io.lenetspark.output.RunOutputs;
import io.lenetspark.training.EpochMetrics;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

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

    /** The probability the network gave its prediction. */
    private static final String CONFIDENCE = "confidence";

    /** Reads the run in {@code folder}; {@code maxShown} bounds the mistakes returned with their images. */
    public static RunInspection read(SparkSession spark, RunFolder folder, int maxShown) {
        List<EpochMetrics> epochs = spark.read().parquet(folder.resolve(RunOutputs.METRICS_PARQUET).toString())
                .orderBy(MetricsTable.EPOCH).collectAsList().stream().map(MetricsTable::epoch).toList();
        Dataset<Row> wrong = spark.read().parquet(folder.resolve(RunOutputs.PREDICTIONS).toString())
                .filter(col(MnistSchema.LABEL).notEqual(col(TestPredictions.PREDICTED)))
                .withColumn(CONFIDENCE, array_max(col(TestPredictions.PROBABILITIES)));
        List<Mistake> shown = wrong.orderBy(col(CONFIDENCE).desc(), col(MnistSchema.ID))
                .limit(maxShown).collectAsList().stream()
                .map(row -> new Mistake(row.getLong(row.fieldIndex(MnistSchema.ID)),
                        row.getInt(row.fieldIndex(MnistSchema.LABEL)), row.getInt(row.fieldIndex(TestPredictions.PREDICTED)),
                        row.getDouble(row.fieldIndex(CONFIDENCE)), row.getAs(MnistSchema.IMAGE)))
                .toList();
        return new RunInspection(folder.runId(), readDataCheck(folder), epochs,
                RunJson.read(folder, RunOutputs.TEST_EVALUATION, ClassificationReport.class), wrong.count(), shown);
    }

    private static List<SplitRows> readDataCheck(RunFolder folder) {
        DataCheckFile dataCheck = RunJson.read(folder, RunOutputs.DATA_CHECK, DataCheckFile.class);
        List<SplitRows> splits = new ArrayList<>();
        dataCheck.splits().forEach((split, check) -> splits.add(new SplitRows(split, check.rowsRead(), check.rowsUsed())));
        return List.copyOf(splits);
    }
}
