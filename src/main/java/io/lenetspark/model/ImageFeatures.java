package io.lenetspark.model;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

/** MNIST images as the network takes them: NCHW [n, 1, 28, 28], grey levels scaled to [0, 1]. */
public final class ImageFeatures {

    /** Bytes per image: 28 x 28 grey levels, row by row. */
    public static final int PIXELS = LeNet5.IMAGE_SIZE * LeNet5.IMAGE_SIZE;
    private static final float MAX_PIXEL = 255f;

    private ImageFeatures() {
    }

    /** Writes {@code image}'s scaled pixels into {@code features} from {@code offset}. */
    static void fill(byte[] image, float[] features, int offset) {
        for (int p = 0; p < PIXELS; p++) {
            features[offset + p] = (image[p] & 0xff) / MAX_PIXEL;
        }
    }

    /** One minibatch of {@code images}, each of {@link #PIXELS} bytes. */
    public static INDArray of(List<byte[]> images) {
        float[] features = new float[images.size() * PIXELS];
        for (int i = 0; i < images.size(); i++) {
            fill(images.get(i), features, i * PIXELS);
        }
        return Nd4j.create(features, new long[]{images.size(), LeNet5.CHANNELS, LeNet5.IMAGE_SIZE, LeNet5.IMAGE_SIZE});
    }
}
