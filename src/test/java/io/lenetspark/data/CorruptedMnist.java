package io.lenetspark.data;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A random MNIST-shaped data set in which a random share of the rows is corrupted in random ways,
 * written as Parquet in several files, with what a correct check must find in it. What is bad is
 * worked out here from the values themselves, independently of {@link BadRowKind}'s Spark columns.
 *
 * @param rows     every row, as written
 * @param expected what the rows hold, row by row
 */
record CorruptedMnist(List<Row> rows, Expected expected) {

    /** The MNIST columns, nullable so that the bad values can be written. */
    static final StructType NULLABLE = new StructType()
            .add(MnistSchema.ID, DataTypes.LongType)
            .add(MnistSchema.LABEL, DataTypes.IntegerType)
            .add(MnistSchema.IMAGE, DataTypes.BinaryType);

    /** Wrong image lengths that sit next to the right one, or nowhere near it. */
    private static final int[] WRONG_IMAGE_BYTES = {0, 1, MnistSchema.IMAGE_BYTES - 1, MnistSchema.IMAGE_BYTES + 1};
    private static final int[] WRONG_LABELS = {-1, MnistSchema.NUM_CLASSES, Integer.MIN_VALUE, Integer.MAX_VALUE};

    /**
     * What a correct check finds.
     *
     * @param goodLabels the label of every row bad in no way, by id
     * @param badRows    rows bad in each way (a row bad in two ways counts under both)
     * @param firstIds   the smallest id among each kind's bad rows that have one
     * @param badTotal   rows bad in at least one way
     */
    record Expected(Map<Long, Integer> goodLabels, Map<BadRowKind, Long> badRows, Map<BadRowKind, Long> firstIds,
                    long badTotal) {
    }

    /**
     * {@code size} rows with distinct, unordered, gapped ids, of which a random {@code corruptShare}
     * (at least one row, if above 0) is corrupted in one to three columns each.
     */
    static CorruptedMnist generate(long seed, int size, double corruptShare) {
        Random random = new Random(seed);
        List<Long> ids = new ArrayList<>();
        long id = random.nextInt(1_000);
        for (int i = 0; i < size; i++) {
            id += 1 + random.nextInt(5);
            ids.add(id);
        }
        Collections.shuffle(ids, random);
        long corrupted = corruptShare > 0 ? Math.max(1, Math.round(corruptShare * size)) : 0;
        List<Boolean> corrupt = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            corrupt.add(i < corrupted);
        }
        Collections.shuffle(corrupt, random);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            Long idValue = ids.get(i);
            Integer label = random.nextInt(MnistSchema.NUM_CLASSES);
            byte[] image = new byte[MnistSchema.IMAGE_BYTES];
            random.nextBytes(image);
            if (corrupt.get(i)) {
                Set<Column> columns = corruptedColumns(random);
                if (columns.contains(Column.ID)) {
                    idValue = null;
                }
                if (columns.contains(Column.LABEL)) {
                    label = random.nextBoolean() ? null : WRONG_LABELS[random.nextInt(WRONG_LABELS.length)];
                }
                if (columns.contains(Column.IMAGE)) {
                    image = wrongImage(random);
                }
            }
            rows.add(RowFactory.create(idValue, label, image));
        }
        return new CorruptedMnist(rows, expect(rows));
    }

    /** Writes the rows spread over {@code files} Parquet files. */
    void write(SparkSession spark, String path, int files) {
        spark.createDataFrame(rows, NULLABLE).repartition(files).write().parquet(path);
    }

    private enum Column { ID, LABEL, IMAGE }

    private static Set<Column> corruptedColumns(Random random) {
        Set<Column> columns = EnumSet.noneOf(Column.class);
        while (columns.isEmpty()) {
            for (Column column : Column.values()) {
                if (random.nextInt(3) == 0) {
                    columns.add(column);
                }
            }
        }
        return columns;
    }

    private static byte[] wrongImage(Random random) {
        int choice = random.nextInt(WRONG_IMAGE_BYTES.length + 2);
        if (choice < WRONG_IMAGE_BYTES.length) {
            return new byte[WRONG_IMAGE_BYTES[choice]];
        }
        if (choice == WRONG_IMAGE_BYTES.length) {
            return null;
        }
        int bytes;
        do {
            bytes = random.nextInt(3 * MnistSchema.IMAGE_BYTES);
        } while (bytes == MnistSchema.IMAGE_BYTES);
        return new byte[bytes];
    }

    private static Expected expect(List<Row> rows) {
        Map<Long, Integer> goodLabels = new HashMap<>();
        Map<BadRowKind, Long> badRows = new EnumMap<>(BadRowKind.class);
        Map<BadRowKind, Long> firstIds = new EnumMap<>(BadRowKind.class);
        for (BadRowKind kind : BadRowKind.values()) {
            badRows.put(kind, 0L);
        }
        long badTotal = 0;
        for (Row row : rows) {
            Set<BadRowKind> kinds = kindsOf(row);
            Long id = (Long) row.get(0);
            for (BadRowKind kind : kinds) {
                badRows.merge(kind, 1L, Long::sum);
                if (id != null) {
                    firstIds.merge(kind, id, Math::min);
                }
            }
            if (kinds.isEmpty()) {
                goodLabels.put(id, row.getInt(1));
            } else {
                badTotal++;
            }
        }
        return new Expected(goodLabels, badRows, firstIds, badTotal);
    }

    /** The ways a row is bad, read off its values. */
    static Set<BadRowKind> kindsOf(Row row) {
        Set<BadRowKind> kinds = EnumSet.noneOf(BadRowKind.class);
        Long id = (Long) row.get(0);
        Integer label = (Integer) row.get(1);
        byte[] image = (byte[]) row.get(2);
        if (id == null) {
            kinds.add(BadRowKind.NULL_ID);
        }
        if (label == null) {
            kinds.add(BadRowKind.NULL_LABEL);
        } else if (label < 0 || label >= MnistSchema.NUM_CLASSES) {
            kinds.add(BadRowKind.LABEL_OUTSIDE_DIGITS);
        }
        if (image == null) {
            kinds.add(BadRowKind.NULL_IMAGE);
        } else if (image.length != MnistSchema.IMAGE_BYTES) {
            kinds.add(BadRowKind.IMAGE_NOT_784_BYTES);
        }
        return kinds;
    }
}
