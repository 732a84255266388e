package io.lenetspark.data;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.util.ArrayList;
import java.util.List;

import static io.lenetspark.data.MnistSchema.IMAGE;
import static io.lenetspark.data.MnistSchema.IMAGE_BYTES;
import static io.lenetspark.data.MnistSchema.ID;
import static io.lenetspark.data.MnistSchema.LABEL;
import static io.lenetspark.data.MnistSchema.NUM_CLASSES;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.when;

/**
 * Checks every row's values in one distributed aggregation: for each kind of bad row, how many
 * there are and the smallest id among them, so the message points at a row to inspect.
 */
final class MnistValueCheck {

    private static final String ROWS = "rows";
    private static final String BAD_ROWS = "bad_rows_";
    private static final String FIRST_BAD_ID = "first_bad_id_";

    private record BadRows(String description, Column isBad) {
    }

    private static final List<BadRows> KINDS = List.of(
            new BadRows("a null id", col(ID).isNull()),
            new BadRows("a null label", col(LABEL).isNull()),
            new BadRows("a label outside 0-" + (NUM_CLASSES - 1), col(LABEL).lt(0).or(col(LABEL).geq(NUM_CLASSES))),
            new BadRows("a null image", col(IMAGE).isNull()),
            new BadRows("an image that is not " + IMAGE_BYTES + " bytes", length(col(IMAGE)).notEqual(IMAGE_BYTES)));

    private MnistValueCheck() {
    }

    /** Rejects an empty data set or one with any bad row. */
    static void require(SparkSession spark, Dataset<Row> mnist, MnistDataSet dataSet) {
        List<Column> columns = new ArrayList<>();
        for (int kind = 0; kind < KINDS.size(); kind++) {
            Column isBad = KINDS.get(kind).isBad();
            // when() without otherwise() is null for good rows, which count and min skip.
            columns.add(count(when(isBad, lit(true))).as(BAD_ROWS + kind));
            columns.add(min(when(isBad, col(ID))).as(FIRST_BAD_ID + kind));
        }
        Row totals;
        try (SparkJobLabel label = SparkJobLabel.of(spark, "CHECK " + dataSet.split())) {
            totals = mnist.agg(count(lit(1)).as(ROWS), columns.toArray(Column[]::new)).first();
        }
        long rows = totals.<Long>getAs(ROWS);
        if (rows == 0) {
            throw dataSet.reject("is empty (0 rows)");
        }
        List<String> problems = new ArrayList<>();
        for (int kind = 0; kind < KINDS.size(); kind++) {
            long bad = totals.<Long>getAs(BAD_ROWS + kind);
            Long firstId = totals.getAs(FIRST_BAD_ID + kind);
            if (bad > 0) {
                problems.add(bad + " with " + KINDS.get(kind).description()
                        + (firstId == null ? "" : " (first id " + firstId + ")"));
            }
        }
        if (!problems.isEmpty()) {
            throw dataSet.reject("has bad rows among its " + rows + ": " + String.join("; ", problems));
        }
    }
}
