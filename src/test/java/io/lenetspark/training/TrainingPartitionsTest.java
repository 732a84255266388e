package io.lenetspark.training;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TrainingPartitionsTest {

    @Test
    void oneOrMorePerWorkerByDefault() {
        assertEquals(2, TrainingPartitions.choose(0, 2, 54_000, 128), "0: one per worker");
        assertEquals(8, TrainingPartitions.choose(8, 2, 54_000, 128), "as configured");
    }

    /** The reported case: 1,800 rows make 15 minibatches of 128, so 1,000 partitions become 15. */
    @Test
    void capsPartitionsThatCouldHoldNoMinibatch() {
        assertEquals(15, TrainingPartitions.choose(1_000, 2, 1_800, 128));
        assertEquals(15, TrainingPartitions.choose(15, 2, 1_800, 128), "one per minibatch is allowed");
    }

    @Test
    void fewerRowsThanOneMinibatchTrainInOnePartition() {
        assertEquals(1, TrainingPartitions.choose(0, 2, 40, 128));
    }
}
