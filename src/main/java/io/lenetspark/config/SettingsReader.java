package io.lenetspark.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.lenetspark.InvalidInputException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads typed values from the resolved configuration and collects every problem, so that one
 * message lists all of them before any work starts.
 */
final class SettingsReader {

    /** A URI's user-info part, as in {@code s3a://KEY:SECRET@bucket/path}: scheme, user info, the rest. */
    private static final Pattern USER_INFO = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*://)([^/@]*)@(.*)$");

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
     * refused: they would end up in logs, the Spark UI and the run's saved configuration. The message
     * masks them.
     */
    String location(String key) {
        String value = nonBlankString(key);
        Matcher userInfo = USER_INFO.matcher(value);
        if (userInfo.matches()) {
            reject(key, "\"" + userInfo.group(1) + "***@" + userInfo.group(3) + "\"",
                    "a location must not carry credentials; give them to the file system instead "
                            + "(for s3a: spark.hadoop.fs.s3a.access.key and .secret.key in a --properties-file, "
                            + "or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; see the README, Storage)");
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

    void reject(String key, Object value, String rule) {
        problems.add(String.format("Cannot set %s to %s: %s.", key, value, rule));
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
