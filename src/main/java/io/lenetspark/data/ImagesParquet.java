package io.lenetspark.data;

import io.lenetspark.failure.InvalidInputException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/**
 * A Parquet data set of images to score, named by its setting in every message: an {@code image}
 * column of 784 bytes per row (28 x 28 grey levels, row by row, as PrepareMnist writes), and any
 * other columns, which scoring passes through.
 */
public final class ImagesParquet {

    /** How many rows cannot be scored, and why. */
    public record BadImages(long rows, long nullImages, long wrongSize) {

        public long bad() {
            return nullImages + wrongSize;
        }

        /** E.g. "3 of its 1,000 rows have a null image and 2 an image not of 784 bytes". */
        public String describe() {
            return String.format(Locale.ROOT, "%,d of its %,d rows have a null image and %,d an image not of %d bytes",
                    nullImages, rows, wrongSize, MnistSchema.IMAGE_BYTES);
        }
    }

    private final String path;
    private final String setting;

    /**
     * @param path    the data set (a local path or any Hadoop URI)
     * @param setting the setting that named it, for messages
     */
    public ImagesParquet(String path, String setting) {
        this.path = path;
        this.setting = setting;
    }

    /** The data set's rows, after checking that it exists, is Parquet and has a binary {@code image} column. */
    public Dataset<Row> read(SparkSession spark) {
        ParquetFailures.requireExists(spark, path, setting, this::reject);
        Dataset<Row> rows;
        try {
            rows = spark.read().parquet(path);
        } catch (Exception e) {
            throw ParquetFailures.explain(e, path, this::reject);
        }
        Optional<StructField> image = Arrays.stream(rows.schema().fields())
                .filter(field -> field.name().equals(MnistSchema.IMAGE)).findFirst();
        if (image.isEmpty()) {
            throw reject("has no column " + MnistSchema.IMAGE + " (its columns: " + String.join(", ",
                    rows.columns()) + ")", null);
        }
        if (!image.get().dataType().equals(DataTypes.BinaryType)) {
            throw reject("has a column " + MnistSchema.IMAGE + " of type " + image.get().dataType().simpleString()
                    + ", not binary", null);
        }
        return rows;
    }

    /** Counts, in one Spark job, the rows of {@code rows} whose image is null or not of 784 bytes. */
    public BadImages countBad(Dataset<Row> rows) {
        try {
            Row counts = rows.agg(
                    org.apache.spark.sql.functions.count("*"),
                    sum(when(col(MnistSchema.IMAGE).isNull(), 1).otherwise(0)),
                    sum(when(length(col(MnistSchema.IMAGE)).notEqual(MnistSchema.IMAGE_BYTES), 1).otherwise(0))).first();
            return new BadImages(counts.getLong(0), counts.isNullAt(1) ? 0 : counts.getLong(1),
                    counts.isNullAt(2) ? 0 : counts.getLong(2));
        } catch (Exception e) {
            throw ParquetFailures.explain(e, path, this::reject);
        }
    }

    /** The rows whose image can be scored. */
    public static Dataset<Row> goodRows(Dataset<Row> rows) {
        return rows.where(col(MnistSchema.IMAGE).isNotNull()
                .and(length(col(MnistSchema.IMAGE)).equalTo(MnistSchema.IMAGE_BYTES)));
    }

    /** A rejection naming the data set, its setting, {@code problem} and what the data set must be. */
    public InvalidInputException reject(String problem, Throwable cause) {
        return new InvalidInputException("Images to score " + path + " (" + setting + ") " + problem + ". Point "
                + setting + " at a Parquet data set with an " + MnistSchema.IMAGE + " column of " + MnistSchema.IMAGE_BYTES
                + " bytes per row (28x28 grey levels 0-255, row by row), as PrepareMnist writes.", cause);
    }

    /** A rejection naming the data set and its setting, then {@code problemAndFix} as it stands. */
    public InvalidInputException refuse(String problemAndFix) {
        return new InvalidInputException("Images to score " + path + " (" + setting + ") " + problemAndFix + ".");
    }
}
