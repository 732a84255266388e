package io.lenetspark.output;

import io.lenetspark.training.EpochMetrics;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code metrics.parquet}: one row per epoch. Its columns are named as the keys of each line of
 * {@code metrics.jsonl}, which are {@link EpochMetrics}' components in snake_case, so that a
 * notebook finds the same names in both. A training loss that is not known is null here.
 */
public final class MetricsTable {

    public static final String EPOCH = "epoch";
    public static final String SECONDS = "seconds";
    public static final String IMAGES_PER_SECOND = "images_per_second";
    public static final String LOSS = "loss";
    public static final String VAL_LOSS = "val_loss";
    public static final String VAL_ACCURACY = "val_accuracy";
    public static final String LEARNING_RATE = "learning_rate";

    public static final StructType SCHEMA = new StructType()
            .add(EPOCH, DataTypes.IntegerType, false)
            .add(SECONDS, DataTypes.DoubleType, false)
            .add(IMAGES_PER_SECOND, DataTypes.DoubleType, false)
            .add(LOSS, DataTypes.DoubleType, true)
            .add(VAL_LOSS, DataTypes.DoubleType, false)
            .add(VAL_ACCURACY, DataTypes.DoubleType, false)
            .add(LEARNING_RATE, DataTypes.DoubleType, false);

    private MetricsTable() {
    }

    static Row row(EpochMetrics m) {
        return RowFactory.create(m.epoch(), m.seconds(), m.imagesPerSecond(), Double.isNaN(m.loss()) ? null : m.loss(),
                m.valLoss(), m.valAccuracy(), m.learningRate());
    }

    public static EpochMetrics epoch(Row row) {
        int loss = row.fieldIndex(LOSS);
        return new EpochMetrics(row.getInt(row.fieldIndex(EPOCH)), row.getDouble(row.fieldIndex(SECONDS)),
                row.getDouble(row.fieldIndex(IMAGES_PER_SECOND)), row.isNullAt(loss) ? Double.NaN : row.getDouble(loss),
                row.getDouble(row.fieldIndex(VAL_LOSS)), row.getDouble(row.fieldIndex(VAL_ACCURACY)),
                row.getDouble(row.fieldIndex(LEARNING_RATE)));
    }
}
