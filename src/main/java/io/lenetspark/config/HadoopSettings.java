package io.lenetspark.config;

import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * Hadoop properties from {@code lenet.hadoop}, such as the s3a endpoint and credentials, so that a
 * job's storage settings can live in its own {@code --config} file (one the user keeps private)
 * rather than in Spark's properties.
 *
 * @param properties Hadoop property names and their values
 */
public record HadoopSettings(Map<String, String> properties) {

    private static final Logger LOG = LoggerFactory.getLogger(HadoopSettings.class);
    static final String KEY = "lenet.hadoop";

    static HadoopSettings read(SettingsReader reader) {
        return new HadoopSettings(Map.copyOf(reader.properties(KEY)));
    }

    /**
     * Sets the properties on {@code conf} (the session's Hadoop configuration, which Spark also ships
     * to the executors' readers). A value that is the mask of a saved {@code config.conf} is left
     * out, so that resuming with that file keeps the credentials the job gets elsewhere.
     */
    public void applyTo(Configuration conf) {
        Map<String, String> applied = properties.entrySet().stream()
                .filter(property -> !property.getValue().equals(Secrets.MASK))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        applied.forEach(conf::set);
        properties.keySet().stream().filter(name -> !applied.containsKey(name)).sorted().forEach(name ->
                LOG.warn("Not applying {}.\"{}\": it holds the mask of a saved config.conf, not a value", KEY, name));
        if (!applied.isEmpty()) {
            LOG.info("Hadoop properties from {}: {}", KEY, masked(applied));
        }
    }

    /** The names with their values masked where secret: a record's default text would show them. */
    @Override
    public String toString() {
        return "HadoopSettings[" + masked(properties) + "]";
    }

    private static String masked(Map<String, String> properties) {
        return properties.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(property -> property.getKey() + "=" + Secrets.mask(property.getKey(), property.getValue()))
                .collect(Collectors.joining(", "));
    }
}
