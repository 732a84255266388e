package io.lenetspark.training;

import io.lenetspark.failure.TrainingInvariantException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The end-of-epoch check that the workers fitted every training image. */
class EveryImageFittedTest {

    @Test
    void anEpochThatFittedNothingFails() {
        TrainingInvariantException failure = assertThrows(TrainingInvariantException.class,
                () -> EpochTrainer.requireEveryImageFitted(1, 0, 0, 1_800));

        assertEquals("Epoch 1 fitted 0 of the 1800 training images (0 minibatches), so its model and metrics would "
                + "not be those of the data. No checkpoint was written for it; the log above says which Spark tasks "
                + "ran. Check lenet.data.partitions and lenet.training.workers against the size of the training "
                + "data.", failure.getMessage());
    }

    @Test
    void anEpochThatFittedPartOfTheSplitFails() {
        assertThrows(TrainingInvariantException.class, () -> EpochTrainer.requireEveryImageFitted(3, 1_799, 15, 1_800));
    }

    /** A retried task can be counted again; that is not a missing image. */
    @Test
    void anEpochThatFittedEveryImageOrMorePasses() {
        assertDoesNotThrow(() -> EpochTrainer.requireEveryImageFitted(1, 1_800, 15, 1_800));
        assertDoesNotThrow(() -> EpochTrainer.requireEveryImageFitted(1, 1_928, 16, 1_800));
    }
}
