package io.lenetspark.data;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static io.lenetspark.data.MnistSchema.ID;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

/**
 * Checks every row's values in one distributed aggregation: for each {@link BadRowKind}, how many
 * rows are bad in that way and where the first is, so a message can point at a row to inspect.
 */
final class MnistValueCheck {

    private static final String ROWS = "rows";
    private static final String GOOD_ROWS = "good_rows";
    private static final String BAD_ROWS = "bad_rows_";
    private static final String FIRST_BAD_ID = "first_bad_id_";
    private static final String FIRST_BAD_ROW_WITHOUT_ID = "first_bad_row_without_id_";
    private static final String FILE = "file";
    private static final String ROW_INDEX = "row_index";

    private MnistValueCheck() {
    }

    /**
     * Counts the bad rows of {@code parquet}, a data set as read from its files, and rejects it if it
     * is empty.
     */
    static MnistDataCheck check(SparkSession spark, Dataset<Row> parquet, MnistDataSet dataSet) {
        // A row without id is found by its place: its file and its index there, which Spark's Parquet reader knows.
        Column metadata = parquet.metadataColumn("_metadata");
        Column place = struct(metadata.getField("file_name").as(FILE), metadata.getField(ROW_INDEX).as(ROW_INDEX));
        List<Column> columns = new ArrayList<>();
        columns.add(count(when(not(BadRowKind.anyBad()), lit(true))).as(GOOD_ROWS));
        for (BadRowKind kind : BadRowKind.values()) {
            Column isBad = kind.isBad();
            // when() without otherwise() is null for other rows, which count and min skip.
            columns.add(count(when(isBad, lit(true))).as(BAD_ROWS + kind));
            columns.add(min(when(isBad, col(ID))).as(FIRST_BAD_ID + kind));
            columns.add(min(when(isBad.and(col(ID).isNull()), place)).as(FIRST_BAD_ROW_WITHOUT_ID + kind));
        }
        Row totals;
        try (SparkJobLabel label = SparkJobLabel.of(spark, "CHECK " + dataSet.split())) {
            totals = parquet.agg(count(lit(1)).as(ROWS), columns.toArray(Column[]::new)).first();
        }
        long rows = totals.<Long>getAs(ROWS);
        if (rows == 0) {
            throw dataSet.reject("is empty (0 rows)");
        }
        Map<BadRowKind, MnistDataCheck.BadRows> badRows = new EnumMap<>(BadRowKind.class);
        for (BadRowKind kind : BadRowKind.values()) {
            badRows.put(kind, new MnistDataCheck.BadRows(totals.<Long>getAs(BAD_ROWS + kind), first(totals, kind)));
        }
        return new MnistDataCheck(dataSet.split(), dataSet.path(), rows, totals.<Long>getAs(GOOD_ROWS), badRows);
    }

    /** Where the first row bad in {@code kind}'s way is: the smallest id, else the first place without one. */
    private static String first(Row totals, BadRowKind kind) {
        Long id = totals.getAs(FIRST_BAD_ID + kind);
        if (id != null) {
            return "id " + id;
        }
        Row place = totals.getAs(FIRST_BAD_ROW_WITHOUT_ID + kind);
        return place == null ? null
                : "at row index " + place.<Long>getAs(ROW_INDEX) + " of file " + place.<String>getAs(FILE);
    }

    /** Rejects a split with any bad row, saying that they could be left out instead. */
    static void requireNoBadRows(MnistDataCheck check, MnistDataSet dataSet) {
        if (check.badRowCount() > 0) {
            throw dataSet.rejectBadRows("has bad rows among its " + check.rows() + ": " + check.describeBadRows());
        }
    }

    /** Rejects a split none of whose rows is good: leaving the bad ones out would leave nothing. */
    static void requireGoodRows(MnistDataCheck check, MnistDataSet dataSet) {
        if (check.goodRows() == 0) {
            throw dataSet.reject("has no good rows: all " + check.rows() + " are bad (" + check.describeBadRows() + ")");
        }
    }

    /** The rows bad in no way, by the same definition the counts use. */
    static Dataset<Row> goodRows(Dataset<Row> mnist) {
        return mnist.filter(not(BadRowKind.anyBad()));
    }
}
