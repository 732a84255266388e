package io.lenetspark.training;

import io.lenetspark.data.MnistSchema;
import io.lenetspark.failure.InvalidInputException;
import io.lenetspark.failure.TrainingInvariantException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.Locale;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

/**
 * Holds out exactly {@code round(fraction * rows)} training rows for validation: the rows with the
 * smallest seeded hash of their id. The choice depends only on ids and the seed, not on how the
 * data is partitioned or ordered, so every run and every resume sees the same split. The sizes
 * reported are those of the split made, checked against the plan.
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
        // Ids break the (unlikely) ties between equal hashes, so the count is exact for unique ids.
        Column inValidation = hash.lt(lastHash).or(hash.equalTo(lastHash).and(id.leq(lastId)));
        Row made = train.agg(count(when(not(inValidation), lit(true))), count(when(inValidation, lit(true)))).head();
        requireSizes(made.getLong(0), made.getLong(1), trainRows - validationRows, validationRows);
        return new Parts(train.filter(not(inValidation)), train.filter(inValidation), made.getLong(0), made.getLong(1));
    }

    /**
     * The split is counted as made, not as planned: rows sharing an id share a hash, so a data set
     * that slipped past the id check could put every row on one side while the log said otherwise.
     */
    static void requireSizes(long trainingRows, long validationRows, long plannedTraining, long plannedValidation) {
        if (trainingRows != plannedTraining || validationRows != plannedValidation) {
            throw new TrainingInvariantException(String.format(Locale.ROOT, "The validation split made %d training "
                    + "and %d validation rows where %d and %d were planned: the training data's ids are not unique or "
                    + "changed while it was read. Check that lenet.data.train gives each row its own id and is not "
                    + "written to during the run.", trainingRows, validationRows, plannedTraining, plannedValidation));
        }
    }
}
