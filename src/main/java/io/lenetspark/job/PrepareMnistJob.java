package io.lenetspark.job;

import io.lenetspark.config.PrepareSettings;
import io.lenetspark.failure.StorageFailures;
import io.lenetspark.prepare.MnistParquetWriter;
import io.lenetspark.prepare.MnistSplit;
import io.lenetspark.prepare.RawMnistFetcher;
import org.apache.spark.SparkUserAppException;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * PrepareMnist: turns the official MNIST IDX files into the {@code train} and {@code test} Parquet
 * data sets the training job reads. Re-running it is cheap: complete data sets are kept, and the
 * IDX files are fetched only if a data set has to be written and the raw folder lacks them.
 */
public final class PrepareMnistJob {

    private static final Logger LOG = LoggerFactory.getLogger(PrepareMnistJob.class);

    private PrepareMnistJob() {
    }

    public static void main(String[] args) throws SparkUserAppException {
        JobLauncher.runAndExit("PrepareMnist", args, (settings, spark) -> run(settings.prepare(), spark));
    }

    /** Writes {@code <output>/train} and {@code <output>/test}, skipping those already complete. */
    public static void run(PrepareSettings settings, SparkSession spark) throws IOException {
        MnistParquetWriter writer = new MnistParquetWriter(spark, settings.partitions());
        List<MnistSplit> toWrite = new ArrayList<>();
        for (MnistSplit split : MnistSplit.values()) {
            String path = split.pathUnder(settings.output());
            if (isComplete(writer, path, split)) {
                LOG.info("MNIST {} at {} is already complete ({} rows): kept", split, path, split.rows());
            } else {
                toWrite.add(split);
            }
        }
        if (toWrite.isEmpty()) {
            return;
        }
        Path rawDir = RawMnistFetcher.fetch(settings);
        for (MnistSplit split : toWrite) {
            writer.write(split.toString(), split.readIdx(rawDir), split.pathUnder(settings.output()));
        }
    }

    /** The first look at the output location, so refused credentials or a missing bucket show here. */
    private static boolean isComplete(MnistParquetWriter writer, String path, MnistSplit split) {
        try {
            return writer.isComplete(path, split.rows());
        } catch (IOException e) {
            throw StorageFailures.explain(e, path, "lenet.prepare.output",
                    () -> new UncheckedIOException("Cannot read " + path, e));
        }
    }
}
