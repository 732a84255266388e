package io.lenetspark.training;

import io.lenetspark.config.TrainingSettings;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Replays the reference training log's validation accuracies through both policies. */
class PlateauAndEarlyStoppingTest {

    /** val_sparse_categorical_accuracy of epochs 1-18 in the reference log. */
    private static final double[] REFERENCE_VAL_ACCURACY = {
        .9300, .9825, .9823, .9838, .9852, .9875, .9872, .9885, .9863,
        .9882, .9870, .9902, .9895, .9893, .9902, .9893, .9895, .9898};

    private static final TrainingSettings.ReduceLrOnPlateau REFERENCE_PLATEAU =
            new TrainingSettings.ReduceLrOnPlateau(0.2, 3, 1e-4, 0, 0);
    private static final TrainingSettings.EarlyStopping REFERENCE_STOPPING = new TrainingSettings.EarlyStopping(6, 0);

    @Test
    void reproducesTheReferenceLearningRateSchedule() {
        ReduceLrOnPlateau plateau = new ReduceLrOnPlateau(REFERENCE_PLATEAU, 1e-3);
        List<Double> usedPerEpoch = new ArrayList<>();
        for (double accuracy : REFERENCE_VAL_ACCURACY) {
            usedPerEpoch.add(plateau.learningRate());
            plateau.onEpochEnd(accuracy);
        }
        for (int epoch = 1; epoch <= REFERENCE_VAL_ACCURACY.length; epoch++) {
            double expected = epoch <= 11 ? 1e-3 : epoch <= 15 ? 2e-4 : 4e-5;
            assertEquals(expected, usedPerEpoch.get(epoch - 1), 1e-12, "learning rate of epoch " + epoch);
        }
    }

    @Test
    void stopsAfterEpoch18LikeTheReference() {
        EarlyStopping stopping = new EarlyStopping(REFERENCE_STOPPING);
        int stoppedAfter = 0;
        for (int epoch = 1; epoch <= REFERENCE_VAL_ACCURACY.length && stoppedAfter == 0; epoch++) {
            if (stopping.onEpochEnd(epoch, REFERENCE_VAL_ACCURACY[epoch - 1])) {
                stoppedAfter = epoch;
            }
        }
        assertEquals(18, stoppedAfter, "epoch after which training stops");
        assertEquals(12, stopping.bestEpoch(), "best epoch");
    }

    @Test
    void improvementSmallerThanMinDeltaCountsAsPlateau() {
        ReduceLrOnPlateau plateau = new ReduceLrOnPlateau(new TrainingSettings.ReduceLrOnPlateau(0.5, 1, 0.01, 0, 0), 1.0);
        plateau.onEpochEnd(0.90);
        assertEquals(0.5, plateau.onEpochEnd(0.905), 1e-12, "a gain of 0.005 is below min-delta 0.01");
    }

    @Test
    void cooldownDelaysTheNextReductionAsKerasDoes() {
        // Keras counts the cooldown down at the start of each epoch's check, so cooldown=3 with
        // patience=1 leaves two epochs untouched after a reduction.
        ReduceLrOnPlateau plateau = new ReduceLrOnPlateau(new TrainingSettings.ReduceLrOnPlateau(0.5, 1, 0, 3, 0), 1.0);
        plateau.onEpochEnd(0.9);
        assertEquals(0.5, plateau.onEpochEnd(0.8), 1e-12, "first plateau epoch reduces");
        assertEquals(0.5, plateau.onEpochEnd(0.8), 1e-12, "cooldown");
        assertEquals(0.5, plateau.onEpochEnd(0.8), 1e-12, "cooldown");
        assertEquals(0.25, plateau.onEpochEnd(0.8), 1e-12, "after the cooldown the plateau counts again");
    }

    @Test
    void neverGoesBelowTheMinimumLearningRate() {
        ReduceLrOnPlateau plateau = new ReduceLrOnPlateau(new TrainingSettings.ReduceLrOnPlateau(0.1, 0, 0, 0, 0.05), 1.0);
        plateau.onEpochEnd(0.5);
        plateau.onEpochEnd(0.5);
        assertEquals(0.05, plateau.onEpochEnd(0.5), 1e-12);
    }

    @Test
    void keepsGoingWhileTheMetricImproves() {
        EarlyStopping stopping = new EarlyStopping(new TrainingSettings.EarlyStopping(2, 0));
        assertFalse(stopping.onEpochEnd(1, 0.5));
        assertFalse(stopping.onEpochEnd(2, 0.6));
        assertFalse(stopping.onEpochEnd(3, 0.6), "one epoch without improvement");
        assertTrue(stopping.onEpochEnd(4, 0.59), "two epochs without improvement");
    }

    @Test
    void policiesRestoredFromAnySavedEpochDecideAsAnUninterruptedRun() {
        for (int savedAfter = 1; savedAfter < REFERENCE_VAL_ACCURACY.length; savedAfter++) {
            ReduceLrOnPlateau plateau = new ReduceLrOnPlateau(REFERENCE_PLATEAU, 1e-3);
            EarlyStopping stopping = new EarlyStopping(REFERENCE_STOPPING);
            ReduceLrOnPlateau resumedPlateau = null;
            EarlyStopping resumedStopping = null;
            for (int epoch = 1; epoch <= REFERENCE_VAL_ACCURACY.length; epoch++) {
                double accuracy = REFERENCE_VAL_ACCURACY[epoch - 1];
                double rate = plateau.onEpochEnd(accuracy);
                boolean stop = stopping.onEpochEnd(epoch, accuracy);
                if (resumedPlateau != null) {
                    String when = "epoch " + epoch + ", resumed after epoch " + savedAfter;
                    assertEquals(rate, resumedPlateau.onEpochEnd(accuracy), 0, "learning rate, " + when);
                    assertEquals(stop, resumedStopping.onEpochEnd(epoch, accuracy), "stop decision, " + when);
                    assertEquals(stopping.bestEpoch(), resumedStopping.bestEpoch(), "best epoch, " + when);
                }
                if (epoch == savedAfter) {
                    resumedPlateau = new ReduceLrOnPlateau(REFERENCE_PLATEAU, plateau.state());
                    resumedStopping = new EarlyStopping(REFERENCE_STOPPING, stopping.state());
                }
            }
        }
    }
}
