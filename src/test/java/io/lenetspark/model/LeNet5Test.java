package io.lenetspark.model;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class LeNet5Test {

    @Test
    void hasTheReferenceParameterCount() {
        // Keras's model.summary() of the reference: trainable weights plus batch-norm statistics.
        assertEquals(81_282, LeNet5.create(1, 1e-3).numParams());
    }

    @Test
    void layerOutputsHaveTheReferenceShapes() {
        MultiLayerConfiguration configuration = LeNet5.configuration(1, 1e-3);
        List<String> expected = List.of(
                "28x28x6", "28x28x6", "14x14x6", "14x14x6",
                "12x12x16", "12x12x16", "6x6x16", "6x6x16",
                "120", "84", "10");
        List<InputType> actual = configuration.getLayerActivationTypes(InputType.convolutional(28, 28, 1));
        assertEquals(expected.size(), actual.size(), "layer count");
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), shape(actual.get(i)), "output of layer " + i);
        }
    }

    @Test
    void predictsAProbabilityDistributionOverTenDigits() {
        MultiLayerNetwork network = LeNet5.create(1, 1e-3);
        INDArray output = network.output(Nd4j.rand(new int[]{3, 1, 28, 28}));
        assertArrayEquals(new long[]{3, 10}, output.shape());
        for (int row = 0; row < 3; row++) {
            assertEquals(1.0, output.getRow(row).sumNumber().doubleValue(), 1e-5, "probabilities of row " + row);
        }
    }

    @Test
    void sameSeedGivesTheSameInitialWeights() {
        assertEquals(LeNet5.create(7, 1e-3).params(), LeNet5.create(7, 1e-3).params());
    }

    private static String shape(InputType type) {
        if (type instanceof InputType.InputTypeConvolutional conv) {
            return conv.getHeight() + "x" + conv.getWidth() + "x" + conv.getChannels();
        }
        return Long.toString(((InputType.InputTypeFeedForward) type).getSize());
    }
}
