package io.lenetspark.job;

import io.lenetspark.SparkTestSession;
import io.lenetspark.config.DataSettings.OnBadRow;
import io.lenetspark.config.PrepareSettings;
import io.lenetspark.data.IdxOrigin;
import io.lenetspark.data.MnistParquet;
import io.lenetspark.failure.InvalidInputException;
import io.lenetspark.prepare.IdxBytes;
import io.lenetspark.prepare.MnistTestFiles;
import io.lenetspark.util.Sha256;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Converts the real MNIST once for the class; each test then re-runs the job on that output. */
class PrepareMnistJobTest {

    private static final int PARTITIONS = 2;

    private static final SparkSession spark = SparkTestSession.get();

    @TempDir
    static Path dir;
    private static Path output;

    @BeforeAll
    static void prepareRealMnist() throws IOException {
        output = dir.resolve("parquet");
        PrepareMnistJob.run(settings(MnistTestFiles.rawDir(), output), spark);
    }

    @Test
    void writesTheOfficialSplitsWithOneFilePerPartition() throws IOException {
        assertEquals(60_000, spark.read().parquet(output.resolve("train").toString()).count(), "train rows");
        assertEquals(10_000, spark.read().parquet(output.resolve("test").toString()).count(), "test rows");
        assertEquals(PARTITIONS, parquetFiles(output.resolve("train")).size(), "train files");
    }

    @Test
    void keepsCompleteDataSetsWithoutFetching() throws IOException {
        Map<Path, FileTime> before = parquetFiles(output);
        Path unusedRawDir = dir.resolve("unused-raw");

        PrepareMnistJob.run(settings(unusedRawDir, output), spark);

        assertEquals(before, parquetFiles(output), "Parquet files untouched");
        assertFalse(Files.exists(unusedRawDir), "nothing fetched");
    }

    @Test
    void rewritesDataSetWithoutSuccessMarker() throws IOException {
        Files.delete(output.resolve("test").resolve("_SUCCESS"));
        Map<Path, FileTime> trainBefore = parquetFiles(output.resolve("train"));
        Map<Path, FileTime> testBefore = parquetFiles(output.resolve("test"));

        PrepareMnistJob.run(settings(MnistTestFiles.rawDir(), output), spark);

        assertEquals(trainBefore, parquetFiles(output.resolve("train")), "complete train untouched");
        assertNotEquals(testBefore, parquetFiles(output.resolve("test")), "partial test rewritten");
        assertEquals(10_000, spark.read().parquet(output.resolve("test").toString()).count(), "test rows");
    }

    @Test
    void recordsTheOfficialFilesWithEachDataSet() throws IOException {
        IdxOrigin train = IdxOrigin.of(output.resolve("train").toString(), spark.sparkContext().hadoopConfiguration())
                .orElseThrow();
        assertTrue(train.officialMnist(), "official: " + train);
        assertEquals(60_000, train.rows());
        assertEquals(Map.of("train-images-idx3-ubyte", "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
                "train-labels-idx1-ubyte", "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"),
                train.sha256());
    }

    @Test
    void rewritesADataSetOfOtherFilesWithTheOfficialRowCount() throws IOException {
        Path test = output.resolve("test");
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        new IdxOrigin("folder /kmnist", false, Map.of("t10k-images-idx3-ubyte", "ab12"), 10_000)
                .writeTo(test.toString(), hadoop);
        Map<Path, FileTime> before = parquetFiles(test);

        PrepareMnistJob.run(settings(MnistTestFiles.rawDir(), output), spark);

        assertNotEquals(before, parquetFiles(test), "other files' data set rewritten");
        assertTrue(IdxOrigin.of(test.toString(), hadoop).orElseThrow().officialMnist(), "official again");
    }

