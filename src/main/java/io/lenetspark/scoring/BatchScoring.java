package io.lenetspark.scoring;

import io.lenetspark.config.DataSettings.OnBadRow;
import io.lenetspark.config.PredictSettings;
import io.lenetspark.data.ImagesParquet;
import io.lenetspark.data.MnistSchema;
import io.lenetspark.failure.InvalidInputException;
import io.lenetspark.failure.StorageFailures;
import io.lenetspark.util.SparkJobGroup;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * LeNetPredict's work: the images of a Parquet data set scored with a completed run's model on the
 * executors, written with the input's columns and two more, {@value #PREDICTION} and
 * {@value #PROBABILITIES}. The output counts as complete only once Spark's {@code _SUCCESS} is in it.
 */
public final class BatchScoring {

    public static final String PREDICTION = "prediction";
    public static final String PROBABILITIES = "probabilities";

    private static final Logger LOG = LoggerFactory.getLogger(BatchScoring.class);
    private static final String RUN = "lenet.predict.run";
    private static final String INPUT = "lenet.predict.input";
    private static final String OUTPUT = "lenet.predict.output";
    private static final String SUCCESS_MARKER = "_SUCCESS";

    /** What was scored. */
    public record Result(long images, long leftOut, double seconds) {
    }

    private BatchScoring() {
    }

    /** @param oneDnnLayerHelpers score with oneDNN's layers, as training does by default */
    public static Result run(SparkSession spark, PredictSettings settings, boolean oneDnnLayerHelpers) {
        requireLocations(settings);
        TrainedRun run = TrainedRun.open(settings.run(), RUN, spark.sparkContext().hadoopConfiguration());
        requireNotComplete(spark, settings.output());
        ImagesParquet input = new ImagesParquet(settings.input(), INPUT);
        Dataset<Row> rows = input.read(spark);
        requireNoOutputColumns(rows, input);

        ImagesParquet.BadImages bad = input.countBad(rows);
        if (bad.bad() > 0 && settings.onBadRow() == OnBadRow.FAIL) {
            throw input.refuse("cannot be scored: " + bad.describe() + ". Fix those rows, or set "
                    + "lenet.predict.on-bad-row = skip to leave them out");
        }
        if (bad.bad() > 0) {
            LOG.warn("Leaving out rows that cannot be scored (lenet.predict.on-bad-row = skip): {}", bad.describe());
        }
        Dataset<Row> good = bad.bad() > 0 ? ImagesParquet.goodRows(rows) : rows;

        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        TrainedModel model = TrainedModel.broadcast(sc, run, oneDnnLayerHelpers);
        LongAccumulator scored = sc.sc().longAccumulator("images scored");
        long start = System.nanoTime();
        try (SparkJobGroup group = SparkJobGroup.start(sc.sc(), "predict", "PREDICT " + settings.input())) {
            JavaRDD<Row> withPredictions = good.javaRDD().mapPartitions(new ScorePartition(model,
                    good.schema().fieldIndex(MnistSchema.IMAGE), settings.batchSize(), scored));
            spark.createDataFrame(withPredictions, outputSchema(good.schema()))
                    .write().mode(SaveMode.Overwrite).parquet(settings.output());
        } finally {
            model.destroy();
        }
        Result result = new Result(scored.value(), bad.bad(), (System.nanoTime() - start) / 1e9);
        LOG.info(String.format(Locale.ROOT, "Scored %,d images with run %s in %.1f s (%.0f images/s)%s; output %s",
                result.images(), run.location(), result.seconds(), result.images() / result.seconds(),
                result.leftOut() > 0 ? String.format(Locale.ROOT, ", %,d rows left out", result.leftOut()) : "",
                settings.output()));
        return result;
    }

    /** The input's columns, then the predicted digit and the ten probabilities. */
    static StructType outputSchema(StructType input) {
        return input.add(PREDICTION, DataTypes.IntegerType, false)
                .add(PROBABILITIES, DataTypes.createArrayType(DataTypes.FloatType, false), false);
    }

    private static void requireLocations(PredictSettings settings) {
        List<String> missing = new ArrayList<>();
        if (settings.run().isBlank()) {
            missing.add(RUN + " (a completed run folder)");
        }
        if (settings.input().isBlank()) {
            missing.add(INPUT + " (a Parquet data set with an image column)");
        }
        if (settings.output().isBlank()) {
            missing.add(OUTPUT + " (where to write the scored rows)");
        }
        if (!missing.isEmpty()) {
            throw new InvalidInputException("LeNetPredict needs " + String.join(", ", missing) + ": set "
                    + (missing.size() == 1 ? "it" : "them") + " as arguments (e.g. predict.run=hdfs:///runs/20261205-0615)"
                    + " or in a --config file.");
        }
    }

    /** A complete output is a result someone may already use: never replaced. A partial one is. */
    private static void requireNotComplete(SparkSession spark, String output) {
        Path marker = new Path(output, SUCCESS_MARKER);
        try {
            FileSystem fs = marker.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (fs.exists(marker)) {
                throw new InvalidInputException("The output " + output + " (" + OUTPUT + ") already holds a complete "
                        + "result (it has " + SUCCESS_MARKER + "). Choose another " + OUTPUT + ", or delete it to "
                        + "score again.");
            }
        } catch (IOException e) {
            throw StorageFailures.explain(e, output, OUTPUT, () -> new UncheckedIOException("Cannot read " + output, e));
        }
    }

    private static void requireNoOutputColumns(Dataset<Row> rows, ImagesParquet input) {
        for (String column : List.of(PREDICTION, PROBABILITIES)) {
            if (List.of(rows.columns()).contains(column)) {
                throw input.refuse("already has a column " + column + ", which scoring adds: drop or rename it "
                        + "in the input");
            }
        }
    }
}
