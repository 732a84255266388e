package io.lenetspark.config;

import java.time.Duration;

/**
 * How often the driver logs progress within an epoch.
 *
 * @param interval least time between two progress lines; an epoch shorter than this logs none
 */
public record ProgressSettings(Duration interval) {

    static ProgressSettings read(SettingsReader reader) {
        return new ProgressSettings(Duration.ofSeconds(reader.seconds("lenet.progress.interval", 1)));
    }
}
