package io.lenetspark.prepare;

import io.lenetspark.data.MnistSchema;
import io.lenetspark.util.SparkJobGroup;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * Writes one split as a Parquet data set of {@link MnistSchema#SCHEMA}. The examples are read on
 * the driver (executors need not see its local raw folder) and broadcast once; each task then
 * builds the rows of one contiguous id range, so every Parquet file holds consecutive ids.
 */
public final class MnistParquetWriter {

    private static final Logger LOG = LoggerFactory.getLogger(MnistParquetWriter.class);
    /** Spark writes this marker only once every file of the data set is committed. */
    private static final String SUCCESS_MARKER = "_SUCCESS";
    private static final double NANOS_PER_SECOND = 1e9;

    private final SparkSession spark;
    private final int partitions;

    public MnistParquetWriter(SparkSession spark, int partitions) {
        this.spark = spark;
        this.partitions = partitions;
    }

    /** True if {@code path} holds a committed data set of {@code expectedRows} rows. */
    public boolean isComplete(String path, long expectedRows) throws IOException {
        Path marker = new Path(path, SUCCESS_MARKER);
        FileSystem fs = marker.getFileSystem(spark.sparkContext().hadoopConfiguration());
        if (!fs.exists(marker)) {
            return false;
        }
        long rows = spark.read().parquet(path).count();
        if (rows != expectedRows) {
            LOG.info("{} holds {} rows, expected {}: it will be rewritten", path, rows, expectedRows);
        }
        return rows == expectedRows;
    }

    /** Writes {@code examples} to {@code path}, replacing whatever is there. */
    public void write(String splitName, MnistExamples examples, String path) {
        long start = System.nanoTime();
        Broadcast<MnistExamples> shared = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(examples);
        try (SparkJobGroup group = SparkJobGroup.start(spark.sparkContext(), "prepare", "PREPARE " + splitName)) {
            spark.range(0, examples.count(), 1, partitions)
                    .map(new ExampleRow(shared), Encoders.row(MnistSchema.SCHEMA))
                    .write()
                    .mode(SaveMode.Overwrite)
                    .parquet(path);
        } finally {
            shared.destroy();
        }
        LOG.info("Wrote MNIST {} to {}: {} rows in {} s", splitName, path, examples.count(),
                String.format("%.1f", (System.nanoTime() - start) / NANOS_PER_SECOND));
    }

    /** Builds the row of one example id from the broadcast examples, on an executor. */
    private static final class ExampleRow implements MapFunction<Long, Row> {

        private final Broadcast<MnistExamples> examples;

        ExampleRow(Broadcast<MnistExamples> examples) {
            this.examples = examples;
        }

        @Override
        public Row call(Long id) {
            int index = Math.toIntExact(id);
            MnistExamples all = examples.value();
            return RowFactory.create(id, all.label(index), all.image(index));
        }
    }
}
