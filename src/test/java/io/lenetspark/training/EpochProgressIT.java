package io.lenetspark.training;

import io.lenetspark.SmallRun;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The progress lines the driver logged during a real small training run (interval 1s). */
class EpochProgressIT {

    @Test
    void driverLogsImagesDoneSpeedAndElapsedTimeWithinEachEpoch() throws IOException {
        List<String> lines = SmallRun.progressLines();

        assertFalse(lines.isEmpty(), "progress lines");
        for (String line : lines) {
            assertTrue(line.matches("Epoch [12]/2: [0-9,]+/1,800 images \\(\\d+%\\), \\d+ img/s, \\d+s elapsed"), line);
        }
        assertTrue(lines.stream().anyMatch(line -> !line.contains(": 0/")), "some minibatches counted: " + lines);
    }
}
