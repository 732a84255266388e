package io.lenetspark.data;

import io.lenetspark.util.SparkJobGroup;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static io.lenetspark.data.MnistSchema.ID;
import static io.lenetspark.data.MnistSchema.IMAGE;
import static io.lenetspark.data.MnistSchema.LABEL;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/**
 * Checks every row's values in one distributed aggregation: for each {@link BadRowKind}, how many
 * rows are bad in that way and where the first is, so a message can point at a row to inspect, and
 * how many good rows repeat an id.
 * Rows without an id are located by file and row index in a second pass, only when there are some.
 */
final class MnistValueCheck {

    private static final String ROWS = "rows";
    private static final String GOOD_ROWS = "good_rows";
    private static final String BAD_ROWS = "bad_rows_";
    private static final String FIRST_BAD_ID = "first_bad_id_";
    private static final String FIRST_BAD_PLACE = "first_bad_place_";
    private static final String DUPLICATE_ROWS = "duplicate_rows";
    private static final String DUPLICATED_IDS = "duplicated_ids";
    private static final String FIRST_DUPLICATED_ID = "first_duplicated_id";
    private static final String COPY = "copy";
    private static final String FILE = "file";
    private static final String ROW_INDEX = "row_index";

    private MnistValueCheck() {
    }

    /**
     * Counts the bad rows of {@code parquet}, a data set as read from its files, and the good rows
     * that share an id, and rejects it if it is empty. One pass over the data: rows are counted per
     * id first, then those counts are added up.
     */
    static MnistDataCheck check(SparkSession spark, Dataset<Row> parquet, MnistDataSet dataSet) {
        List<Column> perId = new ArrayList<>();
        perId.add(count(when(not(BadRowKind.anyBad()), lit(true))).as(GOOD_ROWS));
        for (BadRowKind kind : BadRowKind.values()) {
            // when() without otherwise() is null for other rows, which count and min skip.
            perId.add(count(when(kind.isBad(), lit(true))).as(BAD_ROWS + kind));
        }
        Column id = col(ID).cast(DataTypes.LongType);
        Dataset<Row> ids = parquet.groupBy(id.as(ID)).agg(count(lit(1)).as(ROWS), perId.toArray(Column[]::new));

        Column duplicated = col(GOOD_ROWS).gt(1);
        List<Column> totals = new ArrayList<>();
        totals.add(total(GOOD_ROWS));
        for (BadRowKind kind : BadRowKind.values()) {
            totals.add(total(BAD_ROWS + kind));
            totals.add(min(when(col(BAD_ROWS + kind).gt(0), col(ID))).as(FIRST_BAD_ID + kind));
        }
        totals.add(coalesce(sum(when(duplicated, col(GOOD_ROWS).minus(1))), lit(0L)).as(DUPLICATE_ROWS));
        totals.add(count(when(duplicated, lit(true))).as(DUPLICATED_IDS));
        totals.add(min(when(duplicated, col(ID))).as(FIRST_DUPLICATED_ID));
        Row found;
        try (SparkJobGroup group = SparkJobGroup.start(spark.sparkContext(), "check", "CHECK " + dataSet.split())) {
            found = ids.agg(total(ROWS), totals.toArray(Column[]::new)).first();
        }
        long rows = found.<Long>getAs(ROWS);
        if (rows == 0) {
            throw dataSet.reject("is empty (0 rows)");
        }
        Map<BadRowKind, Long> counts = new EnumMap<>(BadRowKind.class);
        Map<BadRowKind, String> firsts = new EnumMap<>(BadRowKind.class);
        for (BadRowKind kind : BadRowKind.values()) {
            counts.put(kind, found.<Long>getAs(BAD_ROWS + kind));
            Long firstId = found.getAs(FIRST_BAD_ID + kind);
            if (firstId != null) {
                firsts.put(kind, "id " + firstId);
            }
        }
        List<BadRowKind> withoutIds = counts.keySet().stream()
                .filter(kind -> counts.get(kind) > 0 && !firsts.containsKey(kind)).toList();
        if (!withoutIds.isEmpty()) {
            firsts.putAll(firstPlaces(spark, parquet, dataSet, withoutIds));
        }
        Map<BadRowKind, MnistDataCheck.BadRows> badRows = new EnumMap<>(BadRowKind.class);
        counts.forEach((kind, count) -> badRows.put(kind, new MnistDataCheck.BadRows(count, firsts.get(kind))));
        MnistDataCheck.Duplicates duplicates = new MnistDataCheck.Duplicates(found.<Long>getAs(DUPLICATE_ROWS),
                found.<Long>getAs(DUPLICATED_IDS), found.getAs(FIRST_DUPLICATED_ID));
        return new MnistDataCheck(dataSet.split(), dataSet.path(), rows, found.<Long>getAs(GOOD_ROWS), badRows,
                duplicates);
    }

    /** The sum of a per-id count over all ids; 0, not null, for a data set without rows. */
    private static Column total(String count) {
        return coalesce(sum(col(count)), lit(0L)).as(count);
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
        try (SparkJobGroup group = SparkJobGroup.start(spark.sparkContext(), "check",
                "LOCATE bad rows of " + dataSet.split())) {
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
        if (check.rowsLeftOut() > 0) {
            throw dataSet.rejectBadRows("has bad rows among its " + check.rows() + ": " + check.describeBadRows(),
                    check.duplicates().rows() > 0);
        }
    }

    /** Rejects a split none of whose rows is good: leaving the bad ones out would leave nothing. */
    static void requireGoodRows(MnistDataCheck check, MnistDataSet dataSet) {
        if (check.goodRows() == 0) {
            throw dataSet.reject("has no good rows: all " + check.rows() + " are bad (" + check.describeBadRows() + ")");
        }
    }

    /**
     * The rows that {@code on-bad-row = skip} keeps: those bad in no way, by the same definition the
     * counts use, and of the rows sharing an id the one with the smallest label, then the smallest
     * image (bytes compared unsigned), so that the choice does not depend on files or their order.
     */
    static Dataset<Row> rowsUsed(Dataset<Row> mnist, MnistDataCheck check) {
        Dataset<Row> good = mnist.filter(not(BadRowKind.anyBad()));
        if (check.duplicates().rows() == 0) {
            return good;
        }
        WindowSpec byId = Window.partitionBy(col(ID)).orderBy(col(LABEL), col(IMAGE));
        return good.withColumn(COPY, row_number().over(byId)).filter(col(COPY).equalTo(1)).drop(COPY);
    }
}
