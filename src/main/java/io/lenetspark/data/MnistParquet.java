package io.lenetspark.data;

import io.lenetspark.config.DataSettings.OnBadRow;
import io.lenetspark.failure.InvalidInputException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Arrays;

import static org.apache.spark.sql.functions.col;

/**
 * Reads a split written by PrepareMnist for training, after checking that it exists, is Parquet,
 * has the {@link MnistSchema} columns and valid values, one row per id; any problem is one clear
 * message. Rows with invalid values or a repeated id refuse the split, or with
 * {@code lenet.data.on-bad-row = skip} are left out.
 */
public final class MnistParquet {

    private static final Logger LOG = LoggerFactory.getLogger(MnistParquet.class);

    /** A split's rows ready to use, as columns {@code id, label, image}, and what checking them found. */
    public record CheckedRows(Dataset<Row> rows, MnistDataCheck check) {
    }

    private MnistParquet() {
    }

    /**
     * The good rows of the data set at {@code path}.
     *
     * @param splitName the split's name, as in {@code lenet.data.<splitName>}; used in messages
     * @param onBadRow  whether a bad row refuses the data set or is left out
     * @throws InvalidInputException if the data set is missing, unreadable, has a bad row (with
     *                               {@code FAIL}) or no good row
     */
    public static CheckedRows read(SparkSession spark, String path, String splitName, OnBadRow onBadRow) {
        MnistDataSet dataSet = new MnistDataSet(splitName, path);
        ParquetFailures.requireExists(spark, dataSet.path(), "lenet.data." + dataSet.split(), dataSet::reject);
        // Damaged Parquet may only show once the data is read, so the value check runs in here too.
        try {
            Dataset<Row> all = spark.read().parquet(path);
            MnistSchemaCheck.require(all.schema(), dataSet);
            MnistDataCheck check = MnistValueCheck.check(spark, all, dataSet).withIdxFiles(idxOrigin(spark, path));
            Dataset<Row> mnist = all.select(MnistSchema.ID, MnistSchema.LABEL, MnistSchema.IMAGE);
            if (onBadRow == OnBadRow.FAIL) {
                MnistValueCheck.requireNoBadRows(check, dataSet);
                return new CheckedRows(inSchemaTypes(mnist), check);
            }
            MnistValueCheck.requireGoodRows(check, dataSet);
            if (check.rowsLeftOut() > 0) {
                LOG.warn("Leaving out {} of {} rows of MNIST {} data {} (lenet.data.on-bad-row = skip): {}",
                        check.rowsLeftOut(), check.rows(), splitName, path, check.describeBadRows());
            }
            return new CheckedRows(inSchemaTypes(MnistValueCheck.rowsUsed(mnist, check)), check);
        } catch (InvalidInputException e) {
            throw e;
        } catch (Exception e) {
            // Exception, not RuntimeException: Scala code throws AnalysisException without declaring it.
            throw ParquetFailures.explain(e, dataSet);
        }
    }

    /** What the data set records of its IDX files; null if nothing, or nothing readable: it only informs. */
    private static IdxOrigin idxOrigin(SparkSession spark, String path) {
        try {
            return IdxOrigin.of(path, spark.sparkContext().hadoopConfiguration()).orElse(null);
        } catch (IOException e) {
            LOG.warn("Cannot read {} of {} ({}): data-check.json will not name its IDX files", IdxOrigin.FILE_NAME,
                    path, e.toString());
            return null;
        }
    }

    /**
     * The columns in the types of {@link MnistSchema#SCHEMA}. Applied to checked rows only: their
     * values fit, so no cast can wrap a value around.
     */
    private static Dataset<Row> inSchemaTypes(Dataset<Row> mnist) {
        return mnist.select(Arrays.stream(MnistSchema.SCHEMA.fields())
                .map(field -> col(field.name()).cast(field.dataType()).as(field.name()))
                .toArray(Column[]::new));
    }
}
