package io.lenetspark.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;

/**
 * All settings of the jobs, read once on the driver and validated as a whole. Only plain
 * values taken from it travel to executors, never the object itself.
 *
 * @param seed     the one seed for everything random
 * @param hadoop   Hadoop properties the jobs set on the session before touching storage
 * @param resolved the resolved {@code lenet} configuration, for the run folder's record (secrets masked
 *                 by {@link Secrets} when written)
 */
public record LeNetSettings(
        long seed,
        DataSettings data,
        PrepareSettings prepare,
        TrainingSettings training,
        OutputSettings output,
        ProgressSettings progress,
        PredictSettings predict,
        HadoopSettings hadoop,
        Config resolved) {

    /** Reads and validates every setting; throws one message listing all problems. */
    public static LeNetSettings from(Config config) {
        SettingsReader reader = new SettingsReader(config);
        LeNetSettings settings = new LeNetSettings(
                reader.anyLong("lenet.seed"),
                DataSettings.read(reader),
                PrepareSettings.read(reader),
                TrainingSettings.read(reader),
                OutputSettings.read(reader),
                ProgressSettings.read(reader),
                PredictSettings.read(reader),
                HadoopSettings.read(reader),
                config.getConfig(ConfigLoader.ROOT));
        reader.throwIfInvalid();
        return settings;
    }

    /** The resolved settings with secrets masked: a record's default text would show them. */
    @Override
    public String toString() {
        return "LeNetSettings" + Secrets.mask(resolved).root().render(ConfigRenderOptions.concise());
    }
}
