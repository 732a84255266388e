package io.lenetspark.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's configuration table is the users' list of settings: it must name every key, each with its default. */
class ReadmeConfigurationTableTest {

    private static final Path README = Path.of("README.md");
    private static final String SECTION = "## Configuration";
    /** A table row: | `key` | default | meaning |. */
    private static final Pattern ROW = Pattern.compile("^\\| `([a-z0-9.-]+)` \\| ([^|]*) \\|");

    @Test
    void everyKeyOfReferenceConfIsInTheTableAndNoOther() throws IOException {
        Map<String, String> documented = documentedDefaults();

        assertEquals(new TreeSet<>(referenceDefaults().keySet()), new TreeSet<>(documented.keySet()),
                "keys of reference.conf (left) and of README's configuration table (right)");
    }

    @Test
    void eachRowShowsTheDefaultOfReferenceConf() throws IOException {
        Map<String, String> documented = documentedDefaults();
        List<String> wrong = new ArrayList<>();
        referenceDefaults().forEach((key, value) -> {
            String shown = documented.get(key);
            if (shown != null && !sameDefault(value, shown)) {
                wrong.add(key + ": reference.conf has " + value + ", README shows " + shown);
            }
        });
        assertEquals(List.of(), wrong, "defaults shown in README's configuration table");
    }

    /** {@code lenet}'s leaf settings and their defaults as written; {@code hadoop} is one entry (it takes any name). */
    private static Map<String, String> referenceDefaults() {
        Config lenet = ConfigFactory.parseResources("reference.conf").resolve().getConfig("lenet");
        Map<String, String> defaults = new TreeMap<>();
        for (Map.Entry<String, ConfigValue> setting : lenet.withoutPath("hadoop").entrySet()) {
            defaults.put(setting.getKey(), String.valueOf(setting.getValue().unwrapped()));
        }
        defaults.put("hadoop", "");
        return defaults;
    }

    private static Map<String, String> documentedDefaults() throws IOException {
        String readme = Files.readString(README, StandardCharsets.UTF_8);
        int start = readme.indexOf("\n" + SECTION + "\n");
        assertTrue(start >= 0, "README.md has a '" + SECTION + "' section");
        int end = readme.indexOf("\n## ", start + SECTION.length() + 2);
        Map<String, String> rows = new TreeMap<>();
        for (String line : readme.substring(start, end < 0 ? readme.length() : end).split("\n")) {
            Matcher row = ROW.matcher(line);
            if (row.find()) {
                rows.put(row.group(1), row.group(2).trim());
            }
        }
        return rows;
    }

    /**
     * A shown default matches when it is the value itself, in backticks or not, or the words README uses
     * for an empty string.
     */
    private static boolean sameDefault(String value, String shown) {
        String bare = shown.replace("`", "");
        return bare.equals(value) || (value.isEmpty() && (bare.equals("empty") || bare.startsWith("empty")))
                || numericallyEqual(value, bare);
    }

    private static boolean numericallyEqual(String value, String shown) {
        try {
            return Double.parseDouble(value) == Double.parseDouble(shown);
        } catch (NumberFormatException notNumbers) {
            return false;
        }
    }
}