    /** A data set of MNIST's format that is not MNIST: 30 and 12 images, some files gzip-compressed. */
    @Test
    void writesAnyIdxDataSetAndRecordsItsChecksums() throws IOException {
        Path source = Files.createDirectories(dir.resolve("other-idx"));
        byte[] trainImages = IdxBytes.images(30);
        byte[] trainLabels = IdxBytes.labels(IntStream.range(0, 30).map(i -> (i * 7) % 10).toArray());
        Files.write(source.resolve("train-images-idx3-ubyte.gz"), gzip(trainImages));
        Files.write(source.resolve("train-labels-idx1-ubyte"), trainLabels);
        Files.write(source.resolve("t10k-images-idx3-ubyte"), IdxBytes.images(12));
        Files.write(source.resolve("t10k-labels-idx1-ubyte.gz"), gzip(IdxBytes.labels(
                IntStream.range(0, 12).map(i -> i % 10).toArray())));
        Path rawDir = dir.resolve("other-raw");
        Path otherOutput = dir.resolve("other-parquet");
        PrepareSettings any = anySettings(source, rawDir, otherOutput);

        PrepareMnistJob.run(any, spark);

        String trainPath = otherOutput.resolve("train").toString();
        MnistParquet.CheckedRows read = MnistParquet.read(spark, trainPath, "train", OnBadRow.FAIL);
        assertEquals(30, read.rows().count(), "train rows");
        assertEquals(12, spark.read().parquet(otherOutput.resolve("test").toString()).count(), "test rows");
        IdxOrigin origin = read.check().idxFiles();
        assertEquals(Map.of("train-images-idx3-ubyte", Sha256.of(trainImages), "train-labels-idx1-ubyte",
                Sha256.of(trainLabels)), origin.sha256(), "checksums of the uncompressed files: " + origin);
        assertFalse(origin.officialMnist());
        assertEquals(30, origin.rows());
        assertTrue(origin.source().contains(source.toString()), origin.source());
        try (Stream<Path> left = Files.list(rawDir)) {
            assertEquals(List.of(), left.toList(), "nothing staged is left in the raw folder");
        }

        Map<Path, FileTime> before = parquetFiles(otherOutput);
        Map<Path, FileTime> trainBefore = parquetFiles(otherOutput.resolve("train"));
        PrepareMnistJob.run(any, spark);
        assertEquals(before, parquetFiles(otherOutput), "complete data sets of the same files kept");

        Files.write(source.resolve("t10k-images-idx3-ubyte"), IdxBytes.images(13));
        Files.write(source.resolve("t10k-labels-idx1-ubyte.gz"), gzip(IdxBytes.labels(
                IntStream.range(0, 13).map(i -> i % 10).toArray())));
        PrepareMnistJob.run(any, spark);
        assertEquals(13, spark.read().parquet(otherOutput.resolve("test").toString()).count(), "changed test rewritten");
        assertEquals(trainBefore, parquetFiles(otherOutput.resolve("train")), "unchanged train kept");
    }

    @Test
    void refusesAnyIdxFileOutsideMnistsFormatNamingItsSource() throws IOException {
        Path source = Files.createDirectories(dir.resolve("eleven-classes"));
        Files.write(source.resolve("train-images-idx3-ubyte"), IdxBytes.images(3));
        Files.write(source.resolve("train-labels-idx1-ubyte"), IdxBytes.labels(1, 10, 2));
        Files.write(source.resolve("t10k-images-idx3-ubyte"), IdxBytes.images(1));
        Files.write(source.resolve("t10k-labels-idx1-ubyte"), IdxBytes.labels(4));
        Path otherOutput = dir.resolve("eleven-classes-parquet");

        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> PrepareMnistJob.run(anySettings(source, dir.resolve("eleven-raw"), otherOutput), spark));

        assertTrue(e.getMessage().contains("has label 10 at index 1, outside 0-9"), e.getMessage());
        assertTrue(e.getMessage().contains(source.toString()) && e.getMessage().contains("idx-files = any"),
                e.getMessage());
        assertFalse(Files.exists(otherOutput.resolve("train").resolve("_SUCCESS")), "no data set written");
    }

    /** Source {@code dir} pointing nowhere: any attempt to fetch fails. */
    private static PrepareSettings settings(Path rawDir, Path output) {
        return new PrepareSettings(PrepareSettings.Source.DIR, "", "/nonexistent-mnist-source", "",
                rawDir.toString(), output.toUri().toString(), PARTITIONS, PrepareSettings.IdxFiles.OFFICIAL);
    }

    private static PrepareSettings anySettings(Path source, Path rawDir, Path output) {
        return new PrepareSettings(PrepareSettings.Source.DIR, "", source.toString(), "", rawDir.toString(),
                output.toUri().toString(), 1, PrepareSettings.IdxFiles.ANY);
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        }
        return out.toByteArray();
    }

    /** Each Parquet file under {@code folder} with its modification time. */
    private static Map<Path, FileTime> parquetFiles(Path folder) throws IOException {
        Map<Path, FileTime> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.filter(p -> p.getFileName().toString().endsWith(".parquet")).toList()) {
                files.put(path, Files.getLastModifiedTime(path));
            }
        }
        return files;
    }
}
