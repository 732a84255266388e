package io.lenetspark.data;

import io.lenetspark.SparkTestSession;
import io.lenetspark.config.DataSettings.OnBadRow;
import io.lenetspark.failure.InvalidInputException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static io.lenetspark.data.MnistSchema.IMAGE_BYTES;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MnistParquetTest {

    /** The MNIST columns, nullable so that tests can write the bad values the reader must reject. */
    private static final StructType NULLABLE = new StructType()
            .add("id", DataTypes.LongType)
            .add("label", DataTypes.IntegerType)
            .add("image", DataTypes.BinaryType);
    private static final String FIX =
            ". Write it with PrepareMnist and point lenet.data.train at the data set it wrote.";
    private static final String BAD_ROWS_FIX = ". Write it with PrepareMnist and point lenet.data.train at the data "
            + "set it wrote, or set lenet.data.on-bad-row = skip to leave the bad rows out.";

    private static final String DUPLICATES_FIX = ". Write it with PrepareMnist and point lenet.data.train at the "
            + "data set it wrote, or set lenet.data.on-bad-row = skip to leave the bad rows out and keep one row of "
            + "each id.";

    private final SparkSession spark = SparkTestSession.get();

    @TempDir
    Path dir;

    @Test
    void readsTheMnistColumnsOfAValidDataSet() {
        StructType withExtraColumn = NULLABLE.add("source", DataTypes.StringType);
        String path = write(withExtraColumn, row(0, 7, IMAGE_BYTES, "a"), row(1, 2, IMAGE_BYTES, "b"));

        Dataset<Row> mnist = MnistParquet.read(spark, path, "train", OnBadRow.FAIL).rows();

        assertEquals(List.of("id", "label", "image"), Arrays.asList(mnist.columns()), "columns");
        assertEquals(2, mnist.count(), "rows");
    }

    @Test
    void rejectsMissingPath() {
        String path = dir.resolve("missing").toString();

        assertRejected(path, "does not exist");
    }

    @Test
    void rejectsEmptyFolder() throws IOException {
        String path = Files.createDirectory(dir.resolve("empty")).toString();

        assertRejected(path, "holds no Parquet files");
    }

    @Test
    void rejectsFolderOfCsvFiles() {
        String path = dir.resolve("csv").toString();
        spark.range(3).write().csv(path);

        String message = rejection(path);
        assertTrue(message.startsWith("MNIST train data " + path + " is not readable Parquet: a file in it is not "
                + "Parquet, or is truncated or corrupt ("), "problem named: " + message);
        assertTrue(message.contains(".csv is not a Parquet file"), "file named: " + message);
        assertTrue(message.endsWith(FIX), "fix named: " + message);
    }

    @Test
    void rejectsTruncatedParquetFile() throws IOException {
        String path = write(NULLABLE, row(0, 7, IMAGE_BYTES), row(1, 2, IMAGE_BYTES));
        Path truncated = truncateLastPart(path);

        String message = rejection(path);
        assertTrue(message.contains(truncated.getFileName() + " is not a Parquet file"), "file named: " + message);
        assertTrue(message.endsWith(FIX), "fix named: " + message);
    }

    /** Spark infers the schema from the first file, so this damage only shows when the data is read. */
    @Test
    void rejectsDataSetWhoseLastFileIsTruncated() throws IOException {
        String path = dir.resolve("two-files").toString();
        spark.createDataFrame(List.of(row(0, 7, IMAGE_BYTES), row(1, 2, IMAGE_BYTES)), NULLABLE)
                .repartition(2).write().parquet(path);
        Path truncated = truncateLastPart(path);

        String message = rejection(path);
        assertTrue(message.contains(truncated.getFileName() + " is not a Parquet file"), "file named: " + message);
        assertTrue(message.endsWith(FIX), "fix named: " + message);
    }

    @Test
    void rejectsDataSetWithoutLabelColumn() {
        StructType noLabel = new StructType().add("id", DataTypes.LongType).add("image", DataTypes.BinaryType);
        String path = write(noLabel, RowFactory.create(0L, new byte[IMAGE_BYTES]));

        assertRejected(path, "has the wrong schema (no column label): it is struct<id:bigint,image:binary>, "
                + "expected struct<id:bigint,label:int,image:binary>");
    }

    @Test
    void rejectsColumnsOfOtherTypes() {
        StructType wrongTypes = new StructType().add("id", DataTypes.StringType).add("label", DataTypes.DoubleType)
                .add("image", DataTypes.StringType);
        String path = write(wrongTypes, RowFactory.create("0", 7.0, "pixels"));

        assertRejected(path, "has the wrong schema (id is string, expected bigint or int; label is double, expected "
                + "int, tinyint, smallint or bigint; image is string, expected binary): it is "
                + "struct<id:string,label:double,image:string>, expected struct<id:bigint,label:int,image:binary>");
    }

    /** Integer types that hold every id and label without loss are read as the schema's types. */
    @ParameterizedTest(name = "id {0}, label {1}")
    @CsvSource({"int, int", "bigint, tinyint", "bigint, smallint", "int, bigint"})
    void acceptsIntegerIdsAndLabelsOfOtherWidths(String idType, String labelType) {
        String path = dir.resolve("data").toString();
        spark.createDataFrame(List.of(row(0, 7, IMAGE_BYTES), row(1, 2, IMAGE_BYTES)), NULLABLE)
                .select(col("id").cast(idType).as("id"), col("label").cast(labelType).as("label"), col("image"))
                .write().parquet(path);

        Dataset<Row> mnist = MnistParquet.read(spark, path, "train", OnBadRow.FAIL).rows();

        assertEquals(MnistSchema.SCHEMA.simpleString(), mnist.schema().simpleString(), "types read");
        assertEquals(List.of("0:7", "1:2"), mnist.orderBy("id").collectAsList().stream()
                .map(r -> r.getLong(0) + ":" + r.getInt(1)).toList(), "ids and labels");
    }

    /** 2^32 + 3 would be 3 as an int: the value is checked before it is narrowed. */
    @Test
    void aBigintLabelThatDoesNotFitIsABadRowNotAWrappedDigit() {
        StructType bigintLabels = new StructType().add("id", DataTypes.LongType).add("label", DataTypes.LongType)
                .add("image", DataTypes.BinaryType);
        String path = write(bigintLabels, RowFactory.create(0L, 7L, new byte[IMAGE_BYTES]),
                RowFactory.create(1L, (1L << 32) + 3, new byte[IMAGE_BYTES]));

        assertRejectedForBadRows(path, "has bad rows among its 2: 1 with a label outside 0-9 (first id 1)");
        MnistParquet.CheckedRows read = MnistParquet.read(spark, path, "train", OnBadRow.SKIP);
        assertEquals(List.of(0L), read.rows().collectAsList().stream().map(r -> r.getLong(0)).toList(), "rows kept");
    }

    @Test
    void rejectsDuplicateIdsCountingTheRowsBeyondOnePerId() {
        String path = write(NULLABLE, row(0, 7, IMAGE_BYTES), row(1, 2, IMAGE_BYTES), row(1, 2, IMAGE_BYTES),
                row(2, 5, IMAGE_BYTES), row(2, 6, IMAGE_BYTES), row(2, 7, IMAGE_BYTES));

        assertEquals("MNIST train data " + path + " has bad rows among its 6: 3 duplicates of 2 ids (first id 1)"
                + DUPLICATES_FIX, rejection(path), "message");
    }

    /** The user's case: every row of a data set with the same id, which would leave nothing to train on. */
    @Test
    void rejectsADataSetWhoseRowsAllShareOneId() {
        String path = write(NULLABLE, row(4, 7, IMAGE_BYTES), row(4, 2, IMAGE_BYTES), row(4, 1, IMAGE_BYTES));

        assertEquals("MNIST train data " + path + " has bad rows among its 3: 2 duplicates of 1 id (first id 4)"
                + DUPLICATES_FIX, rejection(path), "message");
    }

    /** Each file alone has unique ids; the check is over the whole data set. */
    @Test
    void rejectsIdsRepeatedInAnotherFile() {
        String path = dir.resolve("data").toString();
        spark.createDataFrame(List.of(row(0, 7, IMAGE_BYTES), row(1, 2, IMAGE_BYTES)), NULLABLE).coalesce(1)
                .write().parquet(path);
        spark.createDataFrame(List.of(row(1, 3, IMAGE_BYTES), row(2, 4, IMAGE_BYTES)), NULLABLE).coalesce(1)
                .write().mode("append").parquet(path);

        assertEquals("MNIST train data " + path + " has bad rows among its 4: 1 duplicate of 1 id (first id 1)"
                + DUPLICATES_FIX, rejection(path), "message");
    }

    /** A bad row does not make its id a duplicate: skip leaves it out and keeps the good row. */
    @Test
    void aBadRowSharingAGoodRowsIdIsOnlyABadRow() {
        String path = write(NULLABLE, row(0, 7, IMAGE_BYTES), row(0, null, IMAGE_BYTES), row(1, 2, IMAGE_BYTES));

        assertRejectedForBadRows(path, "has bad rows among its 3: 1 with a null label (first id 0)");
        MnistParquet.CheckedRows read = MnistParquet.read(spark, path, "train", OnBadRow.SKIP);
        assertEquals(List.of("0:7", "1:2"), read.rows().orderBy("id").collectAsList().stream()
                .map(r -> r.getLong(0) + ":" + r.getInt(1)).toList(), "rows kept");
        assertEquals(MnistDataCheck.Duplicates.NONE, read.check().duplicates(), "duplicates");
    }

    /**
     * Of rows sharing an id, skip keeps the one with the smallest label, then the smallest image,
     * whichever file or order they come in.
     */
    @Test
    void skipKeepsOneRowPerIdByLabelThenImage() {
        byte[] darker = new byte[IMAGE_BYTES];
        byte[] brighter = new byte[IMAGE_BYTES];
        darker[100] = 1;
        brighter[100] = (byte) 200;
        String path = dir.resolve("data").toString();
        spark.createDataFrame(List.of(row(0, 5, IMAGE_BYTES), RowFactory.create(1L, 4, brighter)), NULLABLE)
                .coalesce(1).write().parquet(path);
        spark.createDataFrame(List.of(row(0, 3, IMAGE_BYTES), RowFactory.create(1L, 4, darker),
                row(2, 9, IMAGE_BYTES)), NULLABLE).coalesce(1).write().mode("append").parquet(path);

        MnistParquet.CheckedRows read = MnistParquet.read(spark, path, "train", OnBadRow.SKIP);

        List<Row> kept = read.rows().orderBy("id").collectAsList();
        assertEquals(List.of("0:3", "1:4", "2:9"), kept.stream().map(r -> r.getLong(0) + ":" + r.getInt(1)).toList(),
                "one row per id, the smallest label first");
        assertEquals(1, ((byte[]) kept.get(1).get(2))[100], "of equal labels, the smallest image");
        MnistDataCheck check = read.check();
        assertEquals(new MnistDataCheck.Duplicates(2, 2, 0L), check.duplicates(), "duplicates");
        assertEquals(5, check.goodRows(), "good rows");
        assertEquals(3, check.rowsUsed(), "rows used");
        assertEquals(2, check.rowsLeftOut(), "rows left out");
    }

    @Test
    void rejectsEmptyDataSet() {
        String path = write(NULLABLE);

        assertRejected(path, "is empty (0 rows)");
    }

    @Test
    void rejectsNullLabels() {
        String path = write(NULLABLE, row(0, 7, IMAGE_BYTES), row(1, null, IMAGE_BYTES), row(2, null, IMAGE_BYTES));

        assertRejectedForBadRows(path, "has bad rows among its 3: 2 with a null label (first id 1)");
    }

    @Test
    void rejectsLabelsOutsideTheDigits() {
        String path = write(NULLABLE, row(0, 7, IMAGE_BYTES), row(1, 10, IMAGE_BYTES), row(2, -1, IMAGE_BYTES));

        assertRejectedForBadRows(path, "has bad rows among its 3: 2 with a label outside 0-9 (first id 1)");
    }

    @Test
    void rejectsNullImages() {
        String path = write(NULLABLE, row(0, 7, IMAGE_BYTES), RowFactory.create(1L, 2, null));

        assertRejectedForBadRows(path, "has bad rows among its 2: 1 with a null image (first id 1)");
    }

    @Test
    void rejectsImagesThatAreNot784Bytes() {
        String path = write(NULLABLE, row(0, 7, IMAGE_BYTES), row(1, 2, IMAGE_BYTES - 1), row(2, 2, IMAGE_BYTES + 1));

        assertRejectedForBadRows(path, "has bad rows among its 3: 2 with an image that is not 784 bytes (first id 1)");
    }

    @Test
    void reportsEveryKindOfBadRowInOneMessage() {
        String path = write(NULLABLE, RowFactory.create(null, 7, new byte[IMAGE_BYTES]), row(1, 11, 3));

        assertRejectedForBadRows(path, "has bad rows among its 2: 1 with a null id (first at row index 0 of file "
                + onlyPart(path) + "); 1 with a label outside 0-9 (first id 1); "
                + "1 with an image that is not 784 bytes (first id 1)");
    }

    /** Rows without an id are found by file and place in it, as Spark's Parquet reader numbers them. */
    @Test
    void locatesBadRowsWithoutIdByFileAndRowIndex() {
        String path = write(NULLABLE, row(0, 7, IMAGE_BYTES), row(1, 7, IMAGE_BYTES),
                RowFactory.create(null, null, new byte[IMAGE_BYTES]), RowFactory.create(null, 3, null));

        assertRejectedForBadRows(path, "has bad rows among its 4: 2 with a null id (first at row index 2 of file "
                + onlyPart(path) + "); 1 with a null label (first at row index 2 of file " + onlyPart(path)
                + "); 1 with a null image (first at row index 3 of file " + onlyPart(path) + ")");
    }

    @Test
    void skipLeavesOutTheBadRowsAndCountsThemByKind() {
        String path = write(NULLABLE, row(0, 7, IMAGE_BYTES), row(1, null, 0), row(2, 3, IMAGE_BYTES),
                row(3, 12, IMAGE_BYTES), RowFactory.create(null, 4, new byte[IMAGE_BYTES]), row(5, 4, IMAGE_BYTES));

        MnistParquet.CheckedRows read = MnistParquet.read(spark, path, "train", OnBadRow.SKIP);

        assertEquals(List.of(0L, 2L, 5L), read.rows().orderBy("id").collectAsList().stream()
                .map(r -> r.getLong(0)).toList(), "ids of the rows kept");
        MnistDataCheck check = read.check();
        assertEquals(6, check.rows(), "rows read");
        assertEquals(3, check.goodRows(), "good rows");
        assertEquals(new MnistDataCheck.BadRows(1, "at row index 4 of file " + onlyPart(path)),
                check.badRows().get(BadRowKind.NULL_ID), "rows without id");
        assertEquals(new MnistDataCheck.BadRows(1, "id 1"), check.badRows().get(BadRowKind.NULL_LABEL));
        assertEquals(new MnistDataCheck.BadRows(1, "id 3"), check.badRows().get(BadRowKind.LABEL_OUTSIDE_DIGITS));
        assertEquals(new MnistDataCheck.BadRows(0, null), check.badRows().get(BadRowKind.NULL_IMAGE));
        assertEquals(new MnistDataCheck.BadRows(1, "id 1"), check.badRows().get(BadRowKind.IMAGE_NOT_784_BYTES));
    }

    @Test
    void skipKeepsEveryRowOfAValidDataSet() {
        String path = write(NULLABLE, row(0, 7, IMAGE_BYTES), row(1, 2, IMAGE_BYTES));

        MnistParquet.CheckedRows read = MnistParquet.read(spark, path, "train", OnBadRow.SKIP);

        assertEquals(2, read.rows().count(), "rows kept");
        assertEquals(0, read.check().badRowCount(), "rows left out");
    }

    @Test
    void skipStillRejectsADataSetWithoutGoodRows() {
        String path = write(NULLABLE, row(0, null, IMAGE_BYTES), row(1, 10, IMAGE_BYTES));

        InvalidInputException rejection = assertThrows(InvalidInputException.class,
                () -> MnistParquet.read(spark, path, "train", OnBadRow.SKIP));

        assertEquals("MNIST train data " + path + " has no good rows: all 2 are bad (1 with a null label (first id 0); "
                + "1 with a label outside 0-9 (first id 1))" + FIX, rejection.getMessage(), "message");
    }

    private static Row row(long id, Integer label, int imageBytes, Object... extra) {
        Object[] values = Arrays.copyOf(new Object[] {id, label, new byte[imageBytes]}, 3 + extra.length);
        System.arraycopy(extra, 0, values, 3, extra.length);
        return RowFactory.create(values);
    }

    private String write(StructType schema, Row... rows) {
        String path = dir.resolve("data").toString();
        spark.createDataFrame(List.of(rows), schema).coalesce(1).write().parquet(path);
        return path;
    }

    /** Cuts the last part file in half, as an interrupted copy would. */
    private static Path truncateLastPart(String path) throws IOException {
        Path last;
        try (Stream<Path> files = Files.list(Path.of(path))) {
            last = files.filter(f -> f.getFileName().toString().startsWith("part-")).sorted()
                    .reduce((first, second) -> second).orElseThrow();
        }
        try (RandomAccessFile file = new RandomAccessFile(last.toFile(), "rw")) {
            file.setLength(file.length() / 2);
        }
        // Hadoop's local file system would otherwise report a checksum error instead.
        Files.deleteIfExists(last.resolveSibling("." + last.getFileName() + ".crc"));
        return last;
    }

    private String rejection(String path) {
        return assertThrows(InvalidInputException.class, () -> MnistParquet.read(spark, path, "train", OnBadRow.FAIL))
                .getMessage();
    }

    private void assertRejected(String path, String problem) {
        assertEquals("MNIST train data " + path + " " + problem + FIX, rejection(path), "message");
    }

    private void assertRejectedForBadRows(String path, String problem) {
        assertEquals("MNIST train data " + path + " " + problem + BAD_ROWS_FIX, rejection(path), "message");
    }

    /** The name of the one Parquet file of the data set at {@code path}. */
    private static String onlyPart(String path) {
        try (Stream<Path> files = Files.list(Path.of(path))) {
            return files.map(f -> f.getFileName().toString()).filter(name -> name.endsWith(".parquet"))
                    .reduce((a, b) -> {
                        throw new IllegalStateException("more than one Parquet file in " + path);
                    }).orElseThrow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
