package io.lenetspark.config;

import java.time.Duration;

/**
 * How the driver follows an epoch: how often it logs progress, and how long it waits for a
 * minibatch before it gives the epoch up as stalled.
 *
 * @param interval     least time between two progress lines; an epoch shorter than this logs none
 * @param stallTimeout no minibatch fitted for this long cancels the epoch and fails the run; zero: never
 */
public record ProgressSettings(Duration interval, Duration stallTimeout) {

    static ProgressSettings read(SettingsReader reader) {
        return new ProgressSettings(Duration.ofSeconds(reader.seconds("lenet.progress.interval", 1)),
                Duration.ofSeconds(reader.seconds("lenet.progress.stall-timeout", 0)));
    }
}
