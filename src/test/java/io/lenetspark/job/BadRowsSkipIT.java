package io.lenetspark.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lenetspark.LogCapture;
import io.lenetspark.MnistSubset;
import io.lenetspark.SparkTestSession;
import io.lenetspark.data.MnistParquet;
import io.lenetspark.data.MnistSchema;
import io.lenetspark.failure.ExitCode;
import io.lenetspark.output.RunFolder;
import io.lenetspark.output.RunOutputs;
import io.lenetspark.report.RunReport;
import org.apache.logging.log4j.Level;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static io.lenetspark.data.MnistSchema.ID;
import static io.lenetspark.data.MnistSchema.IMAGE;
import static io.lenetspark.data.MnistSchema.LABEL;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The job, in-process, on MNIST with corrupted rows in both splits and {@code lenet.data.on-bad-row
 * = skip}: it succeeds, trains, validates and evaluates on the good rows only, and says how many it
 * left out in its log, {@code data-check.json} and the report.
 */
class BadRowsSkipIT {

    private static final int TRAIN_ROWS = 600;
    private static final int TEST_ROWS = 100;
    private static final Pattern EXAMPLES = Pattern.compile("(\\d+) training, (\\d+) validation examples");

    @TempDir
    Path dir;

    @Test
    void trainsAndEvaluatesOnTheGoodRowsOnlyAndCountsTheOthers() throws IOException {
        Path data = MnistSubset.of(TRAIN_ROWS, TEST_ROWS);
        // Train: 8 bad rows, id 60 bad in two ways; test: 2 bad rows.
        Path train = corrupt(data.resolve("train"), dir.resolve("train"),
                List.of(3L, 10L, 60L), List.of(20L), List.of(30L, 60L), List.of(40L, 41L), 50L);
        Path test = corrupt(data.resolve("test"), dir.resolve("test"), List.of(), List.of(5L), List.of(), List.of(), 7L);
        String[] args = {"data.train=" + train, "data.test=" + test, "data.on-bad-row=skip", "training.epochs=1",
                "training.batch-size=32", "output.dir=" + dir.resolve("runs"), "output.run-id=skip"};

        JobLauncher.Outcome outcome;
        List<String> warnings;
        List<String> jobLines;
        try (LogCapture reader = LogCapture.of(MnistParquet.class.getName());
             LogCapture job = LogCapture.of(LeNetTrainingJob.class.getName())) {
            outcome = JobLauncher.run("LeNetJob", args, LeNetTrainingJob::run);
            warnings = reader.messagesAt(Level.WARN);
            jobLines = job.messages();
        }

        assertEquals(ExitCode.SUCCESS, outcome.exitCode(), outcome.message());
        Path folder = dir.resolve("runs").resolve("skip");
        assertTrue(Files.exists(folder.resolve(RunFolder.SUCCESS_MARKER)), "run complete");
        assertEquals(List.of(
                "Leaving out 8 of 600 rows of MNIST train data " + train + " (lenet.data.on-bad-row = skip): "
                        + "1 with a null id (first at row index " + rowIndexOf(train, 50) + " of file "
                        + fileOf(train, 50) + "); 3 with a null label (first id 3); 1 with a label outside 0-9 "
                        + "(first id 20); 2 with a null image (first id 30); 2 with an image that is not 784 bytes "
                        + "(first id 40)",
                "Leaving out 2 of 100 rows of MNIST test data " + test + " (lenet.data.on-bad-row = skip): "
                        + "1 with a null id (first at row index " + rowIndexOf(test, 7) + " of file " + fileOf(test, 7)
                        + "); 1 with a label outside 0-9 (first id 5)"), warnings, "one warning per split");

        JsonNode check = new ObjectMapper().readTree(folder.resolve(RunOutputs.DATA_CHECK).toFile());
        assertEquals("skip", check.get("on_bad_row").asText());
        assertSplit(check.get("splits").get("train"), train, TRAIN_ROWS, 592, "{\"null_id\": 1, \"null_label\": 3, "
                + "\"label_outside_0_9\": 1, \"null_image\": 2, \"image_not_784_bytes\": 2, \"duplicate_id\": 0}");
        assertSplit(check.get("splits").get("test"), test, TEST_ROWS, 98, "{\"null_id\": 1, \"null_label\": 0, "
                + "\"label_outside_0_9\": 1, \"null_image\": 0, \"image_not_784_bytes\": 0, \"duplicate_id\": 0}");

        Matcher examples = jobLines.stream().map(EXAMPLES::matcher).filter(Matcher::find).findFirst().orElseThrow();
        assertEquals(Math.round(0.1 * 592), Long.parseLong(examples.group(2)), "validation examples: " + jobLines);
        assertEquals(592 - Math.round(0.1 * 592), Long.parseLong(examples.group(1)), "training examples: " + jobLines);
        JsonNode evaluation = new ObjectMapper().readTree(folder.resolve(RunOutputs.TEST_EVALUATION).toFile());
        assertEquals(98, evaluation.get("examples").asLong(), "test examples evaluated");
        Set<Long> goodTestIds = LongStream.range(0, TEST_ROWS).filter(id -> id != 5 && id != 7).boxed()
                .collect(Collectors.toSet());
        assertEquals(goodTestIds, SparkTestSession.get().read().parquet(folder.resolve(RunOutputs.PREDICTIONS).toString())
                .select(ID).collectAsList().stream().map(row -> row.getLong(0)).collect(Collectors.toSet()),
                "ids of the test predictions");
        assertTrue(Files.readString(folder.resolve(RunReport.FILE)).contains("Data: train 592 of 600 rows used "
                + "(8 bad rows left out); test 98 of 100 rows used (2 bad rows left out)."), "report line");
    }

