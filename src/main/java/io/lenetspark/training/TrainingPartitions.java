package io.lenetspark.training;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many Spark partitions the training minibatches are spread over. Each partition is cut into
 * minibatches on its own, so a partition beyond one per minibatch holds a fragment or nothing; and
 * every partition costs tasks in each averaging round and each evaluation (see docs/training.md,
 * "Partitions"). A count that leaves partitions without a minibatch is capped, with a warning.
 */
public final class TrainingPartitions {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingPartitions.class);

    private TrainingPartitions() {
    }

    /**
     * @param configured    {@code lenet.data.partitions}; 0 means one per worker
     * @param workers       Spark tasks training at once
     * @param trainingRows  rows of the training split
     * @param batchSize     examples per minibatch
     */
    public static int choose(int configured, int workers, long trainingRows, int batchSize) {
        int wanted = configured > 0 ? configured : workers;
        long minibatches = Math.max(1, (trainingRows + batchSize - 1) / batchSize);
        if (wanted <= minibatches) {
            return wanted;
        }
        int capped = (int) minibatches;
        LOG.warn("Using {} training partitions instead of {}: {} training rows make only {} minibatches of {}, and a "
                        + "partition without a full minibatch adds tasks to every averaging round without adding work. "
                        + "Set lenet.data.partitions to {} or less (0: one per worker) to silence this warning.",
                capped, wanted, trainingRows, minibatches, batchSize, capped);
        return capped;
    }
}
