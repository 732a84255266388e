package io.lenetspark.prepare;

import io.lenetspark.SparkTestSession;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;

import static io.lenetspark.data.MnistSchema.ID;
import static io.lenetspark.data.MnistSchema.IMAGE;
import static io.lenetspark.data.MnistSchema.IMAGE_BYTES;
import static io.lenetspark.data.MnistSchema.LABEL;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MnistParquetWriterTest {

    private static final int ROWS = 50;
    private static final int PARTITIONS = 3;
    /** IDX headers: magic and count; images add rows and columns. */
    private static final int LABELS_HEADER_BYTES = 8;
    private static final int IMAGES_HEADER_BYTES = 16;

    private final SparkSession spark = SparkTestSession.get();
    private final MnistParquetWriter writer = new MnistParquetWriter(spark, PARTITIONS);

    @TempDir
    Path dir;

    @Test
    void writesLabelsAndPixelsExactlyAsInTheIdxFiles() throws IOException {
        Path raw = MnistTestFiles.rawDir();
        String path = dir.resolve("test").toUri().toString();

        writer.write("test", MnistSplit.TEST.readIdx(raw).first(ROWS), path);

        Dataset<Row> written = spark.read().parquet(path);
        assertEquals("struct<id:bigint,label:int,image:binary>", written.schema().simpleString(), "schema");
        assertEquals(ROWS, written.count(), "rows");
        Row first = written.where(col(ID).equalTo(0)).first();
        byte[] labels = Files.readAllBytes(raw.resolve(IdxFile.TEST_LABELS.fileName()));
        byte[] images = Files.readAllBytes(raw.resolve(IdxFile.TEST_IMAGES.fileName()));
        assertEquals(labels[LABELS_HEADER_BYTES], first.<Integer>getAs(LABEL), "label of id 0");
        assertArrayEquals(Arrays.copyOfRange(images, IMAGES_HEADER_BYTES, IMAGES_HEADER_BYTES + IMAGE_BYTES),
                first.<byte[]>getAs(IMAGE), "pixels of id 0");
    }

    @Test
    void writesOneFilePerPartitionWithConsecutiveIds() throws IOException {
        String path = dir.resolve("blank").toString();

        writer.write("blank", blank(ROWS), path);

        assertEquals(PARTITIONS, parquetFiles(path), "Parquet files");
        Row ids = spark.read().parquet(path).selectExpr("min(id)", "max(id)", "count(distinct id)").first();
        assertEquals(0L, ids.getLong(0), "first id");
        assertEquals(ROWS - 1L, ids.getLong(1), "last id");
        assertEquals(ROWS, ids.getLong(2), "distinct ids");
    }

    @Test
    void replacesWhateverIsAtThePath() throws IOException {
        Path path = Files.createDirectory(dir.resolve("partial"));
        Files.writeString(path.resolve("part-00000-left-over.parquet"), "interrupted write");

        writer.write("partial", blank(ROWS), path.toString());

        assertFalse(Files.exists(path.resolve("part-00000-left-over.parquet")), "left-over file removed");
        assertEquals(ROWS, spark.read().parquet(path.toString()).count(), "rows");
    }

    @Test
    void dataSetWithSuccessMarkerAndExpectedRowsIsComplete() throws IOException {
        String path = dir.resolve("complete").toString();
        writer.write("complete", blank(ROWS), path);

        assertTrue(writer.isComplete(path, ROWS), "complete with " + ROWS + " rows");
    }

    @Test
    void dataSetWithOtherRowCountIsNotComplete() throws IOException {
        String path = dir.resolve("short").toString();
        writer.write("short", blank(ROWS), path);

        assertFalse(writer.isComplete(path, ROWS + 1), "not complete with " + (ROWS + 1) + " rows expected");
    }

    @Test
    void dataSetWithoutSuccessMarkerIsNotComplete() throws IOException {
        Path path = dir.resolve("uncommitted");
        writer.write("uncommitted", blank(ROWS), path.toString());
        Files.delete(path.resolve("_SUCCESS"));

        assertFalse(writer.isComplete(path.toString(), ROWS), "not complete without _SUCCESS");
    }

    @Test
    void missingDataSetIsNotComplete() throws IOException {
        assertFalse(writer.isComplete(dir.resolve("missing").toString(), ROWS), "not complete when missing");
    }

    private static MnistExamples blank(int count) {
        return new MnistExamples(new byte[count * IMAGE_BYTES], new byte[count]);
    }

    private static long parquetFiles(String path) throws IOException {
        try (Stream<Path> files = Files.list(Path.of(path))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".parquet")).count();
        }
    }
}
