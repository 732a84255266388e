package io.lenetspark.job;

import io.lenetspark.MnistSubset;
import io.lenetspark.SparkTestSession;
import io.lenetspark.data.MnistSchema;
import io.lenetspark.failure.ExitCode;
import io.lenetspark.prepare.MnistTestFiles;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile inputs, fed to {@code LeNetJob} and {@code PrepareMnist} as a user would: each ends the
 * job with exit code 2 and one line that names the problem and the fix; no run or data set is
 * marked complete, and a completed run in the same output folder stays as it was. The unit tests
 * of each check ({@code MnistParquetTest}, {@code IdxReaderTest}, {@code LeNetSettingsTest}, ...)
 * pin the exact wording; this suite checks what the launcher makes of it. The results are written
 * to {@code target/hostile-inputs.md}.
 */
class HostileInputIT {

    private static final String DATA_FIX = "Write it with PrepareMnist and point lenet.data.";
    private static final String BAD_ROWS_FIX = "or set lenet.data.on-bad-row = skip to leave the bad rows out";
    private static final String DUPLICATES_FIX =
            "or set lenet.data.on-bad-row = skip to leave the bad rows out and keep one row of each id";
    private static final String CONFIG_FIX = "Fix the value in your --config file";
    private static final String IDX_FIX = "Point lenet.prepare.source at the official, unmodified MNIST IDX files";
    private static final String COMPLETED_RUN = "done";
    /** "LeNetJob failed: java.io.IOException: ..." explains nothing to the user. */
    private static final Pattern JUST_AN_EXCEPTION = Pattern.compile("^\\w+ failed: [\\w.$]+(Exception|Error)\\b.*");
    private static final List<String> TABLE = new ArrayList<>();

    private static Path goodData;
    private static Path work;
    private static Path runs;
    private static Map<String, String> completedRun;

    /** One bad input: the job it is given to, how it is made, and what the message must say. */
    record Case(String name, String job, Input input, String problem, String fix) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** Makes the bad input in {@code dir} and returns the job arguments that use it. */
    @FunctionalInterface
    interface Input {
        List<String> args(Path dir) throws IOException;
    }

    @BeforeAll
    static void prepare() throws IOException {
        // The jobs take the running session; a cached subset would otherwise leave none to take.
        SparkTestSession.get();
        goodData = MnistSubset.of(600, 100);
        work = Files.createTempDirectory(Path.of("target"), "hostile-").toAbsolutePath();
        runs = work.resolve("runs");
        Path done = Files.createDirectories(runs.resolve(COMPLETED_RUN));
        Files.writeString(done.resolve("model.zip"), "the model of a completed run");
        Files.writeString(done.resolve("metrics.jsonl"), "{\"epoch\":1}\n");
        Files.writeString(done.resolve("_SUCCESS"), "");
        completedRun = snapshot(done);
        TABLE.add("| # | case | job | exit code | first message line |");
        TABLE.add("|---|---|---|---|---|");
    }

    @AfterAll
    static void writeTable() throws IOException {
        String table = String.join("\n", TABLE) + "\n";
        Files.writeString(Path.of("target", "hostile-inputs.md"), table);
        System.out.println(table);
    }

