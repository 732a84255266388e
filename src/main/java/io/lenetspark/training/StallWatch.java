package io.lenetspark.training;

import java.time.Duration;

/**
 * Notices an epoch whose training stopped moving: no minibatch fitted for longer than the stall
 * timeout. Without it a hung epoch would hold its executors forever, its log repeating the same
 * progress line (gradient sharing whose executors cannot reach the driver over UDP waits so).
 */
final class StallWatch {

    private final long timeoutNanos;
    private long minibatches = -1;
    private long lastAdvanceAt;

    /**
     * @param timeout    idle time after which the epoch counts as stalled; zero: never
     * @param startNanos when the epoch started, on {@link System#nanoTime}'s clock
     */
    StallWatch(Duration timeout, long startNanos) {
        this.timeoutNanos = timeout.toNanos();
        this.lastAdvanceAt = startNanos;
    }

    /** Records the minibatches fitted so far, as seen at {@code nanos}. */
    synchronized void observe(long nanos, long fittedMinibatches) {
        if (fittedMinibatches > minibatches) {
            minibatches = fittedMinibatches;
            lastAdvanceAt = nanos;
        }
    }

    /** Whether, at {@code nanos}, no minibatch has been fitted for longer than the timeout. */
    synchronized boolean stalled(long nanos) {
        return timeoutNanos > 0 && nanos - lastAdvanceAt > timeoutNanos;
    }

    /** Time since the last minibatch (or the epoch's start), at {@code nanos}. */
    synchronized Duration idle(long nanos) {
        return Duration.ofNanos(nanos - lastAdvanceAt);
    }

    /** How often to look, so that a stall is noticed within a few percent of the timeout. */
    Duration checkEvery() {
        long twentieth = Math.min(timeoutNanos / 20, Duration.ofSeconds(15).toNanos());
        long every = Math.max(Duration.ofMillis(250).toNanos(), twentieth);
        return Duration.ofNanos(every);
    }
}
