package io.lenetspark;

import io.lenetspark.config.ConfigLoader;
import io.lenetspark.config.LeNetSettings;
import io.lenetspark.data.MnistSchema;
import io.lenetspark.job.PrepareMnistJob;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import static org.apache.spark.sql.functions.col;

/**
 * Real MNIST for integration tests: the official files converted by PrepareMnist into
 * {@code ${lenet.test.data-dir}/parquet} (fetched once, then reused), and small subsets of them
 * (the first rows of each split) under {@code target/test-data}. Test JVMs running side by side
 * take turns through a file lock, so each data set is written once.
 */
public final class MnistSubset {

    private static final String DATA_DIR_PROPERTY = "lenet.test.data-dir";

    private MnistSubset() {
    }

    /** Creates a subset for measurements outside the tests ({@code bench/compare-local-standalone.sh}). */
    public static void main(String[] args) throws IOException {
        try {
            System.out.println(of(Integer.parseInt(args[0]), Integer.parseInt(args[1])));
        } finally {
            SparkTestSession.get().stop();
        }
    }

    /** A folder with {@code train} and {@code test} Parquet holding the first rows of each split. */
    public static synchronized Path of(int trainRows, int testRows) throws IOException {
        try (TestDataLock ignored = TestDataLock.take()) {
            return subset(trainRows, testRows);
        }
    }

    /** The full official data set as Parquet, prepared with the product's own PrepareMnist. */
    public static synchronized Path preparedFull() throws IOException {
        try (TestDataLock ignored = TestDataLock.take()) {
            return prepareFull();
        }
    }

    /** Taken by one test JVM at a time; closing the channel releases the lock. */
    private record TestDataLock(FileChannel channel) implements AutoCloseable {

        static TestDataLock take() throws IOException {
            Path lockFile = Files.createDirectories(Path.of("target", "test-data")).resolve(".lock");
            FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            try {
                channel.lock();
                return new TestDataLock(channel);
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    private static Path subset(int trainRows, int testRows) throws IOException {
        Path subset = Path.of("target", "test-data", "mnist-" + trainRows + "-" + testRows).toAbsolutePath();
        if (Files.exists(subset.resolve("test").resolve("_SUCCESS"))) {
            return subset;
        }
        Path full = prepareFull();
        SparkSession spark = SparkTestSession.get();
        spark.read().parquet(full.resolve("train").toString()).filter(col(MnistSchema.ID).lt(trainRows))
                .coalesce(2).write().mode(SaveMode.Overwrite).parquet(subset.resolve("train").toString());
        spark.read().parquet(full.resolve("test").toString()).filter(col(MnistSchema.ID).lt(testRows))
                .coalesce(2).write().mode(SaveMode.Overwrite).parquet(subset.resolve("test").toString());
        return subset;
    }

    private static Path prepareFull() throws IOException {
        Path dataDir = Path.of(System.getProperty(DATA_DIR_PROPERTY, "data")).toAbsolutePath();
        LeNetSettings settings = LeNetSettings.from(ConfigLoader.load(List.of(
                "prepare.raw-dir=" + dataDir.resolve("raw"),
                "prepare.output=" + dataDir.resolve("parquet"))));
        PrepareMnistJob.run(settings.prepare(), SparkTestSession.get());
        return dataDir.resolve("parquet");
    }
}
