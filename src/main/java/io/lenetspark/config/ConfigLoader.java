package io.lenetspark.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import io.lenetspark.failure.InvalidInputException;

import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Builds the job's configuration from, highest precedence first: {@code key=value} job
 * arguments, {@code -D} system properties, an override file named by {@code --config FILE},
 * {@code application.conf} on the class path, and {@code reference.conf}.
 */
public final class ConfigLoader {

    public static final String ROOT = "lenet";

    /** The block of {@code lenet} whose keys are not declared in reference.conf. */
    private static final String FREE_FORM_BLOCK = "hadoop";

    static final String HOW_TO_OVERRIDE =
            "Fix the value in your --config file or pass it as lenet.<key>=<value> (see reference.conf).";

    private ConfigLoader() {
    }

    /** Parses job arguments into a resolved configuration, rejecting unknown keys under {@code lenet}. */
    public static Config load(List<String> args) {
        Map<String, String> overrides = new LinkedHashMap<>();
        Config file = ConfigFactory.empty();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--config")) {
                if (i + 1 >= args.size()) {
                    throw new InvalidInputException("--config needs a file name, e.g. --config conf/local.conf.");
                }
                file = parseFile(args.get(++i));
            } else if (arg.startsWith("--config=")) {
                file = parseFile(arg.substring("--config=".length()));
            } else if (arg.contains("=") && !arg.startsWith("=")) {
                String key = arg.substring(0, arg.indexOf('=')).trim();
                overrides.put(key.startsWith(ROOT + ".") ? key : ROOT + "." + key, arg.substring(arg.indexOf('=') + 1));
            } else {
                throw new InvalidInputException("Unexpected argument '" + arg + "'. Arguments are "
                        + "key=value overrides (e.g. training.epochs=5) or --config FILE.");
            }
        }
        return load(ConfigFactory.parseMap(overrides, "job arguments"), file);
    }

    static Config load(Config arguments, Config file) {
        Config reference = ConfigFactory.defaultReferenceUnresolved();
        Config merged;
        try {
            merged = arguments
                    .withFallback(ConfigFactory.systemProperties())
                    .withFallback(file)
                    .withFallback(ConfigFactory.defaultApplication())
                    .withFallback(reference)
                    .resolve();
        } catch (ConfigException e) {
            throw new InvalidInputException("Invalid configuration: " + e.getMessage() + ". " + HOW_TO_OVERRIDE, e);
        }
        rejectUnknownKeys(merged, ConfigFactory.defaultReference());
        return merged;
    }

    private static Config parseFile(String path) {
        File file = new File(path);
        if (!file.isFile()) {
            throw new InvalidInputException("Config file " + path + " does not exist. "
                    + "Pass an existing HOCON file, e.g. --config conf/local.conf.");
        }
        try {
            return ConfigFactory.parseFile(file, ConfigParseOptions.defaults().setAllowMissing(false));
        } catch (ConfigException e) {
            throw new InvalidInputException("Config file " + path + " is not valid HOCON: "
                    + Secrets.maskQuotedText(e.getMessage()), e);
        }
    }

    /** Under {@code lenet.hadoop} any Hadoop property may be set; {@link HadoopSettings} checks the values. */
    private static boolean isFreeForm(String key) {
        return ConfigUtil.splitPath(key).get(0).equals(FREE_FORM_BLOCK);
    }

    private static void rejectUnknownKeys(Config merged, Config reference) {
        if (!merged.hasPath(ROOT)) {
            return;
        }
        Set<String> known = new TreeSet<>();
        for (Map.Entry<String, ConfigValue> entry : reference.getConfig(ROOT).entrySet()) {
            known.add(entry.getKey());
        }
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<String, ConfigValue> entry : merged.getConfig(ROOT).entrySet()) {
            if (!known.contains(entry.getKey()) && !isFreeForm(entry.getKey())) {
                unknown.add(ROOT + "." + entry.getKey());
            }
        }
        if (!unknown.isEmpty()) {
            throw new InvalidInputException("Unknown setting" + (unknown.size() > 1 ? "s " : " ")
                    + String.join(", ", unknown) + ". Check the spelling against reference.conf.");
        }
    }
}
