package io.lenetspark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Zeppelin note, without a Zeppelin server: checks the fields Zeppelin reads when it imports a
 * note, then prepares every {@code %spark.sql} paragraph with Zeppelin's own code (its form parser
 * and substitution, its Spark SQL interpreter's statement splitter), runs the statements with Spark
 * SQL against real run folders, and checks what each paragraph shows.
 */
class ZeppelinNoteIT {

    private static final Path NOTE = Path.of("notebooks", "lenet-runs_2LENETRUN.zpln");
    private static final String SQL = "%spark.sql";
    private static final String SCALA = "%spark";
    /** The run folder the Scala paragraph names, which a user replaces with theirs. */
    private static final String SCALA_RUN_FOLDER = "\"runs/20261128-014753\"";

    /** The columns each paragraph shows, by title. */
    private static final Map<String, List<String>> COLUMNS = new LinkedHashMap<>();

    static {
        COLUMNS.put("Load a run", List.of("view", "row_count"));
        COLUMNS.put("Summary", List.of("test_images", "test_accuracy", "test_loss", "epochs", "best_val_accuracy",
                "training_seconds"));
        COLUMNS.put("Loss per epoch", List.of("epoch", "loss", "val_loss"));
        COLUMNS.put("Validation accuracy per epoch", List.of("epoch", "val_accuracy"));
        COLUMNS.put("Learning rate per epoch", List.of("epoch", "learning_rate"));
        COLUMNS.put("Training speed per epoch", List.of("epoch", "seconds", "images_per_second"));
        COLUMNS.put("Confusion matrix (rows: true digit, columns: predicted digit)", Stream.concat(Stream.of("true_digit"),
                IntStream.range(0, 10).mapToObj(d -> "p" + d)).toList());
        COLUMNS.put("Most frequent confusions", List.of("confusion", "images"));
        COLUMNS.put("Per-class precision, recall and F1", List.of("digit", "support", "precision", "recall", "f1"));
        COLUMNS.put("Most confident mistakes", List.of("id", "label", "predicted", "confidence", "probability_of_label",
                "digit"));
        COLUMNS.put("Load every run under a folder", List.of("run", "test_accuracy", "test_loss", "epochs",
                "best_val_accuracy", "training_seconds"));
        COLUMNS.put("Validation accuracy of each run", List.of("epoch", "run", "val_accuracy"));
        COLUMNS.put("Validation loss of each run", List.of("epoch", "run", "val_loss"));
        COLUMNS.put("Accuracy of the model on a data set of images", List.of("images", "accuracy"));
        COLUMNS.put("Digits the model sees in a data set of images", List.of("digit", "images", "mean_confidence"));
    }

    private static JsonNode note;
    private static ZeppelinCode zeppelin;
    private static Path run;
    private static Path testImages;

    /** What each paragraph showed, by title. */
    private final Map<String, List<Row>> results = new LinkedHashMap<>();

    @TempDir
    static Path runs;

    @BeforeAll
    static void readNoteAndTrain() throws Exception {
        note = new ObjectMapper().readTree(NOTE.toFile());
        zeppelin = ZeppelinCode.load();
        // Two runs under one folder, for the comparison paragraphs.
        Path trained = SmallRun.folder();
        copy(trained, runs.resolve("run-a"));
        copy(trained, runs.resolve("run-b"));
        run = runs.resolve("run-a");
        testImages = MnistSubset.of(2_000, SmallRun.TEST_EXAMPLES).resolve("test");
    }

    @Test
    void hasWhatZeppelinNeedsToImportIt() {
        for (String field : List.of("name", "id", "defaultInterpreterGroup")) {
            assertTrue(note.path(field).isTextual() && !note.get(field).asText().isBlank(), field);
        }
        assertTrue(note.get("id").asText().matches("[A-Z0-9]{9}"), "a Zeppelin note id: " + note.get("id"));
        assertEquals(note.get("name").asText() + "_" + note.get("id").asText() + ".zpln", NOTE.getFileName().toString(),
                "Zeppelin's file name for the note, so that it also loads from a notebook folder");
        assertEquals("spark", note.get("defaultInterpreterGroup").asText());
        for (String field : List.of("config", "info", "angularObjects", "noteParams", "noteForms")) {
            assertTrue(note.path(field).isObject(), field);
        }
        assertTrue(note.get("paragraphs").isArray() && note.get("paragraphs").size() > 0, "paragraphs");
        Set<String> ids = new HashSet<>();
        for (JsonNode paragraph : note.get("paragraphs")) {
            String title = paragraph.path("title").asText();
            assertTrue(ids.add(paragraph.path("id").asText()), "unique id of " + title);
            assertTrue(paragraph.path("text").isTextual(), "text of " + title);
            assertTrue(List.of("READY", "FINISHED").contains(paragraph.path("status").asText()), "status of " + title);
            assertTrue(paragraph.path("dateCreated").isTextual(), "dateCreated of " + title);
            JsonNode config = paragraph.path("config");
            assertTrue(config.path("editorSetting").path("language").isTextual(), "editor language of " + title);
            assertTrue(config.path("editorSetting").path("editOnDblClick").isBoolean(), "editOnDblClick of " + title);
            assertTrue(config.path("editorMode").asText().startsWith("ace/mode/"), "editorMode of " + title);
            assertTrue(config.path("colWidth").isNumber(), "colWidth of " + title);
            assertTrue(config.path("results").isObject(), "results settings of " + title);
            assertTrue(paragraph.path("settings").path("params").isObject(), "params of " + title);
            assertTrue(paragraph.path("settings").path("forms").isObject(), "forms of " + title);
            String text = paragraph.get("text").asText();
            assertTrue(text.startsWith(SQL + "\n") || text.startsWith(SCALA + "\n") || text.startsWith("%md\n"),
                    "interpreter of " + title);
            if (text.startsWith(SQL)) {
                assertTrue(COLUMNS.containsKey(title), "expected columns known for paragraph " + title);
                assertEquals("sql", config.path("editorSetting").path("language").asText(), "editor of " + title);
            }
            if (text.startsWith(SCALA + "\n")) {
                assertEquals("scala", config.path("editorSetting").path("language").asText(), "editor of " + title);
            }
        }
        assertEquals(COLUMNS.keySet(), sqlParagraphs().stream().map(p -> p.get("title").asText())
                .collect(Collectors.toCollection(LinkedHashSet::new)), "paragraphs tested");
    }

