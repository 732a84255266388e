package io.lenetspark.data;

import io.lenetspark.failure.Causes;
import io.lenetspark.failure.InvalidInputException;
import io.lenetspark.failure.StorageFailures;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkThrowable;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Turns Spark's failures to read a data set as Parquet into one clear message. Other failures
 * (a lost executor, a full disk) are not the data's fault: they pass through, unchecked.
 */
final class ParquetFailures {

    /** No Parquet file in the folder (an empty folder, or only hidden and _-prefixed files). */
    private static final String NO_PARQUET_FILES = "UNABLE_TO_INFER_SCHEMA";
    /** Spark 3.5's error classes for a file that is not Parquet, or is truncated or corrupt. */
    private static final Set<String> UNREADABLE_FILE = Set.of("CANNOT_READ_FILE_FOOTER", "_LEGACY_ERROR_TEMP_2064");
    /** What Parquet says of a file without its footer, e.g. truncated, when Spark reads its data. */
    private static final String NOT_PARQUET = "is not a Parquet file";
    private static final String PARQUET_PACKAGE = "org.apache.parquet.";

    private ParquetFailures() {
    }

    /**
     * Refuses a data set that is not there, before Spark's reader says so less clearly; refused
     * credentials or an unknown bucket are explained naming {@code setting}.
     */
    static void requireExists(SparkSession spark, String path, String setting,
                              BiFunction<String, Throwable, InvalidInputException> reject) {
        try {
            Path location = new Path(path);
            FileSystem fs = location.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (!fs.exists(location)) {
                throw reject.apply("does not exist", null);
            }
        } catch (IOException e) {
            throw StorageFailures.explain(e, path, setting, () -> cannotOpen(reject, e));
        } catch (IllegalArgumentException e) {
            throw cannotOpen(reject, e);
        }
    }

    private static InvalidInputException cannotOpen(BiFunction<String, Throwable, InvalidInputException> reject,
                                                    Exception e) {
        return reject.apply("cannot be opened (" + e.getMessage() + ")", e);
    }

    static RuntimeException explain(Exception failure, MnistDataSet dataSet) {
        return explain(failure, dataSet.path(), dataSet::reject);
    }

    /** @param reject the rejection of the data set at {@code path} for a problem, with its cause */
    static RuntimeException explain(Exception failure, String path,
                                    BiFunction<String, Throwable, InvalidInputException> reject) {
        if (failure instanceof AnalysisException analysis) {
            String problem = NO_PARQUET_FILES.equals(analysis.getErrorClass())
                    ? "holds no Parquet files"
                    : "cannot be read as Parquet (" + analysis.getMessage() + ")";
            return reject.apply(problem, failure);
        }
        if (isUnreadableParquet(failure)) {
            return reject.apply("is not readable Parquet: a file in it is not Parquet, or is truncated or corrupt ("
                    + innermostMessage(failure) + ")", failure);
        }
        return failure instanceof RuntimeException unchecked
                ? unchecked
                : new IllegalStateException("Reading " + path + " failed", failure);
    }

    private static boolean isUnreadableParquet(Throwable failure) {
        return Causes.any(failure, t -> {
            boolean unreadableFile = t instanceof SparkThrowable spark && spark.getErrorClass() != null
                    && UNREADABLE_FILE.contains(spark.getErrorClass());
            boolean notParquet = t.getMessage() != null && t.getMessage().contains(NOT_PARQUET);
            return unreadableFile || notParquet || t.getClass().getName().startsWith(PARQUET_PACKAGE);
        });
    }

    /** Spark's outer messages repeat the stage failure; the innermost one says what is wrong. */
    private static String innermostMessage(Throwable failure) {
        return Causes.of(failure).skip(1).map(Throwable::getMessage).filter(m -> m != null && !m.isBlank())
                .reduce((outer, inner) -> inner).orElse(failure.getMessage());
    }
}
