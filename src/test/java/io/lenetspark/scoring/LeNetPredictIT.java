package io.lenetspark.scoring;

import io.lenetspark.MnistSubset;
import io.lenetspark.SmallRun;
import io.lenetspark.SparkSubmitProcess;
import io.lenetspark.SparkTestSession;
import io.lenetspark.failure.ExitCode;
import io.lenetspark.job.JobLauncher;
import io.lenetspark.job.LeNetPredictJob;
import io.lenetspark.output.RunOutputs;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * LeNetPredict on a real trained run: through spark-submit on local[2], its output row for row
 * against the run's own test predictions; then each kind of bad input, with its message and exit code.
 */
class LeNetPredictIT {

    private static final SparkSession spark = SparkTestSession.get();

    @TempDir
    static Path work;
    private static Path run;
    private static Path testImages;

    @BeforeAll
    static void trainASmallRun() throws IOException {
        run = SmallRun.folder();
        testImages = MnistSubset.of(2_000, SmallRun.TEST_EXAMPLES).resolve("test");
    }

    @Test
    void scoresThroughSparkSubmitAsTheRunPredictedItsTestSplit() throws Exception {
        // Four partitions on two cores: more tasks than JVMs, and two scoring at once.
        Path input = work.resolve("to-score");
        spark.read().parquet(testImages.toString()).withColumn("source", lit("camera-7")).repartition(4)
                .write().parquet(input.toString());
        Path output = work.resolve("scored");

        SparkSubmitProcess submit = SparkSubmitProcess.start(work.resolve("predict.log"), "LeNetPredict",
                "predict.run=" + run, "predict.input=" + input, "predict.output=" + output, "predict.batch-size=64");

        assertEquals(0, submit.waitForExit(), submit.log());
        assertTrue(Files.exists(output.resolve("_SUCCESS")), submit.log());
        Dataset<Row> scored = spark.read().parquet(output.toString());
        assertEquals(List.of("id", "label", "image", "source", "prediction", "probabilities"),
                Arrays.asList(scored.columns()), "the input's columns, then the two scoring adds");
        assertEquals(DataTypes.IntegerType, scored.schema().apply("prediction").dataType());
        assertEquals(DataTypes.FloatType,
                ((ArrayType) scored.schema().apply("probabilities").dataType()).elementType());
        assertEquals(1, submit.log().lines().filter(line -> line.contains("Loaded the model of run")).count(),
                "the model loaded once in the one JVM, for its 4 tasks: " + submit.log());
        assertTrue(submit.log().contains("Scored 500 images with run "), submit.log());

        Map<Long, Row> predicted = spark.read().parquet(run.resolve(RunOutputs.PREDICTIONS).toString())
                .collectAsList().stream().collect(Collectors.toMap(row -> row.getLong(0), row -> row));
        List<Row> rows = scored.collectAsList();
        assertEquals(SmallRun.TEST_EXAMPLES, rows.size(), "rows scored");
        for (Row row : rows) {
            long id = row.getLong(0);
            Row expected = predicted.get(id);
            assertEquals(expected.getInt(2), row.getInt(4), "the digit predicted for id " + id);
            List<Double> expectedProbabilities = expected.getList(3);
            List<Float> probabilities = row.getList(5);
            assertEquals(10, probabilities.size());
            for (int digit = 0; digit < 10; digit++) {
                assertEquals(expectedProbabilities.get(digit), probabilities.get(digit), 1e-5,
                        "probability of " + digit + " for id " + id);
            }
            assertEquals("camera-7", row.getString(3), "a column passed through");
        }
    }

    @Test
    void refusesAMissingRun() throws IOException {
        assertRefused(List.of("predict.run=" + work.resolve("no-such-run")), "No run folder at ",
                "at the folder of a completed LeNetJob run");
    }

    @Test
    void refusesARunThatDidNotComplete() throws IOException {
        Path incomplete = work.resolve("incomplete-run");
        Files.createDirectories(incomplete);
        Files.copy(run.resolve(RunOutputs.MODEL), incomplete.resolve(RunOutputs.MODEL));
        assertRefused(List.of("predict.run=" + incomplete), "is not complete: it has no _SUCCESS",
                "Resume it with LeNetJob output.run-id=incomplete-run");
    }

