package io.lenetspark.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What checking the values of one split found.
 *
 * @param split    the split's name, as in {@code lenet.data.<split>}
 * @param path     the data set read
 * @param rows     rows in the data set
 * @param goodRows rows bad in no way
 * @param badRows  for every kind, the rows bad in that way; a row bad in several ways counts under
 *                 each, so these can add up to more than {@code rows - goodRows}
 */
public record MnistDataCheck(String split, String path, long rows, long goodRows, Map<BadRowKind, BadRows> badRows) {

    /**
     * The rows bad in one way.
     *
     * @param rows  how many
     * @param first where the first is ("id 17", or for a row without id its place in a file); null if none
     */
    public record BadRows(long rows, String first) {
    }

    public MnistDataCheck {
        badRows = Map.copyOf(badRows);
    }

    public long badRowCount() {
        return rows - goodRows;
    }

    /** "2 with a null label (first id 7); 1 with ..." for every kind present, in the order of {@link BadRowKind}. */
    String describeBadRows() {
        List<String> kinds = new ArrayList<>();
        for (BadRowKind kind : BadRowKind.values()) {
            BadRows bad = badRows.get(kind);
            if (bad.rows() > 0) {
                kinds.add(bad.rows() + " with " + kind.description() + " (first " + bad.first() + ")");
            }
        }
        return String.join("; ", kinds);
    }
}
