package io.lenetspark.prepare;

import java.nio.ByteBuffer;

import static io.lenetspark.data.MnistSchema.IMAGE_BYTES;
import static io.lenetspark.data.MnistSchema.IMAGE_COLUMNS;
import static io.lenetspark.data.MnistSchema.IMAGE_ROWS;

/** Builds tiny IDX files (big-endian int32 header, then bytes) for tests. */
public final class IdxBytes {

    private IdxBytes() {
    }

    /** A valid IDX3 images file of {@code count} 28 x 28 images, image {@code i} filled with byte {@code i}. */
    public static byte[] images(int count) {
        byte[] pixels = new byte[count * IMAGE_BYTES];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i / IMAGE_BYTES);
        }
        return images(IdxReader.IMAGES_MAGIC, count, IMAGE_ROWS, IMAGE_COLUMNS, pixels);
    }

    static byte[] images(int magic, int count, int rows, int columns, byte[] pixels) {
        return ByteBuffer.allocate(4 * Integer.BYTES + pixels.length)
                .putInt(magic).putInt(count).putInt(rows).putInt(columns).put(pixels).array();
    }

    public static byte[] labels(int... labels) {
        ByteBuffer buffer = ByteBuffer.allocate(2 * Integer.BYTES + labels.length)
                .putInt(IdxReader.LABELS_MAGIC).putInt(labels.length);
        for (int label : labels) {
            buffer.put((byte) label);
        }
        return buffer.array();
    }
}
