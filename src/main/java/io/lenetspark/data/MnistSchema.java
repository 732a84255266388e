package io.lenetspark.data;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The shape of MNIST in Parquet, written by PrepareMnist and read by training: one row per
 * example, {@code id} its 0-based index in the IDX file, {@code image} 784 row-major unsigned
 * bytes (0-255, as in the IDX file).
 */
public final class MnistSchema {

    public static final int IMAGE_ROWS = 28;
    public static final int IMAGE_COLUMNS = 28;
    public static final int IMAGE_BYTES = IMAGE_ROWS * IMAGE_COLUMNS;
    /** Labels are the digits 0 to {@code NUM_CLASSES - 1}. */
    public static final int NUM_CLASSES = 10;

    public static final String ID = "id";
    public static final String LABEL = "label";
    public static final String IMAGE = "image";

    public static final StructType SCHEMA = new StructType(new StructField[] {
            DataTypes.createStructField(ID, DataTypes.LongType, false),
            DataTypes.createStructField(LABEL, DataTypes.IntegerType, false),
            DataTypes.createStructField(IMAGE, DataTypes.BinaryType, false)});

    private MnistSchema() {
    }
}