    @Test
    void savesTheFormsZeppelinFindsInEachParagraph() {
        Set<String> used = new HashSet<>();
        for (JsonNode paragraph : note.get("paragraphs")) {
            String title = paragraph.path("title").asText();
            Map<String, ZeppelinCode.Form> inText = zeppelin.formsIn(script(paragraph));
            Map<String, ZeppelinCode.Form> saved = zeppelin.savedForms(paragraph.get("settings").toString());
            assertEquals(inText, saved, "forms saved with " + title);
            inText.forEach((name, form) -> {
                assertEquals("TextBox", form.type(), "kind of form " + name);
                assertEquals(form.defaultValue(), paragraph.get("settings").get("params").path(name).asText(),
                        "value of form " + name + " in " + title);
            });
            used.addAll(inText.keySet());
        }
        assertEquals(Set.of("run_folder", "runs_folder", "images"), used, "forms of the note");
    }

    @Test
    void everyParagraphRunsOnRealRunsAndShowsItsColumns() {
        SparkSession spark = SparkTestSession.get();
        Map<String, Object> formValues = Map.of("run_folder", withoutTrailingSlash(run.toUri()),
                "runs_folder", withoutTrailingSlash(runs.toUri()), "images", withoutTrailingSlash(testImages.toUri()));
        ZeppelinScala scala = new ZeppelinScala();
        for (JsonNode paragraph : note.get("paragraphs")) {
            String title = paragraph.get("title").asText();
            if (paragraph.get("text").asText().startsWith(SCALA + "\n")) {
                // The one value a user edits in it: the run folder, written once.
                String code = script(paragraph);
                assertEquals(1, code.split(Pattern.quote(SCALA_RUN_FOLDER), -1).length - 1, "run folder in " + title);
                scala.run(code.replace(SCALA_RUN_FOLDER, "\"" + withoutTrailingSlash(run.toUri()) + "\""), spark);
                continue;
            }
            if (!paragraph.get("text").asText().startsWith(SQL)) {
                continue;
            }
            List<String> statements = zeppelin.statements(zeppelin.substitute(script(paragraph), formValues));
            Dataset<Row> shown = null;
            for (String statement : statements) {
                shown = spark.sql(statement);
            }
            List<Row> rows = shown.collectAsList();
            assertEquals(COLUMNS.get(title), Arrays.asList(shown.columns()), "columns of " + title);
            assertFalse(rows.isEmpty(), "rows of " + title);
            // Zeppelin passes results to its table display as tab-separated lines.
            rows.forEach(row -> IntStream.range(0, row.size()).mapToObj(row::get).forEach(value -> assertFalse(
                    String.valueOf(value).contains("\t") || String.valueOf(value).contains("\n")
                            || String.valueOf(value).contains("\r"), "a tab or line break in a cell of " + title)));
            checkChartSettings(paragraph, shown.columns(), statements.size());
            results.put(title, rows);
        }
        checkValues();
    }

