package io.lenetspark.model;

import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The reference design's LeNet-5 for 28x28 grey images: two convolution blocks (convolution,
 * batch norm, max-pool, ReLU) and three dense layers, trained with Adam on cross-entropy.
 * Initialisers and batch-norm constants are Keras's defaults, as in the reference.
 */
public final class LeNet5 {

    public static final int IMAGE_SIZE = 28;
    public static final int CHANNELS = 1;
    public static final int CLASSES = 10;

    /** Keras {@code BatchNormalization} defaults: momentum 0.99, epsilon 1e-3. */
    private static final double BATCH_NORM_DECAY = 0.99;
    private static final double BATCH_NORM_EPSILON = 1e-3;

    private LeNet5() {
    }

    /** The network's configuration; a pure function of its arguments. */
    public static MultiLayerConfiguration configuration(long seed, double learningRate) {
        return new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .updater(new Adam(learningRate))
                .weightInit(WeightInit.XAVIER_UNIFORM)
                // Keeps each convolution's im2col from the forward pass for its backward pass, which
                // otherwise computes it again: the copy is the largest item of a training profile.
                .cacheMode(CacheMode.DEVICE)
                .list()
                .layer(convolution(6, ConvolutionMode.Same))
                .layer(batchNorm())
                .layer(maxPool())
                .layer(new ActivationLayer(Activation.RELU))
                .layer(convolution(16, ConvolutionMode.Truncate))
                .layer(batchNorm())
                .layer(maxPool())
                .layer(new ActivationLayer(Activation.RELU))
                .layer(new DenseLayer.Builder().nOut(120).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nOut(84).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nOut(CLASSES).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(IMAGE_SIZE, IMAGE_SIZE, CHANNELS))
                .build();
    }

    /** A freshly initialised network. */
    public static MultiLayerNetwork create(long seed, double learningRate) {
        MultiLayerNetwork network = new MultiLayerNetwork(configuration(seed, learningRate));
        network.init();
        return network;
    }

    /** 3x3 kernels with stride 1; {@code Truncate} is Keras's "valid" padding. */
    private static ConvolutionLayer convolution(int filters, ConvolutionMode padding) {
        return new ConvolutionLayer.Builder(3, 3)
                .stride(1, 1)
                .nOut(filters)
                .convolutionMode(padding)
                .activation(Activation.IDENTITY)
                .build();
    }

    private static BatchNormalization batchNorm() {
        return new BatchNormalization.Builder().decay(BATCH_NORM_DECAY).eps(BATCH_NORM_EPSILON).build();
    }

    private static SubsamplingLayer maxPool() {
        return new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build();
    }
}
