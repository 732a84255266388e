package io.lenetspark.job;

import io.lenetspark.SparkTestSession;
import io.lenetspark.config.PrepareSettings;
import io.lenetspark.prepare.MnistTestFiles;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

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

    /** Source {@code dir} pointing nowhere: any attempt to fetch fails. */
    private static PrepareSettings settings(Path rawDir, Path output) {
        return new PrepareSettings(PrepareSettings.Source.DIR, "", "/nonexistent-mnist-source", "",
                rawDir.toString(), output.toUri().toString(), PARTITIONS);
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
