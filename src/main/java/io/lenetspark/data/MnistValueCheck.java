package io.lenetspark.data;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.util.ArrayList;
import java.util.Arrays;
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
 * Rows without an id are located by file and row index in a second pass, only when there are some.
 */
final class MnistValueCheck {

    private static final String ROWS = "rows";
    private static final String GOOD_ROWS = "good_rows";
    private static final String BAD_ROWS = "bad_rows_";
    private static final String FIRST_BAD_ID = "first_bad_id_";
    private static final String FIRST_BAD_PLACE = "first_bad_place_";
    private static final String FILE = "file";
    private static final String ROW_INDEX = "row_index";

    private MnistValueCheck() {
    }

    /**
     * Counts the bad rows of {@code parquet}, a data set as read from its files, and rejects it if it
     * is empty.
     */
    static MnistDataCheck check(SparkSession spark, Dataset<Row> parquet, MnistDataSet dataSet) {
        List<Column> columns = new ArrayList<>();
        columns.add(count(when(not(BadRowKind.anyBad()), lit(true))).as(GOOD_ROWS));
        for (BadRowKind kind : BadRowKind.values()) {
            Column isBad = kind.isBad();
            // when() without otherwise() is null for other rows, which count and min skip.
            columns.add(count(when(isBad, lit(true))).as(BAD_ROWS + kind));
            columns.add(min(when(isBad, col(ID))).as(FIRST_BAD_ID + kind));
        }
        Row totals;
        try (SparkJobLabel label = SparkJobLabel.of(spark, "CHECK " + dataSet.split())) {
            totals = parquet.agg(count(lit(1)).as(ROWS), columns.toArray(Column[]::new)).first();
        }
        long rows = totals.<Long>getAs(ROWS);
        if (rows == 0) {
            throw dataSet.reject("is empty (0 rows)");
        }
        Map<BadRowKind, Long> counts = new EnumMap<>(BadRowKind.class);
        Map<BadRowKind, String> firsts = new EnumMap<>(BadRowKind.class);
        for (BadRowKind kind : BadRowKind.values()) {
            counts.put(kind, totals.<Long>getAs(BAD_ROWS + kind));
            Long id = totals.getAs(FIRST_BAD_ID + kind);
            if (id != null) {
                firsts.put(kind, "id " + id);
            }
        }
        List<BadRowKind> withoutIds = counts.keySet().stream()
                .filter(kind -> counts.get(kind) > 0 && !firsts.containsKey(kind)).toList();
        if (!withoutIds.isEmpty()) {
            firsts.putAll(firstPlaces(spark, parquet, dataSet, withoutIds));
        }
        Map<BadRowKind, MnistDataCheck.BadRows> badRows = new EnumMap<>(BadRowKind.class);
        counts.forEach((kind, count) -> badRows.put(kind, new MnistDataCheck.BadRows(count, firsts.get(kind))));
        return new MnistDataCheck(dataSet.split(), dataSet.path(), rows, totals.<Long>getAs(GOOD_ROWS), badRows);
    }

    /**
     * Where the first row of each of {@code kinds}, whose bad rows have no id, is: its file and its
     * index there, as Spark's Parquet reader numbers them. A second pass, as reading the row indexes
     * costs time that data without such rows need not spend.
     */
    private static Map<BadRowKind, String> firstPlaces(SparkSession spark, Dataset<Row> parquet, MnistDataSet dataSet,
                                                       List<BadRowKind> kinds) {
        Column metadata = parquet.metadataColumn("_metadata");
        Column place = struct(metadata.getField("file_name").as(FILE), metadata.getField(ROW_INDEX).as(ROW_INDEX));
        Column[] columns = kinds.stream()
                .map(kind -> min(when(kind.isBad(), place)).as(FIRST_BAD_PLACE + kind))
                .toArray(Column[]::new);
        Row firsts;
        try (SparkJobLabel label = SparkJobLabel.of(spark, "LOCATE bad rows of " + dataSet.split())) {
            firsts = parquet.agg(columns[0], Arrays.copyOfRange(columns, 1, columns.length)).first();
        }
        Map<BadRowKind, String> places = new EnumMap<>(BadRowKind.class);
        for (BadRowKind kind : kinds) {
            Row first = firsts.getAs(FIRST_BAD_PLACE + kind);
            places.put(kind, "at row index " + first.<Long>getAs(ROW_INDEX) + " of file " + first.<String>getAs(FILE));
        }
        return places;
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
