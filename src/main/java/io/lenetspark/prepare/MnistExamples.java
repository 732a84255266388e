package io.lenetspark.prepare;

import java.io.Serializable;
import java.util.Arrays;

import static io.lenetspark.data.MnistSchema.IMAGE_BYTES;

/**
 * One split held in memory as in its IDX files: image {@code i} is bytes
 * {@code [i * 784, (i + 1) * 784)} of {@code images}, its label {@code labels[i]}. Serializable
 * so that a broadcast ships it to the executors once.
 */
public record MnistExamples(byte[] images, byte[] labels) implements Serializable {

    public MnistExamples {
        if (images.length != labels.length * IMAGE_BYTES) {
            throw new IllegalArgumentException(
                    images.length + " image bytes do not match " + labels.length + " labels");
        }
    }

    public int count() {
        return labels.length;
    }

    int label(int index) {
        return Byte.toUnsignedInt(labels[index]);
    }

    byte[] image(int index) {
        return Arrays.copyOfRange(images, index * IMAGE_BYTES, (index + 1) * IMAGE_BYTES);
    }

    /** The first {@code count} examples; lets tests convert a small real subset. */
    MnistExamples first(int count) {
        return new MnistExamples(Arrays.copyOf(images, count * IMAGE_BYTES), Arrays.copyOf(labels, count));
    }
}
