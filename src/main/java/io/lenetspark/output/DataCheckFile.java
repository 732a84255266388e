package io.lenetspark.output;

import io.lenetspark.config.DataSettings;
import io.lenetspark.data.BadRowKind;
import io.lenetspark.data.IdxOrigin;
import io.lenetspark.data.MnistDataCheck;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code data-check.json}: what checking the data found, per split.
 *
 * @param onBadRow {@code lenet.data.on-bad-row}, as configured
 * @param splits   by split name
 */
public record DataCheckFile(String onBadRow, Map<String, SplitCheck> splits) {

    /** The key, among the kinds of bad rows, of the rows left out because another row has the same id. */
    static final String DUPLICATE_ID = "duplicate_id";

    /**
     * @param rowsSkipped rows left out, or refused for
     * @param badRows     rows bad in each way, by {@link BadRowKind#key()}, then the duplicates
     * @param firstBadRow where the first row bad in each way is, for the ways there are some
     * @param idxFiles    the IDX files the data set was written from; null if it does not record them
     */
    public record SplitCheck(String path, long rowsRead, long rowsUsed, long rowsSkipped, Map<String, Long> badRows,
                             Map<String, String> firstBadRow, IdxOrigin idxFiles) {
    }

    static DataCheckFile of(DataSettings.OnBadRow onBadRow, List<MnistDataCheck> checks) {
        Map<String, SplitCheck> splits = new LinkedHashMap<>();
        for (MnistDataCheck check : checks) {
            splits.put(check.split(), splitCheck(check));
        }
        return new DataCheckFile(onBadRow.configName(), splits);
    }

    private static SplitCheck splitCheck(MnistDataCheck check) {
        Map<String, Long> badRows = new LinkedHashMap<>();
        Map<String, String> firstBadRow = new LinkedHashMap<>();
        for (BadRowKind kind : BadRowKind.values()) {
            MnistDataCheck.BadRows bad = check.badRows().get(kind);
            badRows.put(kind.key(), bad.rows());
            if (bad.first() != null) {
                firstBadRow.put(kind.key(), bad.first());
            }
        }
        MnistDataCheck.Duplicates duplicates = check.duplicates();
        badRows.put(DUPLICATE_ID, duplicates.rows());
        if (duplicates.firstId() != null) {
            firstBadRow.put(DUPLICATE_ID, "id " + duplicates.firstId());
        }
        return new SplitCheck(check.path(), check.rows(), check.rowsUsed(), check.rowsLeftOut(), badRows, firstBadRow,
                check.idxFiles());
    }
}