    /** What the paragraphs show, against what the run folders hold. */
    private void checkValues() {
        assertEquals(List.of("metrics 2", "test_evaluation 1", "predictions 500"),
                results.get("Load a run").stream().map(r -> r.getString(0) + " " + r.getLong(1)).toList(), "views loaded");
        assertEquals(SmallRun.EPOCHS, results.get("Loss per epoch").size(), "epochs charted");
        long confusionTotal = results.get("Confusion matrix (rows: true digit, columns: predicted digit)").stream()
                .mapToLong(r -> IntStream.range(1, 11).mapToLong(r::getLong).sum()).sum();
        assertEquals(SmallRun.TEST_EXAMPLES, confusionTotal, "images in the confusion matrix");
        assertEquals(10, results.get("Per-class precision, recall and F1").size(), "classes");
        assertEquals(List.of("run-a", "run-b"), results.get("Load every run under a folder").stream()
                .map(r -> r.getString(0)).sorted().toList(), "runs compared");
        assertEquals(2 * SmallRun.EPOCHS, results.get("Validation accuracy of each run").size(), "epochs of both runs");
        checkDigitImages(results.get("Most confident mistakes"));
        checkModelInSql(results.get("Accuracy of the model on a data set of images"),
                results.get("Digits the model sees in a data set of images"), results.get("Summary").get(0));
    }

    /**
     * The run's model, through the SQL functions the Scala paragraph registers, scores the run's own
     * test images: as accurately as the run reported, every image once.
     */
    private static void checkModelInSql(List<Row> accuracy, List<Row> digits, Row summary) {
        assertEquals(SmallRun.TEST_EXAMPLES, accuracy.get(0).getLong(0), "images scored");
        assertEquals(summary.getDouble(1), accuracy.get(0).getDouble(1), 1e-9,
                "accuracy in SQL against the run's test accuracy");
        assertEquals(SmallRun.TEST_EXAMPLES, digits.stream().mapToLong(r -> r.getLong(1)).sum(), "images by digit");
        assertTrue(digits.stream().allMatch(r -> r.getInt(0) >= 0 && r.getInt(0) <= 9
                && r.getDouble(2) > 0.1 && r.getDouble(2) <= 1), "digits and confidences: " + digits);
    }

    /** The mistakes paragraph shows each digit as an HTML cell holding a BMP built in SQL from the image bytes. */
    private void checkDigitImages(List<Row> mistakes) {
        Map<Long, byte[]> images = SparkTestSession.get().read().parquet(run.resolve("predictions.parquet").toString())
                .collectAsList().stream().collect(Collectors.toMap(r -> r.getLong(0), r -> (byte[]) r.getAs("image")));
        Pattern bmp = Pattern.compile("^%html <img .*src=\"data:image/bmp;base64,([A-Za-z0-9+/=]+)\">$");
        double previousConfidence = Double.POSITIVE_INFINITY;
        for (Row mistake : mistakes) {
            assertTrue(mistake.getInt(1) != mistake.getInt(2), "a mistake: " + mistake);
            assertTrue(mistake.getDouble(3) <= previousConfidence, "most confident first");
            previousConfidence = mistake.getDouble(3);
            Matcher cell = bmp.matcher(mistake.getString(5));
            assertTrue(cell.matches(), mistake.getString(5).substring(0, 80));
            BufferedImage digit = readBmp(Base64.getDecoder().decode(cell.group(1)));
            byte[] expected = images.get(mistake.getLong(0));
            byte[] shown = new byte[784];
            for (int i = 0; i < shown.length; i++) {
                shown[i] = (byte) digit.getRaster().getSample(i % 28, i / 28, 0);
            }
            assertArrayEquals(expected, shown, "pixels shown for test image " + mistake.getLong(0));
        }
    }

    private static BufferedImage readBmp(byte[] bytes) {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
            assertEquals(28, image.getWidth(), "digit width");
            assertEquals(28, image.getHeight(), "digit height");
            return image;
        } catch (IOException e) {
            throw new AssertionError("not a BMP image", e);
        }
    }

    /** A chart's key, group and value columns must be columns the paragraph's last statement shows. */
    private static void checkChartSettings(JsonNode paragraph, String[] columns, int statements) {
        JsonNode results = paragraph.get("config").get("results");
        results.fieldNames().forEachRemaining(index -> {
            assertEquals(String.valueOf(statements - 1), index, "chart settings belong to the last result of "
                    + paragraph.get("title").asText());
            JsonNode graph = results.get(index).get("graph");
            assertTrue(List.of("table", "lineChart", "multiBarChart").contains(graph.get("mode").asText()), "chart mode");
            for (String part : List.of("keys", "groups", "values")) {
                for (JsonNode column : graph.get(part)) {
                    int position = column.get("index").asInt();
                    assertEquals(columns[position], column.get("name").asText(),
                            part + " of " + paragraph.get("title").asText());
                }
            }
        });
    }

    private static List<JsonNode> sqlParagraphs() {
        List<JsonNode> paragraphs = new ArrayList<>();
        note.get("paragraphs").forEach(p -> {
            if (p.get("text").asText().startsWith(SQL)) {
                paragraphs.add(p);
            }
        });
        return paragraphs;
    }

    /** What Zeppelin hands the interpreter: the text after the interpreter's name. */
    private static String script(JsonNode paragraph) {
        String text = paragraph.get("text").asText();
        return text.substring(text.indexOf('\n') + 1);
    }

    private static String withoutTrailingSlash(URI folder) {
        return folder.toString().replaceAll("/$", "");
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : files.toList()) {
                Files.copy(source, to.resolve(from.relativize(source).toString()));
            }
        }
    }
}
