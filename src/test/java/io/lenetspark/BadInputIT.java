package io.lenetspark;

import io.lenetspark.data.MnistSchema;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each bad input ends the job with exit code 2, one message naming the problem and the fix, and
 * no completed run folder.
 */
class BadInputIT {

    private static Path goodData;

    @TempDir
    Path work;

    @BeforeAll
    static void prepareData() throws IOException {
        goodData = MnistSubset.of(600, 100);
    }

    @Test
    void missingTrainPath() {
        assertRejected("MNIST train data " + work.resolve("nowhere") + " does not exist. Write it with PrepareMnist",
                "data.train=" + work.resolve("nowhere"));
    }

    @Test
    void folderOfFilesThatAreNotParquet() throws IOException {
        Path csv = Files.createDirectories(work.resolve("csv"));
        Files.writeString(csv.resolve("part-0.csv"), "id,label,image\n0,5,abc\n");
        assertRejected("MNIST train data " + csv, "data.train=" + csv);
    }

    @Test
    void schemaWithoutLabel() {
        Path path = write("no-label", good().drop(MnistSchema.LABEL));
        assertRejected("has the wrong schema (no column label", "data.train=" + path);
    }

    @Test
    void labelOfTheWrongType() {
        Path path = write("string-label", good().withColumn(MnistSchema.LABEL, col(MnistSchema.LABEL).cast("string")));
        assertRejected("label is string, expected int", "data.train=" + path);
    }

    @Test
    void labelsOutsideZeroToNine() {
        Path path = write("label-12", good().withColumn(MnistSchema.LABEL,
                org.apache.spark.sql.functions.when(col(MnistSchema.ID).equalTo(17), lit(12))
                        .otherwise(col(MnistSchema.LABEL))));
        assertRejected("1 with a label outside 0-9 (first id 17)", "data.train=" + path);
    }

    @Test
    void imagesThatAreNot784Bytes() {
        StructType schema = MnistSchema.SCHEMA;
        Dataset<Row> shortImages = SparkTestSession.get().createDataFrame(List.of(
                RowFactory.create(0L, 3, new byte[783]), RowFactory.create(1L, 4, new byte[784])), schema);
        Path path = write("short-image", shortImages);
        assertRejected("1 with an image that is not 784 bytes (first id 0)", "data.train=" + path);
    }

    @Test
    void emptyTestSplit() {
        Path path = write("empty", good().limit(0));
        assertRejected("MNIST test data " + path + " is empty (0 rows)", "data.test=" + path);
    }

    @Test
    void validationFractionThatLeavesNoTrainingData() {
        assertRejected("leaves no training data", "data.validation-fraction=0.9999");
    }

    @Test
    void invalidConfigValue() {
        assertRejected("Cannot set lenet.training.epochs to 0: must be at least 1.", "training.epochs=0");
    }

    @Test
    void schemaTypesAreCheckedBeforeValues() {
        StructType wrong = new StructType().add(MnistSchema.ID, DataTypes.LongType)
                .add(MnistSchema.LABEL, DataTypes.LongType).add(MnistSchema.IMAGE, DataTypes.BinaryType);
        Path path = write("long-label", SparkTestSession.get().createDataFrame(
                List.of(RowFactory.create(0L, 3L, new byte[784])), wrong));
        assertRejected("label is bigint, expected int", "data.train=" + path);
    }

    private Dataset<Row> good() {
        return SparkTestSession.get().read().parquet(goodData.resolve("train").toString());
    }

    private Path write(String name, Dataset<Row> rows) {
        Path path = work.resolve(name);
        rows.write().parquet(path.toString());
        return path;
    }

    private void assertRejected(String expectedMessagePart, String... overrides) {
        Path runs = work.resolve("runs");
        String[] args = Stream.concat(
                Stream.of("data.dir=" + goodData, "training.epochs=1", "output.dir=" + runs),
                Stream.of(overrides)).toArray(String[]::new);
        JobLauncher.Outcome outcome = JobLauncher.run("LeNetJob", args, LeNetTrainingJob::run);

        assertEquals(ExitCode.INVALID_INPUT, outcome.exitCode(), outcome.message());
        assertTrue(outcome.message().contains(expectedMessagePart), outcome.message());
        assertFalse(outcome.message().contains("\n\tat "), "no stack trace in the message: " + outcome.message());
        assertFalse(Files.exists(runs), "no run folder is created for bad input");
    }
}