    @Test
    void refusesInputWithoutAnImageColumn() throws IOException {
        Path input = work.resolve("no-image");
        spark.read().parquet(testImages.toString()).withColumnRenamed("image", "pixels").write().parquet(input.toString());
        assertRefused(List.of("predict.input=" + input), "has no column image (its columns: id, label, pixels)",
                "Point lenet.predict.input at a Parquet data set with an image column of 784 bytes");
    }

    @Test
    void refusesInputThatIsNotParquet() throws IOException {
        Path input = Files.createDirectories(work.resolve("csv"));
        Files.writeString(input.resolve("part-0.csv"), "id,image\n1,abc\n");
        assertRefused(List.of("predict.input=" + input), "(lenet.predict.input)", "Point lenet.predict.input at");
    }

    @Test
    void refusesBadImagesOrLeavesThemOutWhenAsked() throws IOException {
        Path input = work.resolve("bad-images");
        spark.read().parquet(testImages.toString())
                .withColumn("image", when(col("id").equalTo(3), lit(null).cast("binary"))
                        .when(col("id").equalTo(8), lit(new byte[]{1, 2, 3})).otherwise(col("image")))
                .write().parquet(input.toString());
        assertRefused(List.of("predict.input=" + input),
                "cannot be scored: 1 of its 500 rows have a null image and 1 an image not of 784 bytes",
                "set lenet.predict.on-bad-row = skip to leave them out");

        Path output = work.resolve("bad-images-skipped");
        JobLauncher.Outcome outcome = predict(List.of("predict.input=" + input, "predict.output=" + output,
                "predict.on-bad-row=skip"));
        assertEquals(ExitCode.SUCCESS, outcome.exitCode(), outcome.message());
        List<Long> ids = spark.read().parquet(output.toString()).select("id").as(org.apache.spark.sql.Encoders.LONG())
                .collectAsList();
        assertEquals(498, ids.size(), "the good rows");
        assertFalse(ids.contains(3L) || ids.contains(8L), "bad rows left out");
    }

    @Test
    void neverOverwritesACompleteOutput() throws IOException {
        Path output = work.resolve("complete-output");
        spark.range(3).write().mode(SaveMode.Overwrite).parquet(output.toString());
        assertRefused(List.of("predict.output=" + output), "already holds a complete result (it has _SUCCESS)",
                "Choose another lenet.predict.output, or delete it to score again");
        assertEquals(3, spark.read().parquet(output.toString()).count(), "left as it was");
    }

    @Test
    void asksForEachLocationItLacks() {
        JobLauncher.Outcome outcome = JobLauncher.run("LeNetPredict", new String[]{"predict.batch-size=32"},
                LeNetPredictJob::run);
        assertEquals(ExitCode.INVALID_INPUT, outcome.exitCode(), outcome.message());
        assertTrue(outcome.message().contains("LeNetPredict needs lenet.predict.run (a completed run folder), "
                + "lenet.predict.input (a Parquet data set with an image column), lenet.predict.output"),
                outcome.message());
    }

    /** LeNetPredict with the good run, input and a fresh output, and {@code overrides} after them. */
    private static JobLauncher.Outcome predict(List<String> overrides) throws IOException {
        List<String> args = new ArrayList<>(List.of("predict.run=" + run, "predict.input=" + testImages,
                "predict.output=" + Files.createTempDirectory(work, "out-").resolve("scored")));
        args.addAll(overrides);
        return JobLauncher.run("LeNetPredict", args.toArray(String[]::new), LeNetPredictJob::run);
    }

    private static void assertRefused(List<String> overrides, String problem, String fix) throws IOException {
        JobLauncher.Outcome outcome = predict(overrides);
        String message = outcome.message();
        assertEquals(ExitCode.INVALID_INPUT, outcome.exitCode(), message);
        assertTrue(message.startsWith("LeNetPredict failed: "), message);
        assertTrue(message.contains(problem), "problem named: " + message);
        assertTrue(message.contains(fix), "fix named: " + message);
        assertEquals(1, message.lines().count(), "one line: " + message);
    }
}
