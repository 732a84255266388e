package io.lenetspark.output;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import io.lenetspark.config.DataSettings;
import io.lenetspark.config.Secrets;
import io.lenetspark.data.MnistDataCheck;
import io.lenetspark.evaluation.ClassificationReport;
import io.lenetspark.failure.InvalidInputException;
import io.lenetspark.training.EpochMetrics;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Writes a run's results into its {@link RunFolder}, in formats a notebook reads directly. The
 * names of the run folder's files are here; the JSON ones are written through {@link RunJson}.
 */
public final class RunOutputs {

    public static final String MODEL = "model.zip";
    /** One {@link io.lenetspark.training.EpochMetrics} per line. */
    public static final String METRICS_JSON = "metrics.jsonl";
    /** The same metrics as a {@link MetricsTable}. */
    public static final String METRICS_PARQUET = "metrics.parquet";
    /** An {@link io.lenetspark.evaluation.ClassificationReport}. */
    public static final String TEST_EVALUATION = "test-evaluation.json";
    /** Parquet of {@link io.lenetspark.evaluation.TestPredictions#SCHEMA}. */
    public static final String PREDICTIONS = "predictions.parquet";
    public static final String REPORT = "report.html";
    public static final String CONFIG = "config.conf";
    /** A {@link DataCheckFile}. */
    public static final String DATA_CHECK = "data-check.json";

    private final RunFolder folder;

    public RunOutputs(RunFolder folder) {
        this.folder = folder;
    }

    /** The model with its updater state, so training can continue from it. */
    public void writeModel(MultiLayerNetwork network) {
        folder.write(MODEL, out -> ModelSerializer.writeModel(network, out, true));
    }

    /** One JSON object per epoch; rewritten after every epoch so progress is visible while training. */
    public void writeMetricsJson(List<EpochMetrics> epochs) {
        folder.writeText(METRICS_JSON, epochs.stream().map(RunJson::line).collect(Collectors.joining("\n", "", "\n")));
    }

    public void writeMetricsParquet(SparkSession spark, List<EpochMetrics> epochs) {
        List<Row> rows = epochs.stream().map(MetricsTable::row).toList();
        spark.createDataFrame(rows, MetricsTable.SCHEMA).coalesce(1)
                .write().mode(SaveMode.Overwrite).parquet(folder.resolve(METRICS_PARQUET).toString());
    }

    public void writeTestEvaluation(ClassificationReport report) {
        folder.writeText(TEST_EVALUATION, RunJson.indented(report) + "\n");
    }

    /**
     * What checking the data found, per split: rows read, used and left out, the rows bad in each
     * way and where the first of them is. Written before training, so a notebook can see it early.
     */
    public void writeDataCheck(DataSettings.OnBadRow onBadRow, List<MnistDataCheck> checks) {
        folder.writeText(DATA_CHECK, RunJson.indented(DataCheckFile.of(onBadRow, checks)) + "\n");
    }

    /** The resolved {@code lenet} settings, secrets masked, as HOCON that can be passed back with --config. */
    public void writeConfig(Config resolvedLenet) {
        folder.writeText(CONFIG, render(resolvedLenet));
    }

    /**
     * Checks that a run being resumed uses the settings it started with (apart from {@code output},
     * {@code progress} and {@code hadoop}, which only say where to write, how often to log and how to
     * reach storage): other settings would silently change the training.
     */
    public void checkSameConfig(Config resolvedLenet) {
        Config saved;
        try (InputStream in = folder.open(CONFIG)) {
            saved = ConfigFactory.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getConfig("lenet");
        } catch (IOException | RuntimeException e) {
            throw new InvalidInputException("Cannot read the settings of the run being resumed from "
                    + folder.resolve(CONFIG) + " (" + e.getMessage() + "). Choose a new lenet.output.run-id to start over.");
        }
        Config current = ConfigFactory.parseString(render(resolvedLenet)).getConfig("lenet");
        Set<String> keys = new TreeSet<>(saved.entrySet().stream().map(Map.Entry::getKey).toList());
        current.entrySet().forEach(entry -> keys.add(entry.getKey()));
        List<String> differences = keys.stream()
                .filter(key -> !key.startsWith("output.") && !key.startsWith("progress.") && !key.startsWith("hadoop."))
                .filter(key -> !Objects.equals(valueOf(saved, key), valueOf(current, key)))
                .map(key -> "lenet." + key + " was " + valueOf(saved, key) + ", now " + valueOf(current, key))
                .toList();
        if (!differences.isEmpty()) {
            throw new InvalidInputException("Run " + folder.runId() + " was started with other settings, so it cannot "
                    + "resume: " + String.join("; ", differences) + ". Resume with the settings in "
                    + folder.resolve(CONFIG) + " (--config), or choose a new lenet.output.run-id.");
        }
    }

    private static String valueOf(Config config, String key) {
        // Unwrapped, so that 32 read back from the file equals "32" given as a job argument.
        return config.hasPath(key) ? String.valueOf(config.getValue(key).unwrapped()) : "unset";
    }

    static String render(Config resolvedLenet) {
        return Secrets.mask(resolvedLenet).atPath("lenet").root().render(ConfigRenderOptions.defaults()
                .setOriginComments(false).setComments(false).setJson(false));
    }
}
