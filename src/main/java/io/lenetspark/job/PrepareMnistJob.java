package io.lenetspark.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.lenetspark.config.PrepareSettings;
import io.lenetspark.data.IdxOrigin;
import io.lenetspark.failure.StorageFailures;
import io.lenetspark.prepare.MnistExamples;
import io.lenetspark.prepare.MnistParquetWriter;
import io.lenetspark.prepare.MnistSplit;
import io.lenetspark.prepare.RawMnistFetcher;
import io.lenetspark.prepare.StagedIdxFiles;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkUserAppException;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * PrepareMnist: turns four IDX files into the {@code train} and {@code test} Parquet data sets the
 * training job reads, each with a record of the files it came from. By default only the official
 * MNIST files are accepted; {@code lenet.prepare.idx-files = any} takes any data set in their format.
 * Re-running it is cheap: complete data sets of the same files are kept, and the official files
 * are fetched only if a data set has to be written and the raw folder lacks them.
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
        switch (settings.idxFiles()) {
            case OFFICIAL -> writeOfficial(settings, spark, writer);
            case ANY -> writeAny(settings, spark, writer);
        }
    }

    private static void writeOfficial(PrepareSettings settings, SparkSession spark, MnistParquetWriter writer)
            throws IOException {
        List<MnistSplit> toWrite = new ArrayList<>();
        for (MnistSplit split : MnistSplit.values()) {
            String path = split.pathUnder(settings.output());
            // A data set of other files with the same row counts is not official MNIST.
            if (isComplete(writer, path, split.officialRows())
                    && origin(spark, path).map(IdxOrigin::officialMnist).orElse(true)) {
                LOG.info("MNIST {} at {} is already complete ({} rows): kept", split, path, split.officialRows());
            } else {
                toWrite.add(split);
            }
        }
        if (toWrite.isEmpty()) {
            return;
        }
        Path rawDir = RawMnistFetcher.fetch(settings);
        for (MnistSplit split : toWrite) {
            write(spark, writer, split, split.readIdx(rawDir), settings.output(),
                    split.officialOrigin("official MNIST IDX files verified in " + rawDir.toAbsolutePath()));
        }
    }

    private static void writeAny(PrepareSettings settings, SparkSession spark, MnistParquetWriter writer)
            throws IOException {
        try (StagedIdxFiles staged = RawMnistFetcher.stageAny(settings)) {
            LOG.info("IDX files from {} (lenet.prepare.idx-files = any){}", staged.source(),
                    staged.official() ? ": they are the official MNIST files" : "");
            for (MnistSplit split : MnistSplit.values()) {
                String path = split.pathUnder(settings.output());
                Optional<IdxOrigin> existing = origin(spark, path);
                if (existing.isPresent() && existing.get().sha256().equals(staged.sha256(split))
                        && isComplete(writer, path, existing.get().rows())) {
                    LOG.info("{} at {} is already complete from the same IDX files ({} rows): kept", split, path,
                            existing.get().rows());
                    continue;
                }
                MnistExamples examples = split.readIdx(staged);
                write(spark, writer, split, examples, settings.output(), staged.origin(split, examples.count()));
            }
        }
    }

    /** The data set first, then its origin: a data set without one is rewritten, never taken for another's. */
    private static void write(SparkSession spark, MnistParquetWriter writer, MnistSplit split, MnistExamples examples,
                              String output, IdxOrigin origin) throws IOException {
        String path = split.pathUnder(output);
        writer.write(split.toString(), examples, path);
        origin.writeTo(path, hadoop(spark));
    }

    /** What the data set at {@code path} records of its files; empty if nothing, or nothing readable. */
    private static Optional<IdxOrigin> origin(SparkSession spark, String path) {
        try {
            return IdxOrigin.of(path, hadoop(spark));
        } catch (JsonProcessingException e) {
            LOG.warn("Cannot read {} of {} ({}): the data set will be rewritten", IdxOrigin.FILE_NAME, path,
                    e.getOriginalMessage());
            return Optional.empty();
        } catch (IOException e) {
            throw StorageFailures.explain(e, path, "lenet.prepare.output",
                    () -> new UncheckedIOException("Cannot read " + path, e));
        }
    }

    /** The first look at the output location, so refused credentials or a missing bucket show here. */
    private static boolean isComplete(MnistParquetWriter writer, String path, long rows) {
        try {
            return writer.isComplete(path, rows);
        } catch (IOException e) {
            throw StorageFailures.explain(e, path, "lenet.prepare.output",
                    () -> new UncheckedIOException("Cannot read " + path, e));
        }
    }

    private static Configuration hadoop(SparkSession spark) {
        return spark.sparkContext().hadoopConfiguration();
    }
}
