package io.lenetspark.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.layers.LayerHelper;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OneDnnLayerHelpersTest {

    /** LeNet5's layers that have a oneDNN helper in DL4J 1.0.0-M2, and the helper each must get. */
    private static final Map<Integer, String> EXPECTED_HELPERS = new TreeMap<>(Map.of(
            0, "MKLDNNConvHelper", 1, "MKLDNNBatchNormHelper", 2, "MKLDNNSubsamplingHelper",
            4, "MKLDNNConvHelper", 5, "MKLDNNBatchNormHelper", 6, "MKLDNNSubsamplingHelper"));

    private static final long SEED = 42;
    private static final double LEARNING_RATE = 1e-3;

    @BeforeAll
    static void enableAsTheJobDoes() {
        OneDnnLayerHelpers.enable();
    }

    @Test
    void everyConvolutionBatchNormAndPoolingLayerOfTheJobsNetworkHasItsHelper() {
        assertHasEveryHelper(LeNet5.create(SEED, LEARNING_RATE), "network built by LeNet5.create");
    }

    @Test
    void aNetworkRebuiltFromConfigurationAndParametersAsDl4jWorkersDoHasEveryHelper() {
        MultiLayerNetwork driver = LeNet5.create(SEED, LEARNING_RATE);
        // What ParameterAveragingTrainingWorker and SharedTrainingWorker do with the broadcast network.
        MultiLayerNetwork worker = new MultiLayerNetwork(driver.getLayerWiseConfigurations().clone());
        worker.init(driver.params().unsafeDuplication(), false);
        assertHasEveryHelper(worker, "network rebuilt from configuration and parameters");
        // What NetworkBroadcast does for evaluation.
        MultiLayerNetwork fromJson = new MultiLayerNetwork(
                MultiLayerConfiguration.fromJson(driver.getLayerWiseConfigurations().toJson()));
        fromJson.init(driver.params().dup(), false);
        assertHasEveryHelper(fromJson, "network rebuilt from JSON configuration and parameters");
    }

    @Test
    void summaryNamesEachLayerTypeWithItsHelper() {
        OneDnnLayerHelpers.Summary summary = OneDnnLayerHelpers.of(LeNet5.create(SEED, LEARNING_RATE));

        assertEquals("ConvolutionLayer x2 MKLDNNConvHelper, BatchNormalization x2 MKLDNNBatchNormHelper, "
                + "SubsamplingLayer x2 MKLDNNSubsamplingHelper", summary.description());
        assertEquals("", summary.whyNot(), "why not in effect");
        assertTrue(summary.inEffect(), "in effect");
    }

    @Test
    void summaryOfANetworkBuiltWithHelpersDisabledSaysWhichLayersAndWhy() {
        MultiLayerNetwork network = withHelpersDisabled(() -> LeNet5.create(SEED, LEARNING_RATE));

        for (int layer : EXPECTED_HELPERS.keySet()) {
            assertNull(network.getLayer(layer).getHelper(), "helper of layer " + layer);
        }
        OneDnnLayerHelpers.Summary summary = withHelpersDisabled(() -> OneDnnLayerHelpers.of(network));
        assertEquals(List.of(0, 1, 2, 4, 5, 6), summary.withoutHelper());
        assertEquals("ConvolutionLayer x2 without helper, BatchNormalization x2 without helper, "
                + "SubsamplingLayer x2 without helper", summary.description());
        assertEquals("org.eclipse.deeplearning4j.helpers.disable is set to true", summary.whyNot());
    }

    @Test
    void helpersComputeWhatDl4jsOwnLayersComputeAndTrainToFiniteLosses() {
        MultiLayerNetwork withHelpers = LeNet5.create(SEED, LEARNING_RATE);
        MultiLayerNetwork without = withHelpersDisabled(() -> LeNet5.create(SEED, LEARNING_RATE));
        assertHasEveryHelper(withHelpers, "network with helpers");
        assertNull(without.getLayer(0).getHelper(), "helper of the reference network's first convolution");
        assertEquals(without.params(), withHelpers.params(), "same initial parameters");
        Nd4j.getRandom().setSeed(SEED);
        INDArray images = Nd4j.rand(DataType.FLOAT, 32, 1, 28, 28);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, 32, 10);
        for (int i = 0; i < 32; i++) {
            labels.putScalar(i, i % 10, 1.0);
        }

        assertLargestDifference(without.output(images, false), withHelpers.output(images, false), 1e-5,
                "predicted probabilities before training");
        Map<String, INDArray> expectedGradients = gradients(without, images, labels);
        Map<String, INDArray> actualGradients = gradients(withHelpers, images, labels);
        double largestGradient = expectedGradients.values().stream()
                .mapToDouble(g -> g.amaxNumber().doubleValue()).max().orElseThrow();
        // Relative to the largest gradient: the convolution biases' true gradients are zero (batch norm
        // removes any shift), so theirs are rounding noise of either implementation.
        for (Map.Entry<String, INDArray> expected : expectedGradients.entrySet()) {
            assertLargestDifference(expected.getValue(), actualGradients.get(expected.getKey()), 1e-5 * largestGradient,
                    "gradient of " + expected.getKey());
        }

        DataSet batch = new DataSet(images, labels);
        for (int step = 1; step <= 3; step++) {
            withHelpers.fit(batch);
            without.fit(batch);
            assertTrue(Double.isFinite(withHelpers.score()), "loss with helpers at step " + step);
            assertEquals(without.score(), withHelpers.score(), 1e-4, "loss at step " + step);
        }
        // Looser after training: Adam's first steps move every parameter by about the learning rate
        // whatever its gradient's size, so rounding noise in a near-zero gradient becomes a 1e-3 change.
        // Inference also uses the batch norms' running statistics, so this checks their updates too.
        assertLargestDifference(without.output(images, false), withHelpers.output(images, false), 1e-3,
                "predicted probabilities after 3 training steps");
    }

    private static Map<String, INDArray> gradients(MultiLayerNetwork network, INDArray images, INDArray labels) {
        network.setInput(images);
        network.setLabels(labels);
        network.computeGradientAndScore();
        return network.gradient().gradientForVariable();
    }

    private static void assertLargestDifference(INDArray expected, INDArray actual, double tolerance, String what) {
        double largest = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(largest <= tolerance, what + ": largest difference " + largest + " exceeds " + tolerance);
    }

    private static void assertHasEveryHelper(MultiLayerNetwork network, String what) {
        Layer[] layers = network.getLayers();
        for (Map.Entry<Integer, String> expected : EXPECTED_HELPERS.entrySet()) {
            LayerHelper helper = layers[expected.getKey()].getHelper();
            String layer = what + ", layer " + expected.getKey() + " (" + layers[expected.getKey()].getClass().getSimpleName() + ")";
            assertNotNull(helper, layer + " has no helper: " + OneDnnLayerHelpers.whyNot());
            assertEquals(expected.getValue(), helper.getClass().getSimpleName(), layer);
        }
        OneDnnLayerHelpers.Summary summary = OneDnnLayerHelpers.of(network);
        assertTrue(summary.inEffect(), what + ": " + summary.message());
    }

    /** Runs {@code action} as in a JVM started with {@code -Dorg.eclipse.deeplearning4j.helpers.disable=true}. */
    private static <T> T withHelpersDisabled(Supplier<T> action) {
        String before = System.getProperty(OneDnnLayerHelpers.DISABLE_PROPERTY);
        System.setProperty(OneDnnLayerHelpers.DISABLE_PROPERTY, "true");
        try {
            return action.get();
        } finally {
            if (before == null) {
                System.clearProperty(OneDnnLayerHelpers.DISABLE_PROPERTY);
            } else {
                System.setProperty(OneDnnLayerHelpers.DISABLE_PROPERTY, before);
            }
        }
    }
}
