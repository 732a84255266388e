package io.lenetspark.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lenetspark.LogCapture;
import io.lenetspark.MnistSubset;
import io.lenetspark.SparkTestSession;
import io.lenetspark.data.MnistParquet;
import io.lenetspark.failure.ExitCode;
import io.lenetspark.output.RunFolder;
import io.lenetspark.output.RunOutputs;
import org.apache.logging.log4j.Level;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;

import static io.lenetspark.data.MnistSchema.ID;
import static io.lenetspark.data.MnistSchema.IMAGE;
import static io.lenetspark.data.MnistSchema.LABEL;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The job, in-process, on data that keeps the MNIST contract in other forms than PrepareMnist
 * writes: integer columns of other widths, and (with {@code on-bad-row = skip}) repeated ids.
 */
class DataContractIT {

    private static final int TRAIN_ROWS = 600;
    private static final int TEST_ROWS = 100;
    private static final Pattern EXAMPLES = Pattern.compile("(\\d+) training, (\\d+) validation examples");

    private final SparkSession spark = SparkTestSession.get();

    @TempDir
    Path dir;

    @Test
    void trainsOnIdsAndLabelsOfOtherIntegerWidths() throws IOException {
        Path data = MnistSubset.of(TRAIN_ROWS, TEST_ROWS);
        Path train = dir.resolve("train");
        Path test = dir.resolve("test");
        spark.read().parquet(data.resolve("train").toString())
                .select(col(ID).cast("int").as(ID), col(LABEL).cast("tinyint").as(LABEL), col(IMAGE))
                .write().parquet(train.toString());
        spark.read().parquet(data.resolve("test").toString())
                .select(col(ID), col(LABEL).cast("bigint").as(LABEL), col(IMAGE))
                .write().parquet(test.toString());

        JobLauncher.Outcome outcome = run(train, test, "widened");

        assertEquals(ExitCode.SUCCESS, outcome.exitCode(), outcome.message());
        Path folder = dir.resolve("runs").resolve("widened");
        assertTrue(Files.exists(folder.resolve(RunFolder.SUCCESS_MARKER)), "run complete");
        List<Row> predictions = spark.read().parquet(folder.resolve(RunOutputs.PREDICTIONS).toString())
                .orderBy(ID).collectAsList();
        assertEquals(LongStream.range(0, TEST_ROWS).boxed().toList(),
                predictions.stream().map(r -> r.<Long>getAs(ID)).toList(), "a prediction for every test id");
        assertEquals(spark.read().parquet(data.resolve("test").toString()).orderBy(ID).select(LABEL).collectAsList()
                        .stream().map(r -> r.getInt(0)).toList(),
                predictions.stream().map(r -> r.<Integer>getAs(LABEL)).toList(), "labels read as the digits written");
    }

    /** A training set whose first 100 rows appear twice: skip keeps one of each and says so. */
    @Test
    void skipTrainsOnOneRowPerId() throws IOException {
        Path data = MnistSubset.of(TRAIN_ROWS, TEST_ROWS);
        Path train = dir.resolve("train");
        spark.read().parquet(data.resolve("train").toString()).write().parquet(train.toString());
        spark.read().parquet(data.resolve("train").toString()).filter(col(ID).lt(100))
                .withColumn(LABEL, lit(9)).write().mode("append").parquet(train.toString());

        JobLauncher.Outcome outcome;
        List<String> warnings;
        List<String> jobLines;
        try (LogCapture reader = LogCapture.of(MnistParquet.class.getName());
             LogCapture job = LogCapture.of(LeNetTrainingJob.class.getName())) {
            outcome = run(train, data.resolve("test"), "duplicates", "data.on-bad-row=skip");
            warnings = reader.messagesAt(Level.WARN);
            jobLines = job.messages();
        }

        assertEquals(ExitCode.SUCCESS, outcome.exitCode(), outcome.message());
        assertEquals(List.of("Leaving out 100 of 700 rows of MNIST train data " + train + " (lenet.data.on-bad-row = "
                + "skip): 100 duplicates of 100 ids (first id 0)"), warnings, "the warning");
        Matcher examples = jobLines.stream().map(EXAMPLES::matcher).filter(Matcher::find).findFirst().orElseThrow();
        assertEquals("540 training, 60 validation examples", examples.group(), "split of the 600 rows kept");
        JsonNode split = new ObjectMapper().readTree(dir.resolve("runs").resolve("duplicates")
                .resolve(RunOutputs.DATA_CHECK).toFile()).get("splits").get("train");
        assertEquals(700, split.get("rows_read").asLong(), "rows read");
        assertEquals(600, split.get("rows_used").asLong(), "rows used");
        assertEquals(100, split.get("bad_rows").get("duplicate_id").asLong(), "duplicates");
        assertEquals("id 0", split.get("first_bad_row").get("duplicate_id").asText(), "first duplicate");
    }

    private JobLauncher.Outcome run(Path train, Path test, String runId, String... extra) {
        List<String> args = new ArrayList<>(List.of("data.train=" + train, "data.test=" + test,
                "training.epochs=1", "training.batch-size=32", "output.dir=" + dir.resolve("runs"),
                "output.run-id=" + runId));
        args.addAll(List.of(extra));
        return JobLauncher.run("LeNetJob", args.toArray(String[]::new), LeNetTrainingJob::run);
    }
}
