package io.lenetspark.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What checking the values of one split found.
 *
 * @param split      the split's name, as in {@code lenet.data.<split>}
 * @param path       the data set read
 * @param rows       rows in the data set
 * @param goodRows   rows bad in no way
 * @param badRows    for every kind, the rows bad in that way; a row bad in several ways counts under
 *                   each, so these can add up to more than {@code rows - goodRows}
 * @param duplicates good rows whose id another good row has too
 * @param idxFiles   the IDX files the data set was written from, as it records them; null if it records none
 */
public record MnistDataCheck(String split, String path, long rows, long goodRows, Map<BadRowKind, BadRows> badRows,
                             Duplicates duplicates, IdxOrigin idxFiles) {

    /**
     * The rows bad in one way.
     *
     * @param rows  how many
     * @param first where the first is ("id 17", or for a row without id its place in a file); null if none
     */
    public record BadRows(long rows, String first) {
    }

    /**
     * Good rows sharing an id. An id must name one example: predictions are reported by id, and the
     * validation split is chosen by id, so rows sharing one would all land on the same side.
     *
     * @param rows    rows beyond the first of each such id: those {@code on-bad-row = skip} leaves out
     * @param ids     ids that more than one good row has
     * @param firstId the smallest of them; null if none
     */
    public record Duplicates(long rows, long ids, Long firstId) {

        public static final Duplicates NONE = new Duplicates(0, 0, null);
    }

    public MnistDataCheck {
        badRows = Map.copyOf(badRows);
    }

    /** A check of data whose IDX files are not known. */
    public MnistDataCheck(String split, String path, long rows, long goodRows, Map<BadRowKind, BadRows> badRows,
                          Duplicates duplicates) {
        this(split, path, rows, goodRows, badRows, duplicates, null);
    }

    /** This check, of data written from {@code origin}. */
    MnistDataCheck withIdxFiles(IdxOrigin origin) {
        return new MnistDataCheck(split, path, rows, goodRows, badRows, duplicates, origin);
    }

    /** Rows bad in some way. */
    public long badRowCount() {
        return rows - goodRows;
    }

    /** Rows that training or evaluation use: the good rows, one per id. */
    public long rowsUsed() {
        return goodRows - duplicates.rows();
    }

    /** Rows that {@code on-bad-row = skip} leaves out, and that {@code fail} refuses the split for. */
    public long rowsLeftOut() {
        return rows - rowsUsed();
    }

    /**
     * "2 with a null label (first id 7); 1 with ...; 3 duplicates of 2 ids (first id 0)" for every
     * problem present, in the order of {@link BadRowKind}, duplicates last.
     */
    String describeBadRows() {
        List<String> problems = new ArrayList<>();
        for (BadRowKind kind : BadRowKind.values()) {
            BadRows bad = badRows.get(kind);
            if (bad.rows() > 0) {
                problems.add(bad.rows() + " with " + kind.description() + " (first " + bad.first() + ")");
            }
        }
        if (duplicates.rows() > 0) {
            problems.add(duplicates.rows() + (duplicates.rows() == 1 ? " duplicate of " : " duplicates of ")
                    + duplicates.ids() + (duplicates.ids() == 1 ? " id" : " ids")
                    + " (first id " + duplicates.firstId() + ")");
        }
        return String.join("; ", problems);
    }
}
