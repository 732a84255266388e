package io.lenetspark.data;

import io.lenetspark.SparkTestSession;
import io.lenetspark.config.DataSettings.OnBadRow;
import io.lenetspark.failure.InvalidInputException;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random data sets with randomly corrupted rows among valid ones (fixed seeds, so a failure
 * repeats): {@code fail} must refuse each naming every kind of bad row present, its count and its
 * first row; {@code skip} must keep exactly the good rows and count the bad ones by kind.
 */
class BadRowsFuzzTest {

    private static final int ROWS = 300;
    private static final String SKIP_HINT = "or set lenet.data.on-bad-row = skip to leave the bad rows out.";

    private final SparkSession spark = SparkTestSession.get();

    @TempDir
    Path dir;

    @ParameterizedTest(name = "seed {0}: {1} of the rows corrupted, {2} files")
    @CsvSource({"1, 0.01, 1", "2, 0.05, 3", "3, 0.1, 2", "4, 0.3, 4", "5, 0.6, 3", "6, 0.95, 2", "7, 1.0, 2"})
    void failRefusesTheDataNamingEveryKindOfBadRowItsCountAndItsFirst(long seed, double corruptShare, int files)
            throws IOException {
        CorruptedMnist data = CorruptedMnist.generate(seed, ROWS, corruptShare);
        String path = write(data, files);

        String message = assertThrows(InvalidInputException.class,
                () -> MnistParquet.read(spark, path, "train", OnBadRow.FAIL)).getMessage();

        assertTrue(message.startsWith("MNIST train data " + path + " has bad rows among its " + ROWS + ": "), message);
        assertTrue(message.endsWith(SKIP_HINT), "names the skip setting: " + message);
        CorruptedMnist.Expected expected = data.expected();
        for (BadRowKind kind : BadRowKind.values()) {
            long count = expected.badRows().get(kind);
            Long firstId = expected.firstIds().get(kind);
            if (count == 0) {
                assertFalse(message.contains(" with " + kind.description() + " ("), kind + " absent: " + message);
            } else if (firstId != null) {
                assertTrue(message.contains(count + " with " + kind.description() + " (first id " + firstId + ")"),
                        kind + " counted and its smallest id named: " + message);
            } else {
                assertFirstWithoutIdLocated(path, kind, count, message);
            }
        }
    }

    @ParameterizedTest(name = "seed {0}: {1} of the rows corrupted, {2} files")
    @CsvSource({"11, 0.01, 1", "12, 0.05, 3", "13, 0.1, 2", "14, 0.3, 4", "15, 0.6, 3", "16, 0.95, 2"})
    void skipKeepsExactlyTheGoodRowsAndCountsTheBadOnesByKind(long seed, double corruptShare, int files)
            throws IOException {
        CorruptedMnist data = CorruptedMnist.generate(seed, ROWS, corruptShare);
        String path = write(data, files);

        MnistParquet.CheckedRows read = MnistParquet.read(spark, path, "train", OnBadRow.SKIP);

        CorruptedMnist.Expected expected = data.expected();
        Map<Long, Integer> kept = new HashMap<>();
        for (Row row : read.rows().collectAsList()) {
            assertNull(kept.put(row.getLong(0), row.getInt(1)), "id " + row.getLong(0) + " kept once");
            assertEquals(MnistSchema.IMAGE_BYTES, ((byte[]) row.get(2)).length, "image bytes of id " + row.getLong(0));
        }
        assertEquals(expected.goodLabels(), kept, "the good rows, with their labels");
        MnistDataCheck check = read.check();
        assertEquals(ROWS, check.rows(), "rows read");
        assertEquals(expected.goodLabels().size(), check.goodRows(), "good rows");
        assertEquals(expected.badTotal(), check.badRowCount(), "rows left out");
        for (BadRowKind kind : BadRowKind.values()) {
            MnistDataCheck.BadRows bad = check.badRows().get(kind);
            assertEquals(expected.badRows().get(kind), bad.rows(), "rows with " + kind.description());
            Long firstId = expected.firstIds().get(kind);
            if (firstId != null) {
                assertEquals("id " + firstId, bad.first(), "first row with " + kind.description());
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {21, 22})
    void skipStillRefusesDataWithoutAGoodRow(long seed) throws IOException {
        CorruptedMnist data = CorruptedMnist.generate(seed, ROWS, 1.0);
        String path = write(data, 2);

        String message = assertThrows(InvalidInputException.class,
                () -> MnistParquet.read(spark, path, "train", OnBadRow.SKIP)).getMessage();

        assertTrue(message.startsWith("MNIST train data " + path + " has no good rows: all " + ROWS + " are bad ("),
                message);
        assertFalse(message.contains(SKIP_HINT), "skip is already set: " + message);
    }

    /**
     * The message gives the place of the first row bad in {@code kind}'s way when none of them has
     * an id: the first such row of the first file, by name, that has one.
     */
    private void assertFirstWithoutIdLocated(String path, BadRowKind kind, long count, String message)
            throws IOException {
        Matcher place = Pattern.compile(count + " with " + Pattern.quote(kind.description())
                + " \\(first at row index (\\d+) of file (\\S+)\\)").matcher(message);
        assertTrue(place.find(), kind + " counted and its first row located: " + message);
        assertEquals(firstPlace(path, kind), Optional.of(place.group(2) + "#" + place.group(1)),
                kind + ": the first such row, as file#row index");
    }

    /** Reads each file alone: a small file is one Spark partition, read in its own order. */
    private Optional<String> firstPlace(String path, BadRowKind kind) throws IOException {
        for (String file : parquetFiles(path)) {
            List<Row> rows = spark.read().schema(CorruptedMnist.NULLABLE).parquet(path + "/" + file).collectAsList();
            for (int index = 0; index < rows.size(); index++) {
                if (CorruptedMnist.kindsOf(rows.get(index)).contains(kind)) {
                    return Optional.of(file + "#" + index);
                }
            }
        }
        return Optional.empty();
    }

    private static List<String> parquetFiles(String path) throws IOException {
        try (Stream<Path> files = Files.list(Path.of(path))) {
            return files.map(f -> f.getFileName().toString()).filter(name -> name.endsWith(".parquet")).sorted()
                    .toList();
        }
    }

    private String write(CorruptedMnist data, int files) {
        String path = dir.resolve("data").toString();
        data.write(spark, path, files);
        return path;
    }
}
