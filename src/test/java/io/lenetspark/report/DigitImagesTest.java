package io.lenetspark.report;

import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DigitImagesTest {

    private static final String PREFIX = "data:image/png;base64,";

    @Test
    void encodesTheImageAsAPngWithTheSameGreyLevels() throws IOException {
        byte[] image = new byte[784];
        for (int i = 0; i < image.length; i++) {
            image[i] = (byte) (i * 7 % 256);
        }

        String uri = DigitImages.pngDataUri(image);

        assertTrue(uri.startsWith(PREFIX), uri.substring(0, 30));
        BufferedImage png = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(uri.substring(PREFIX.length()))));
        assertEquals(28, png.getWidth(), "width");
        assertEquals(28, png.getHeight(), "height");
        for (int i = 0; i < image.length; i++) {
            int grey = png.getRaster().getSample(i % 28, i / 28, 0);
            assertEquals(image[i] & 0xff, grey, "grey level of pixel " + i);
        }
    }

    @Test
    void refusesAnythingButAnMnistImage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DigitImages.pngDataUri(new byte[783]));
        assertEquals("An MNIST image has 784 bytes, not 783", e.getMessage());
    }
}
