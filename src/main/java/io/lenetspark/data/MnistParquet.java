package io.lenetspark.data;

import io.lenetspark.InvalidInputException;
import io.lenetspark.StorageFailures;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;

/**
 * Reads a split written by PrepareMnist for training, after checking that it exists, is Parquet,
 * has the {@link MnistSchema} columns and only valid values; any problem is one clear message.
 */
public final class MnistParquet {

    private MnistParquet() {
    }

    /**
     * The data set at {@code path} as columns {@code id, label, image}.
     *
     * @param splitName the split's name, as in {@code lenet.data.<splitName>}; used in messages
     * @throws InvalidInputException if the data set is missing, unreadable or invalid
     */
    public static Dataset<Row> read(SparkSession spark, String path, String splitName) {
        MnistDataSet dataSet = new MnistDataSet(splitName, path);
        requireExists(spark, dataSet);
        // Damaged Parquet may only show once the data is read, so the value check runs in here too.
        try {
            Dataset<Row> all = spark.read().parquet(path);
            MnistSchemaCheck.require(all.schema(), dataSet);
            Dataset<Row> mnist = all.select(MnistSchema.ID, MnistSchema.LABEL, MnistSchema.IMAGE);
            MnistValueCheck.require(spark, mnist, dataSet);
            return mnist;
        } catch (InvalidInputException e) {
            throw e;
        } catch (Exception e) {
            // Exception, not RuntimeException: Scala code throws AnalysisException without declaring it.
            throw ParquetFailures.explain(e, dataSet);
        }
    }

    private static void requireExists(SparkSession spark, MnistDataSet dataSet) {
        try {
            Path path = new Path(dataSet.path());
            FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (!fs.exists(path)) {
                throw dataSet.reject("does not exist");
            }
        } catch (IOException e) {
            throw StorageFailures.explain(e, dataSet.path(), "lenet.data." + dataSet.split(), () -> cannotOpen(dataSet, e));
        } catch (IllegalArgumentException e) {
            throw cannotOpen(dataSet, e);
        }
    }

    private static InvalidInputException cannotOpen(MnistDataSet dataSet, Exception e) {
        return dataSet.reject("cannot be opened (" + e.getMessage() + ")", e);
    }
}