    private static void assertSplit(JsonNode split, Path path, long read, long used, String badRows)
            throws IOException {
        assertEquals(path.toString(), split.get("path").asText(), "path");
        assertEquals(read, split.get("rows_read").asLong(), "rows read of " + path);
        assertEquals(used, split.get("rows_used").asLong(), "rows used of " + path);
        assertEquals(read - used, split.get("rows_skipped").asLong(), "rows skipped of " + path);
        assertEquals(new ObjectMapper().readTree(badRows), split.get("bad_rows"), "bad rows of " + path);
    }

    /**
     * A copy of {@code source} with null labels, labels of 10 or -1 (for even and odd ids), null
     * images, images cut to 783 bytes and, last, one id set to null.
     */
    private static Path corrupt(Path source, Path target, List<Long> nullLabels, List<Long> wrongLabels,
                                List<Long> nullImages, List<Long> shortImages, long nullId) {
        SparkSession spark = SparkTestSession.get();
        Dataset<Row> rows = spark.read().parquet(source.toString())
                .withColumn(LABEL, when(in(nullLabels), lit(null).cast("int"))
                        .when(in(wrongLabels), when(col(ID).mod(2).equalTo(0), lit(10)).otherwise(lit(-1)))
                        .otherwise(col(LABEL)))
                .withColumn(IMAGE, when(in(nullImages), lit(null).cast("binary"))
                        .when(in(shortImages), substring(col(IMAGE), 1, MnistSchema.IMAGE_BYTES - 1))
                        .otherwise(col(IMAGE)))
                .withColumn("original_id", col(ID))
                .withColumn(ID, when(col(ID).equalTo(nullId), lit(null).cast("long")).otherwise(col(ID)));
        // original_id stays in the files, so the test can find where the row without id went; the job ignores it.
        rows.write().parquet(target.toString());
        return target;
    }

    private static Column in(List<Long> ids) {
        return col(ID).isin(ids.toArray());
    }

    private static String fileOf(Path path, long originalId) {
        return place(path, originalId).getString(0);
    }

    private static long rowIndexOf(Path path, long originalId) {
        return place(path, originalId).getLong(1);
    }

    private static Row place(Path path, long originalId) {
        Dataset<Row> rows = SparkTestSession.get().read().parquet(path.toString());
        Column metadata = rows.metadataColumn("_metadata");
        return rows.filter(col("original_id").equalTo(originalId))
                .select(metadata.getField("file_name"), metadata.getField("row_index")).first();
    }
}
