package io.lenetspark.config;

import com.typesafe.config.Config;

/**
 * All settings of the jobs, read once on the driver and validated as a whole. Only plain
 * values taken from it travel to executors, never the object itself.
 *
 * @param seed     the one seed for everything random
 * @param resolved the resolved {@code lenet} configuration, for the run folder's record
 */
public record LeNetSettings(
        long seed,
        DataSettings data,
        PrepareSettings prepare,
        TrainingSettings training,
        OutputSettings output,
        ProgressSettings progress,
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
                config.getConfig(ConfigLoader.ROOT));
        reader.throwIfInvalid();
        return settings;
    }
}
