package io.lenetspark.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import io.lenetspark.failure.InvalidInputException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Reads typed values from the resolved configuration and collects every problem, so that one
 * message lists all of them before any work starts.
 */
final class SettingsReader {

    private final Config config;
    private final List<String> problems = new ArrayList<>();

    SettingsReader(Config config) {
        this.config = config;
    }

    int intAtLeast(String key, int min) {
        Integer value = read(key, () -> config.getInt(key), "a whole number");
        if (value != null && value < min) {
            reject(key, value, "must be at least " + min);
        }
        return value == null ? min : value;
    }

    double doubleAtLeast(String key, double min) {
        Double value = read(key, () -> config.getDouble(key), "a number");
        if (value != null && (value.isNaN() || value < min)) {
            reject(key, value, "must be at least " + min);
        }
        return value == null ? min : value;
    }

    double positiveDouble(String key) {
        Double value = read(key, () -> config.getDouble(key), "a number");
        if (value != null && !(value > 0 && Double.isFinite(value))) {
            reject(key, value, "must be a finite number above 0");
        }
        return value == null ? 1 : value;
    }

    /** A value strictly between 0 and 1. */
    double fraction(String key) {
        Double value = read(key, () -> config.getDouble(key), "a number");
        if (value != null && !(value > 0 && value < 1)) {
            reject(key, value, "must be strictly between 0 and 1");
        }
        return value == null ? 0.5 : value;
    }

    long seconds(String key, long min) {
        Long value = read(key, () -> config.getDuration(key).toSeconds(), "a duration such as 60s");
        if (value != null && value < min) {
            reject(key, value + "s", "must be at least " + min + "s");
        }
        return value == null ? min : value;
    }

    long anyLong(String key) {
        Long value = read(key, () -> config.getLong(key), "a whole number");
        return value == null ? 0 : value;
    }

    boolean bool(String key) {
        Boolean value = read(key, () -> config.getBoolean(key), "true or false");
        return value != null && value;
    }

    String string(String key) {
        String value = read(key, () -> config.getString(key), "a string");
        return value == null ? "" : value;
    }

    String nonBlankString(String key) {
        String value = string(key);
        if (value.isBlank() && problems.stream().noneMatch(p -> p.contains(key + " "))) {
            reject(key, "\"\"", "must not be empty");
        }
        return value;
    }

    /**
     * A file system location (a local path or any Hadoop URI). A URI that carries credentials is
     * refused: they would end up in logs, the Spark UI and the run's saved configuration.
     */
    String location(String key) {
        return withoutCredentials(key, nonBlankString(key), "give them to the file system instead "
                + "(for s3a: fs.s3a.access.key and fs.s3a.secret.key in lenet.hadoop or, with the spark.hadoop. prefix, "
                + "in a --properties-file, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; see docs/storage.md, S3)");
    }

    /** A {@link #location} that may be left empty, for a setting only one job needs. */
    String optionalLocation(String key) {
        String value = string(key);
        return value.isBlank() ? "" : location(key);
    }

    /** A base URL to download from, refused like a {@link #location} if it carries credentials. */
    String url(String key) {
        return withoutCredentials(key, string(key), "serve the files without a login, or fetch them yourself "
                + "and use lenet.prepare.source = dir");
    }

    /**
     * A free-form block of flat properties such as {@code hadoop { "fs.s3a.endpoint" = "..." }}: each
     * value a string, number or boolean, by its dotted name (quoted or nested keys alike).
     */
    Map<String, String> properties(String key) {
        Map<String, String> properties = new TreeMap<>();
        ConfigObject block = read(key, () -> config.getObject(key), "a block of name = value properties");
        if (block != null) {
            addProperties(key, "", block, properties);
        }
        return properties;
    }

    private void addProperties(String blockKey, String prefix, ConfigObject block, Map<String, String> properties) {
        for (Map.Entry<String, ConfigValue> entry : block.entrySet()) {
            String name = prefix + entry.getKey();
            ConfigValue value = entry.getValue();
            switch (value.valueType()) {
                case OBJECT -> addProperties(blockKey, name + ".", (ConfigObject) value, properties);
                case STRING -> properties.put(name, (String) value.unwrapped());
                case NUMBER, BOOLEAN -> properties.put(name, value.render());
                default -> problems.add(String.format("Cannot set %s.\"%s\" to a %s: properties are strings, numbers "
                        + "or booleans.", blockKey, name, value.valueType().name().toLowerCase(Locale.ROOT)));
            }
        }
    }

    private String withoutCredentials(String key, String value, String fix) {
        if (Secrets.hasUserInfo(value)) {
            reject(key, "\"" + Secrets.maskUserInfo(value) + "\"", "a location must not carry credentials; " + fix);
        }
        return value;
    }

    /** A value named by one of the enum's {@link Named#configName()}s. */
    <E extends Enum<E> & Named> E oneOf(String key, Class<E> type) {
        String value = string(key);
        for (E candidate : type.getEnumConstants()) {
            if (candidate.configName().equals(value.trim().toLowerCase(Locale.ROOT))) {
                return candidate;
            }
        }
        String allowed = Arrays.stream(type.getEnumConstants()).map(Named::configName)
                .collect(Collectors.joining(", "));
        reject(key, "\"" + value + "\"", "must be one of: " + allowed);
        return type.getEnumConstants()[0];
    }

    /** Records a problem; the value is masked if the key looks secret (see {@link Secrets}). */
    void reject(String key, Object value, String rule) {
        problems.add(String.format("Cannot set %s to %s: %s.", key, Secrets.mask(key, value), rule));
    }

    /** Throws one {@link InvalidInputException} listing every problem found, if any. */
    void throwIfInvalid() {
        if (problems.isEmpty()) {
            return;
        }
        throw new InvalidInputException(problems.size() == 1
                ? "Invalid configuration. " + problems.get(0) + " " + ConfigLoader.HOW_TO_OVERRIDE
                : "Invalid configuration:\n  " + String.join("\n  ", problems) + "\n" + ConfigLoader.HOW_TO_OVERRIDE);
    }

    private <T> T read(String key, Supplier<T> getter, String expected) {
        try {
            return getter.get();
        } catch (ConfigException.Missing e) {
            problems.add(String.format("Missing setting %s.", key));
        } catch (ConfigException e) {
            String raw = config.hasPath(key) ? config.getValue(key).render() : "?";
            reject(key, raw, "expected " + expected);
        }
        return null;
    }

    /** Enums whose values appear in the configuration under a kebab-case name. */
    interface Named {
        String configName();
    }
}
