package io.lenetspark.training;

import io.lenetspark.SparkTestSession;
import io.lenetspark.failure.TrainingInvariantException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ValidationSplitTest {

    private final SparkSession spark = SparkTestSession.get();

    @Test
    void holdsOutTheFractionAndReportsTheSizesOfTheSplitMade() {
        Dataset<Row> rows = mnistRows(spark.range(1_000).select(col("id")));

        ValidationSplit.Parts parts = ValidationSplit.split(rows, 1_000, 0.1, 42);

        assertEquals(900, parts.trainingRows(), "training rows reported");
        assertEquals(100, parts.validationRows(), "validation rows reported");
        assertEquals(900, parts.training().count(), "training rows made");
        assertEquals(100, parts.validation().count(), "validation rows made");
        assertEquals(0, parts.training().join(parts.validation(), "id").count(), "no row on both sides");
    }

    /**
     * Rows that share an id share its hash and land on one side together: given data that broke the
     * id contract, the split refuses instead of reporting the sizes it planned.
     */
    @Test
    void refusesASplitWhoseSizesAreNotThePlannedOnes() {
        Dataset<Row> sameId = mnistRows(spark.range(200).select(lit(7L).as("id")));

        TrainingInvariantException refusal = assertThrows(TrainingInvariantException.class,
                () -> ValidationSplit.split(sameId, 200, 0.1, 42));

        assertEquals("The validation split made 0 training and 200 validation rows where 180 and 20 were planned: "
                + "the training data's ids are not unique or changed while it was read. Check that lenet.data.train "
                + "gives each row its own id and is not written to during the run.", refusal.getMessage());
    }

    private static Dataset<Row> mnistRows(Dataset<Row> ids) {
        return ids.withColumn("label", lit(3)).withColumn("image", lit(new byte[784]));
    }
}
