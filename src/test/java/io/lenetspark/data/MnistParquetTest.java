package io.lenetspark.data;

import io.lenetspark.InvalidInputException;
import io.lenetspark.SparkTestSession;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static io.lenetspark.data.MnistSchema.IMAGE_BYTES;
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

    private final SparkSession spark = SparkTestSession.get();

    @TempDir
    Path dir;

    @Test
    void readsTheMnistColumnsOfAValidDataSet() {
        StructType withExtraColumn = NULLABLE.add("source", DataTypes.StringType);
        String path = write(withExtraColumn, row(0, 7, IMAGE_BYTES, "a"), row(1, 2, IMAGE_BYTES, "b"));

        Dataset<Row> mnist = MnistParquet.read(spark, path, "train");

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
        StructType wrongTypes = new StructType().add("id", DataTypes.IntegerType).add("label", DataTypes.StringType)
                .add("image", DataTypes.BinaryType);
        String path = write(wrongTypes, RowFactory.create(0, "7", new byte[IMAGE_BYTES]));

        assertRejected(path, "has the wrong schema (id is int, expected bigint; label is string, expected int): "
                + "it is struct<id:int,label:string,image:binary>, expected struct<id:bigint,label:int,image:binary>");
    }

    @Test
    void rejectsEmptyDataSet() {
        String path = write(NULLABLE);

        assertRejected(path, "is empty (0 rows)");
    }

    @Test
    void rejectsNullLabels() {
        String path = write(NULLABLE, row(0, 7, IMAGE_BYTES), row(1, null, IMAGE_BYTES), row(2, null, IMAGE_BYTES));

        assertRejected(path, "has bad rows among its 3: 2 with a null label (first id 1)");
    }

    @Test
    void rejectsLabelsOutsideTheDigits() {
        String path = write(NULLABLE, row(0, 7, IMAGE_BYTES), row(1, 10, IMAGE_BYTES), row(2, -1, IMAGE_BYTES));

        assertRejected(path, "has bad rows among its 3: 2 with a label outside 0-9 (first id 1)");
    }

    @Test
    void rejectsNullImages() {
        String path = write(NULLABLE, row(0, 7, IMAGE_BYTES), RowFactory.create(1L, 2, null));

        assertRejected(path, "has bad rows among its 2: 1 with a null image (first id 1)");
    }

    @Test
    void rejectsImagesThatAreNot784Bytes() {
        String path = write(NULLABLE, row(0, 7, IMAGE_BYTES), row(1, 2, IMAGE_BYTES - 1), row(2, 2, IMAGE_BYTES + 1));

        assertRejected(path, "has bad rows among its 3: 2 with an image that is not 784 bytes (first id 1)");
    }

    @Test
    void reportsEveryKindOfBadRowInOneMessage() {
        String path = write(NULLABLE, RowFactory.create(null, 7, new byte[IMAGE_BYTES]), row(1, 11, 3));

        assertRejected(path, "has bad rows among its 2: 1 with a null id; 1 with a label outside 0-9 (first id 1); "
                + "1 with an image that is not 784 bytes (first id 1)");
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
        return assertThrows(InvalidInputException.class, () -> MnistParquet.read(spark, path, "train")).getMessage();
    }

    private void assertRejected(String path, String problem) {
        assertEquals("MNIST train data " + path + " " + problem + FIX, rejection(path), "message");
    }
}
