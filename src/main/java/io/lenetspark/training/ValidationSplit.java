package io.lenetspark.training;

import io.lenetspark.InvalidInputException;
import io.lenetspark.data.MnistSchema;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.xxhash64;

/**
 * Holds out exactly {@code round(fraction * rows)} training rows for validation: the rows with the
 * smallest seeded hash of their id. The choice depends only on ids and the seed, not on how the
 * data is partitioned or ordered, so every run and every resume sees the same split.
 */
public final class ValidationSplit {

    /** The two parts of the training data. */
    public record Parts(Dataset<Row> training, Dataset<Row> validation, long trainingRows, long validationRows) {
    }

    private ValidationSplit() {
    }

    public static Parts split(Dataset<Row> train, long trainRows, double fraction, long seed) {
        long validationRows = Math.round(trainRows * fraction);
        if (validationRows == 0 || validationRows == trainRows) {
            throw new InvalidInputException(String.format(
                    "lenet.data.validation-fraction %s of %d training rows leaves %s. Choose a fraction that keeps "
                            + "at least one row on each side, or use a larger training set.",
                    fraction, trainRows, validationRows == 0 ? "no validation data" : "no training data"));
        }
        Column hash = xxhash64(col(MnistSchema.ID), lit(seed));
        Column id = col(MnistSchema.ID);
        Row last = train.select(struct(hash.as("h"), id.as("id")).as("k"))
                .orderBy(col("k"))
                .limit((int) validationRows)
                .agg(max(col("k")))
                .head()
                .getStruct(0);
        long lastHash = last.getLong(0);
        long lastId = last.getLong(1);
        // Ids break the (unlikely) ties between equal hashes, so the count is exact.
        Column inValidation = hash.lt(lastHash).or(hash.equalTo(lastHash).and(id.leq(lastId)));
        return new Parts(train.filter(not(inValidation)), train.filter(inValidation),
                trainRows - validationRows, validationRows);
    }
}
