package io.lenetspark.prepare;

import io.lenetspark.failure.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static io.lenetspark.data.MnistSchema.IMAGE_BYTES;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdxReaderTest {

    @TempDir
    Path dir;

    @Test
    void readsImagesAndLabelsInFileOrder() throws IOException {
        MnistExamples examples = read(IdxBytes.images(3), IdxBytes.labels(7, 2, 1));

        assertEquals(3, examples.count(), "examples");
        assertEquals(2, examples.label(1), "label of example 1");
        byte[] expected = new byte[IMAGE_BYTES];
        Arrays.fill(expected, (byte) 2);
        assertArrayEquals(expected, examples.image(2), "pixels of example 2");
    }

    @Test
    void rejectsImagesWithLabelsMagicNumber() {
        byte[] images = IdxBytes.images(IdxReader.LABELS_MAGIC, 1, 28, 28, new byte[IMAGE_BYTES]);

        assertRejected("images starts with magic number 0x00000801, expected 0x00000803 (IDX3 images)",
                images, IdxBytes.labels(0));
    }

    @Test
    void rejectsImagesThatAreNot28By28() {
        byte[] images = IdxBytes.images(IdxReader.IMAGES_MAGIC, 1, 28, 27, new byte[28 * 27]);

        assertRejected("images holds 28 x 27 images, expected 28 x 28", images, IdxBytes.labels(0));
    }

    @Test
    void rejectsTruncatedImages() {
        byte[] images = IdxBytes.images(2);

        assertRejected("images is truncated: " + (images.length - 1) + " bytes, but its header declares 2 records, "
                + images.length + " bytes", Arrays.copyOf(images, images.length - 1), IdxBytes.labels(0, 1));
    }

    @Test
    void rejectsLabelsEndingInsideTheirHeader() {
        assertRejected("labels is truncated: it ends inside its header", IdxBytes.images(1), new byte[] {0, 0, 8});
    }

    @Test
    void rejectsBytesAfterTheDeclaredRecords() {
        byte[] labels = Arrays.copyOf(IdxBytes.labels(0), IdxBytes.labels(0).length + 2);

        assertRejected("labels has 2 bytes after the 1 records its header declares", IdxBytes.images(1), labels);
    }

    @Test
    void rejectsMoreLabelsThanImages() {
        assertRejected("labels holds 3 labels but images holds 2 images: they are not from the same split",
                IdxBytes.images(2), IdxBytes.labels(0, 1, 2));
    }

    @Test
    void rejectsLabelOutsideTheDigits() {
        assertRejected("labels has label 10 at index 1, outside 0-9", IdxBytes.images(2), IdxBytes.labels(3, 10));
    }

    private MnistExamples read(byte[] images, byte[] labels) throws IOException {
        return IdxReader.read(Files.write(dir.resolve("images"), images), Files.write(dir.resolve("labels"), labels),
                "Re-fetch it: delete " + dir + " and run PrepareMnist again.");
    }

    private void assertRejected(String expectedProblem, byte[] images, byte[] labels) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> read(images, labels));
        assertTrue(e.getMessage().contains(dir + "/" + expectedProblem + "."), "problem named: " + e.getMessage());
        assertTrue(e.getMessage().endsWith("Re-fetch it: delete " + dir + " and run PrepareMnist again."),
                "fix named: " + e.getMessage());
    }
}