    static Stream<Case> cases() {
        return Stream.of(
                // Paths and files
                train("train path missing", dir -> List.of("data.train=" + dir.resolve("nowhere")),
                        "does not exist", DATA_FIX + "train"),
                train("test path missing", dir -> List.of("data.test=" + dir.resolve("nowhere")),
                        "MNIST test data", DATA_FIX + "test"),
                train("empty folder", dir -> List.of("data.train=" + Files.createDirectories(dir.resolve("empty"))),
                        "holds no Parquet files", DATA_FIX + "train"),
                train("folder of CSV files", dir -> {
                    SparkTestSession.get().range(3).write().csv(dir.resolve("csv").toString());
                    return List.of("data.train=" + dir.resolve("csv"));
                }, ".csv is not a Parquet file", DATA_FIX + "train"),
                train("truncated Parquet file", dir -> List.of("data.train=" + truncated(dir)),
                        "is not readable Parquet", DATA_FIX + "train"),
                // Schema
                train("no label column", dir -> data(dir, good().drop(MnistSchema.LABEL)),
                        "no column label", DATA_FIX + "train"),
                train("no image column", dir -> data(dir, good().drop(MnistSchema.IMAGE)),
                        "no column image", DATA_FIX + "train"),
                train("label as string", dir -> data(dir, good().withColumn(MnistSchema.LABEL,
                        col(MnistSchema.LABEL).cast("string"))), "label is string, expected int", DATA_FIX + "train"),
                train("label as double", dir -> data(dir, good().withColumn(MnistSchema.LABEL,
                        col(MnistSchema.LABEL).cast("double"))), "label is double, expected int, tinyint, smallint or "
                        + "bigint", DATA_FIX + "train"),
                train("image as string", dir -> data(dir, good().withColumn(MnistSchema.IMAGE,
                        lit("pixels"))), "image is string, expected binary", DATA_FIX + "train"),
                train("id as string", dir -> data(dir, good().withColumn(MnistSchema.ID,
                        col(MnistSchema.ID).cast("string"))), "id is string, expected bigint or int", DATA_FIX + "train"),
                // Data contract: one row per id
                train("every training row with the same id", dir -> data(dir, good().withColumn(MnistSchema.ID, lit(3L))),
                        "has bad rows among its 40: 39 duplicates of 1 id (first id 3)", DUPLICATES_FIX),
                train("duplicate ids in the test split", dir -> {
                    good().union(good().limit(5)).write().parquet(dir.resolve("test").toString());
                    return List.of("data.test=" + dir.resolve("test"));
                }, "MNIST test data", "has bad rows among its 45: 5 duplicates of 5 ids"),
                train("ids repeated across files", dir -> {
                    good().coalesce(1).write().parquet(dir.resolve("train").toString());
                    good().filter(col(MnistSchema.ID).geq(30)).coalesce(1).write().mode("append")
                            .parquet(dir.resolve("train").toString());
                    return List.of("data.train=" + dir.resolve("train"));
                }, "has bad rows among its 50: 10 duplicates of 10 ids (first id 30)", DUPLICATES_FIX),
                // Values
                train("null label", dir -> data(dir, good().withColumn(MnistSchema.LABEL,
                        when(col(MnistSchema.ID).equalTo(7), lit(null).cast("int")).otherwise(col(MnistSchema.LABEL)))),
                        "1 with a null label (first id 7)", BAD_ROWS_FIX),
                train("null image", dir -> data(dir, good().withColumn(MnistSchema.IMAGE,
                        when(col(MnistSchema.ID).equalTo(8), lit(null).cast("binary")).otherwise(col(MnistSchema.IMAGE)))),
                        "1 with a null image (first id 8)", BAD_ROWS_FIX),
                train("label 10", dir -> data(dir, withLabel(10)), "1 with a label outside 0-9 (first id 5)",
                        BAD_ROWS_FIX),
                train("label -1", dir -> data(dir, withLabel(-1)), "1 with a label outside 0-9 (first id 5)",
                        BAD_ROWS_FIX),
                train("image of 0 bytes", dir -> data(dir, images(0)), "1 with an image that is not 784 bytes (first id 0)",
                        BAD_ROWS_FIX),
                train("image of 783 bytes", dir -> data(dir, images(783)),
                        "1 with an image that is not 784 bytes (first id 0)", BAD_ROWS_FIX),
                train("image of 785 bytes", dir -> data(dir, images(785)),
                        "1 with an image that is not 784 bytes (first id 0)", BAD_ROWS_FIX),
                train("image of 10^6 bytes", dir -> data(dir, images(1_000_000)),
                        "1 with an image that is not 784 bytes (first id 0)", BAD_ROWS_FIX),
                train("no good row left to skip", dir -> {
                    List<String> args = new ArrayList<>(data(dir, good().withColumn(MnistSchema.LABEL, lit(-1))));
                    args.add("data.on-bad-row=skip");
                    return args;
                }, "has no good rows: all 40 are bad (40 with a label outside 0-9 (first id 0))", DATA_FIX + "train"),
                train("empty train split", dir -> data(dir, good().limit(0)), "is empty (0 rows)", DATA_FIX + "train"),
                train("empty test split", dir -> {
                    good().limit(0).write().parquet(dir.resolve("test").toString());
                    return List.of("data.test=" + dir.resolve("test"));
                }, "is empty (0 rows)", DATA_FIX + "test"),
                train("validation fraction leaving no training data", dir -> List.of("data.validation-fraction=0.9999"),
                        "leaves no training data", "Choose a fraction that keeps at least one row on each side"),
                // Configuration
                config("epochs 0", "training.epochs=0", "Cannot set lenet.training.epochs to 0: must be at least 1"),
                config("negative batch size", "training.batch-size=-32",
                        "Cannot set lenet.training.batch-size to -32: must be at least 1"),
                config("batch size not a number", "training.batch-size=big", "lenet.training.batch-size"),
                config("learning rate 0", "training.learning-rate=0", "lenet.training.learning-rate"),
                config("negative workers", "training.workers=-1", "Cannot set lenet.training.workers to -1"),
                config("negative partitions", "data.partitions=-1", "Cannot set lenet.data.partitions to -1"),
                config("unknown TrainingMaster", "training.master=allreduce", "lenet.training.master"),
                config("plateau factor 1.5", "training.reduce-lr-on-plateau.factor=1.5",
                        "lenet.training.reduce-lr-on-plateau.factor to 1.5: must be strictly between 0 and 1"),
                config("plateau factor 0", "training.reduce-lr-on-plateau.factor=0",
                        "lenet.training.reduce-lr-on-plateau.factor"),
                config("plateau patience -1", "training.reduce-lr-on-plateau.patience=-1",
                        "Cannot set lenet.training.reduce-lr-on-plateau.patience to -1: must be at least 0"),
                config("early-stopping patience -1", "training.early-stopping.patience=-1",
                        "Cannot set lenet.training.early-stopping.patience to -1: must be at least 0"),
                config("unknown on-complete-run", "output.on-complete-run=maybe", "lenet.output.on-complete-run"),
                config("unknown on-bad-row", "data.on-bad-row=drop",
                        "Cannot set lenet.data.on-bad-row to \"drop\": must be one of: fail, skip"),
                config("run id escaping the output folder", "output.run-id=../escape", "lenet.output.run-id"),
                new Case("unknown key in lenet", "LeNetJob", dir -> List.of("training.epoch=3"),
                        "Unknown setting lenet.training.epoch", "Check the spelling against reference.conf"),
                new Case("missing --config file", "LeNetJob", dir -> List.of("--config", dir.resolve("x.conf").toString()),
                        "does not exist", "Pass an existing HOCON file"),
                // Output
                train("output folder holding a completed run", dir -> List.of("output.run-id=" + COMPLETED_RUN),
                        "already holds a completed run", "Choose another lenet.output.run-id"),
                train("unwritable output folder", dir -> {
                    Files.writeString(dir.resolve("a-file"), "not a folder");
                    return List.of("output.dir=" + dir.resolve("a-file").resolve("runs"));
                }, "Cannot create run folder", "Check lenet.output.dir"),
                // PrepareMnist and the IDX files
                prepare("source folder missing", dir -> List.of("prepare.source-dir=" + dir.resolve("nowhere")),
                        "is not a folder", "Set it to the folder holding the four MNIST IDX files"),
                prepare("source folder without IDX files", dir -> List.of("prepare.source-dir="
                        + Files.createDirectories(dir.resolve("empty"))), "holds neither train-images-idx3-ubyte",
                        "Put the four official MNIST IDX files there"),
                prepare("IDX images with the labels' magic number", dir -> source(dir,
                        idxImages(0x00000801, 28, 28, 2, 2 * 784)), "it starts with magic number 0x00000801, expected 0x00000803", IDX_FIX),
                prepare("IDX images of 28 x 27", dir -> source(dir, idxImages(0x00000803, 28, 27, 2, 2 * 28 * 27)),
                        "it holds 28 x 27 images, expected 28 x 28", IDX_FIX),
                prepare("IDX images with a truncated body", dir -> source(dir, idxImages(0x00000803, 28, 28, 3, 2 * 784)),
                        "it is truncated: 1584 bytes, but its header declares 3 records", IDX_FIX),
                prepare("IDX checksum mismatch", dir -> source(dir, officialImagesWithOnePixelChanged()),
                        "it is well-formed IDX, so its content was changed", IDX_FIX),
                prepare("unwritable raw folder", dir -> {
                    Files.writeString(dir.resolve("a-file"), "not a folder");
                    return List.of("prepare.raw-dir=" + dir.resolve("a-file").resolve("raw"));
                }, "Cannot create lenet.prepare.raw-dir", "Set it to a writable local folder"),
                new Case("prepare partitions 0", "PrepareMnist", dir -> List.of("prepare.partitions=0"),
                        "Cannot set lenet.prepare.partitions to 0", CONFIG_FIX),
                new Case("unknown prepare source", "PrepareMnist", dir -> List.of("prepare.source=ftp"),
                        "lenet.prepare.source", CONFIG_FIX));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void isRejectedWithOneClearLine(Case badInput) throws IOException {
        Path dir = Files.createDirectories(work.resolve("case-" + TABLE.size()));
        List<String> args = new ArrayList<>(baseArgs(badInput.job(), dir));
        args.addAll(badInput.input().args(dir));

        JobLauncher.Outcome outcome = badInput.job().equals("LeNetJob")
                ? JobLauncher.run("LeNetJob", args.toArray(String[]::new), LeNetTrainingJob::run)
                : JobLauncher.run("PrepareMnist", args.toArray(String[]::new),
                        (settings, spark) -> io.lenetspark.job.PrepareMnistJob.run(settings.prepare(), spark));
        String message = outcome.message();
        TABLE.add(String.format("| %d | %s | %s | %d | %s |", TABLE.size() - 1, badInput.name(), badInput.job(),
                outcome.exitCode().code(), message.lines().findFirst().orElse("").replace("|", "\\|")));

        assertEquals(ExitCode.INVALID_INPUT, outcome.exitCode(), message);
        assertTrue(message.contains(badInput.problem()), "problem named: " + message);
        assertTrue(message.contains(badInput.fix()), "fix named: " + message);
        assertEquals(1, message.lines().count(), "one line: " + message);
        assertFalse(message.contains("\tat "), "no stack trace: " + message);
        assertFalse(JUST_AN_EXCEPTION.matcher(message).matches(), "more than an exception: " + message);
        assertEquals(List.of(), successMarkers(dir.resolve("prepared")), "no data set marked complete");
        assertEquals(List.of(), successMarkers(runs).stream()
                .filter(p -> !p.equals(runs.resolve(COMPLETED_RUN).resolve("_SUCCESS"))).toList(),
                "no run marked complete");
        assertEquals(completedRun, snapshot(runs.resolve(COMPLETED_RUN)), "the completed run is unchanged");
    }

    private static List<String> baseArgs(String job, Path dir) {
        return job.equals("LeNetJob")
                ? List.of("data.dir=" + goodData, "training.epochs=1", "training.batch-size=32", "output.dir=" + runs)
                : List.of("prepare.source=dir", "prepare.source-dir=" + dir, "prepare.raw-dir=" + dir.resolve("raw"),
                        "prepare.output=" + dir.resolve("prepared"));
    }

    private static Case train(String name, Input input, String problem, String fix) {
        return new Case(name, "LeNetJob", input, problem, fix);
    }

    private static Case config(String name, String override, String problem) {
        return new Case(name, "LeNetJob", dir -> List.of(override), problem, CONFIG_FIX);
    }

    private static Case prepare(String name, Input input, String problem, String fix) {
        return new Case(name, "PrepareMnist", input, problem, fix);
    }

    private static Dataset<Row> good() {
        return SparkTestSession.get().read().parquet(goodData.resolve("train").toString()).limit(40);
    }

    private static Dataset<Row> withLabel(int label) {
        return good().withColumn(MnistSchema.LABEL,
                when(col(MnistSchema.ID).equalTo(5), lit(label)).otherwise(col(MnistSchema.LABEL)));
    }

    /** A valid row, then one whose image has {@code bytes} bytes. */
    private static Dataset<Row> images(int bytes) {
        StructType nullable = new StructType().add(MnistSchema.ID, DataTypes.LongType)
                .add(MnistSchema.LABEL, DataTypes.IntegerType).add(MnistSchema.IMAGE, DataTypes.BinaryType);
        return SparkTestSession.get().createDataFrame(List.of(
                RowFactory.create(0L, 3, new byte[bytes]), RowFactory.create(1L, 4, new byte[784])), nullable);
    }

    private static List<String> data(Path dir, Dataset<Row> rows) {
        Path path = dir.resolve("train");
        rows.write().parquet(path.toString());
        return List.of("data.train=" + path);
    }

    /** A copy of a valid data set whose only Parquet file lost its second half. */
    private static Path truncated(Path dir) throws IOException {
        Path path = dir.resolve("train");
        good().coalesce(1).write().parquet(path.toString());
        try (Stream<Path> files = Files.list(path)) {
            Path part = files.filter(f -> f.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
            try (RandomAccessFile file = new RandomAccessFile(part.toFile(), "rw")) {
                file.setLength(file.length() / 2);
            }
            Files.deleteIfExists(part.resolveSibling("." + part.getFileName() + ".crc"));
        }
        return path;
    }

    /** An IDX3 header and {@code pixelBytes} zero pixels. */
    private static byte[] idxImages(int magic, int rows, int columns, int count, int pixelBytes) {
        return ByteBuffer.allocate(16 + pixelBytes).putInt(magic).putInt(count).putInt(rows).putInt(columns).array();
    }

    private static byte[] officialImagesWithOnePixelChanged() throws IOException {
        byte[] images = Files.readAllBytes(MnistTestFiles.rawDir().resolve("train-images-idx3-ubyte"));
        images[16 + 400] ^= 1;
        return images;
    }

    /** A source folder whose training images are {@code images}. */
    private static List<String> source(Path dir, byte[] images) throws IOException {
        Path source = Files.createDirectories(dir.resolve("source"));
        Files.write(source.resolve("train-images-idx3-ubyte"), images);
        return List.of("prepare.source-dir=" + source);
    }

    private static List<Path> successMarkers(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.getFileName().toString().equals("_SUCCESS")).toList();
        }
    }

    /** Every file of {@code dir} with its content. */
    private static Map<String, String> snapshot(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).collect(Collectors.toMap(f -> dir.relativize(f).toString(),
                    f -> {
                        try {
                            return Files.readString(f, StandardCharsets.ISO_8859_1);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }, (a, b) -> a, TreeMap::new));
        }
    }
}
