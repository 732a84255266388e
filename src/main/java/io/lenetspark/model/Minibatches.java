package io.lenetspark.model;

import io.lenetspark.data.MnistSchema;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.nd4j.linalg.dataset.DataSet;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.xxhash64;

/** Builds the persisted RDDs of DL4J minibatches that training and evaluation consume. */
public final class Minibatches {

    /**
     * As objects: parameter averaging reads every minibatch again in each averaging round, and
     * serialised storage made that a Java deserialisation, a quarter of a training profile. The
     * arrays live off the heap (54,000 images: about 180 MB), within the executors' ND4J limit.
     */
    public static final StorageLevel STORAGE_LEVEL = StorageLevel.MEMORY_ONLY();

    private Minibatches() {
    }

    /**
     * One epoch's minibatches: rows spread over {@code partitions} and ordered by a hash seeded
     * with the epoch, so each epoch sees a different, reproducible order (as Keras shuffles).
     */
    public static JavaRDD<DataSet> shuffled(Dataset<Row> rows, int partitions, int batchSize, long seed, int epoch) {
        Column order = xxhash64(col(MnistSchema.ID), lit(seed), lit(epoch));
        return toMinibatches(rows.repartition(partitions, order).sortWithinPartitions(order), batchSize);
    }

    /** Minibatches in the data's own order, for evaluation. */
    public static JavaRDD<DataSet> inOrder(Dataset<Row> rows, int partitions, int batchSize) {
        return toMinibatches(rows.repartition(partitions), batchSize);
    }

    private static JavaRDD<DataSet> toMinibatches(Dataset<Row> rows, int batchSize) {
        return rows.select(MnistSchema.LABEL, MnistSchema.IMAGE)
                .javaRDD()
                .mapPartitions(new RowsToMinibatches(batchSize, 0, 1))
                .persist(STORAGE_LEVEL);
    }
}
