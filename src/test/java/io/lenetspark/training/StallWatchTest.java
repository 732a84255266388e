package io.lenetspark.training;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StallWatchTest {

    private static final long SECOND = Duration.ofSeconds(1).toNanos();

    @Test
    void anEpochThatKeepsFittingNeverStalls() {
        StallWatch watch = new StallWatch(Duration.ofSeconds(10), 0);
        for (int second = 1; second <= 100; second++) {
            watch.observe(second * SECOND, second);
            assertFalse(watch.stalled(second * SECOND + 9 * SECOND), "at second " + second);
        }
    }

    @Test
    void noNewMinibatchForLongerThanTheTimeoutIsAStall() {
        StallWatch watch = new StallWatch(Duration.ofSeconds(10), 0);
        watch.observe(5 * SECOND, 3);
        // The same count seen again is no progress.
        watch.observe(12 * SECOND, 3);
        assertFalse(watch.stalled(15 * SECOND));
        assertTrue(watch.stalled(16 * SECOND));
        assertEquals(Duration.ofSeconds(11), watch.idle(16 * SECOND));
    }

    @Test
    void anEpochThatNeverFitsAMinibatchStallsFromItsStart() {
        StallWatch watch = new StallWatch(Duration.ofSeconds(10), 100 * SECOND);
        assertFalse(watch.stalled(110 * SECOND));
        assertTrue(watch.stalled(111 * SECOND));
    }

    @Test
    void aZeroTimeoutNeverStalls() {
        StallWatch watch = new StallWatch(Duration.ZERO, 0);
        assertFalse(watch.stalled(Long.MAX_VALUE / 2));
    }

    @Test
    void looksOftenEnoughToNoticeAStallWithinAFewPercentOfTheTimeout() {
        assertEquals(Duration.ofSeconds(15), new StallWatch(Duration.ofMinutes(10), 0).checkEvery());
        assertEquals(Duration.ofMillis(500), new StallWatch(Duration.ofSeconds(10), 0).checkEvery());
        assertEquals(Duration.ofMillis(250), new StallWatch(Duration.ofSeconds(1), 0).checkEvery());
    }
}
