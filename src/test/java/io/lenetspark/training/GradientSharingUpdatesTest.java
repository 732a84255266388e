package io.lenetspark.training;

import io.lenetspark.model.LeNet5;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.solvers.accumulation.EncodedGradientsAccumulator;
import org.deeplearning4j.optimize.solvers.accumulation.encoding.threshold.AdaptiveThresholdAlgorithm;
import org.deeplearning4j.spark.parameterserver.networking.v2.WiredEncodingHandler;
import org.deeplearning4j.spark.parameterserver.training.SharedTrainingMaster;
import org.junit.jupiter.api.Test;
import org.nd4j.parameterserver.distributed.conf.VoidConfiguration;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GradientSharingUpdatesTest {

    @Test
    void waitsForLateUpdatesWhileTheyKeepArriving() {
        AtomicLong arrived = new AtomicLong();
        // One more update per poll: 50 polls, a second in all, each well within the stall timeout.
        long received = GradientSharingUpdates.awaitReceived(arrived::incrementAndGet, 50, Duration.ofMillis(500));
        assertEquals(50, received);
    }

    @Test
    void givesUpOnceNoUpdateArrivesForTheStallTimeout() {
        long start = System.nanoTime();
        long received = GradientSharingUpdates.awaitReceived(() -> 3, 10, Duration.ofMillis(300));
        double waited = (System.nanoTime() - start) / 1e9;
        assertEquals(3, received);
        assertTrue(waited >= 0.3 && waited < 5, "waited " + waited + " s");
    }

    @Test
    void returnsAtOnceWhenEverythingHasArrived() {
        assertEquals(12, GradientSharingUpdates.awaitReceived(() -> 12, 12, Duration.ZERO));
    }

    /** The counts live in DL4J 1.0.0-M2's own fields: a DL4J that renamed them fails here, not in a run. */
    @Test
    void readsDl4jsOwnCounters() {
        SharedTrainingMaster master = new SharedTrainingMaster.Builder(VoidConfiguration.builder().build(), 1,
                new AdaptiveThresholdAlgorithm(1e-3), 32).build();
        assertEquals(0, GradientSharingUpdates.receivedBy(master), "the driver's count before its first fit");
        GradientSharingUpdates.applyReceived(master);

        WiredEncodingHandler handler = new WiredEncodingHandler(new AdaptiveThresholdAlgorithm(1e-3), null, null, false);
        EncodedGradientsAccumulator accumulator = new EncodedGradientsAccumulator.Builder(1).messageHandler(handler)
                .build();
        MultiLayerNetwork network = LeNet5.create(1, 1e-3);
        network.setGradientsAccumulator(accumulator);
        assertEquals(0, GradientSharingUpdates.sentBy(network), "updates a network sent before its first fit");
    }
}
