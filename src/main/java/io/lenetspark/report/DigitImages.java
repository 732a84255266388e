package io.lenetspark.report;

import io.lenetspark.data.MnistSchema;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;

/** MNIST images as PNG {@code data:} URIs, so that a page shows them without any other file. */
final class DigitImages {

    private DigitImages() {
    }

    /** A 28x28 grey PNG of a 784-byte MNIST image (0 black, 255 white, as in the data). */
    static String pngDataUri(byte[] image) {
        if (image.length != MnistSchema.IMAGE_BYTES) {
            throw new IllegalArgumentException("An MNIST image has " + MnistSchema.IMAGE_BYTES + " bytes, not "
                    + image.length);
        }
        BufferedImage grey = new BufferedImage(MnistSchema.IMAGE_COLUMNS, MnistSchema.IMAGE_ROWS,
                BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setDataElements(0, 0, MnistSchema.IMAGE_COLUMNS, MnistSchema.IMAGE_ROWS, image);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            ImageIO.write(grey, "png", png);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot encode a digit as PNG", e);
        }
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(png.toByteArray());
    }
}
