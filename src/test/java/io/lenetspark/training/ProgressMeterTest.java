package io.lenetspark.training;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ProgressMeterTest {

    private static final long SECOND = 1_000_000_000L;

    private final ProgressMeter meter = new ProgressMeter("Epoch 3/20", 54_000, 128, Duration.ofSeconds(30));

    @Test
    void wordsImagesDoneOutOfTheEpochWithSpeedAndElapsedTime() {
        assertEquals("Epoch 3/20: 12,800/54,000 images (23%), 427 img/s, 30s elapsed",
                meter.line(30 * SECOND, 100));
    }

    @Test
    void staysQuietUntilTheFirstIntervalHasPassed() {
        assertEquals(Optional.empty(), meter.update(29 * SECOND, 90));
        assertEquals(Optional.of("Epoch 3/20: 12,800/54,000 images (23%), 427 img/s, 30s elapsed"),
                meter.update(30 * SECOND, 100));
    }

    @Test
    void logsAtMostOncePerInterval() {
        meter.update(31 * SECOND, 100);

        assertEquals(Optional.empty(), meter.update(45 * SECOND, 150));
        assertEquals(Optional.empty(), meter.update(60 * SECOND, 200));
        assertEquals(Optional.of("Epoch 3/20: 25,600/54,000 images (47%), 420 img/s, 61s elapsed"),
                meter.update(61 * SECOND, 200));
    }

    @Test
    void neverCountsMoreImagesThanTheEpochHas() {
        assertEquals("Epoch 3/20: 54,000/54,000 images (100%), 1800 img/s, 30s elapsed", meter.line(30 * SECOND, 422));
    }
}
