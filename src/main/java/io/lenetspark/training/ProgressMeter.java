package io.lenetspark.training;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Decides when an epoch's progress is worth a log line, and words it: at most one line per
 * interval, none before the first interval has passed, so that short epochs stay quiet.
 */
final class ProgressMeter {

    private final String epochLabel;
    private final long totalExamples;
    private final int batchSize;
    private final long intervalNanos;
    private long nextLineAt;

    /**
     * @param epochLabel    how the epoch is named in the line, e.g. "Epoch 3/20"
     * @param totalExamples training examples in the epoch
     * @param batchSize     examples per minibatch
     */
    ProgressMeter(String epochLabel, long totalExamples, int batchSize, Duration interval) {
        this.epochLabel = epochLabel;
        this.totalExamples = totalExamples;
        this.batchSize = batchSize;
        this.intervalNanos = interval.toNanos();
        this.nextLineAt = intervalNanos;
    }

    /** A line when an interval has passed since the last one, given minibatches done so far. */
    Optional<String> update(long elapsedNanos, long minibatches) {
        if (elapsedNanos < nextLineAt) {
            return Optional.empty();
        }
        nextLineAt = elapsedNanos + intervalNanos;
        return Optional.of(line(elapsedNanos, minibatches));
    }

    String line(long elapsedNanos, long minibatches) {
        return epochLabel + ": " + counts(elapsedNanos, minibatches);
    }

    /** The line without the epoch's label: "12,800/54,000 images (24%), 3303 img/s, 4s elapsed". */
    String counts(long elapsedNanos, long minibatches) {
        // Only a partition's last minibatch can be short, so this is exact to within a batch per partition.
        long images = Math.min(totalExamples, minibatches * batchSize);
        double seconds = elapsedNanos / 1e9;
        return String.format(Locale.ROOT, "%,d/%,d images (%d%%), %.0f img/s, %.0fs elapsed",
                images, totalExamples, totalExamples == 0 ? 100 : 100 * images / totalExamples, images / seconds,
                seconds);
    }
}
