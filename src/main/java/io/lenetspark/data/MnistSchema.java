package io.lenetspark.data;

import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.List;
import java.util.Map;

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

    /**
     * Narrower or wider integer types that reading also accepts for a column, beside its type in
     * {@link #SCHEMA}: other tools write labels as tinyint or bigint and ids as int. Values are
     * checked in the type they were written in, so a label that does not fit 0-9 is a bad row, and
     * only then widened or narrowed; nothing is lost.
     */
    static final Map<String, List<DataType>> ALSO_ACCEPTED = Map.of(
            ID, List.of(DataTypes.IntegerType),
            LABEL, List.of(DataTypes.ByteType, DataTypes.ShortType, DataTypes.LongType));

    private MnistSchema() {
    }
}
