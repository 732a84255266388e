package io.lenetspark.prepare;

import io.lenetspark.failure.InvalidInputException;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static io.lenetspark.data.MnistSchema.IMAGE_BYTES;
import static io.lenetspark.data.MnistSchema.IMAGE_COLUMNS;
import static io.lenetspark.data.MnistSchema.IMAGE_ROWS;
import static io.lenetspark.data.MnistSchema.NUM_CLASSES;

/**
 * Reads one split from its IDX files (big-endian header of int32s, then unsigned bytes): images
 * are IDX3 {@code N x 28 x 28}, labels IDX1 {@code N}. Anything else is rejected, so that a
 * damaged file never becomes a plausible-looking data set.
 */
final class IdxReader {

    static final int IMAGES_MAGIC = 0x00000803;
    static final int LABELS_MAGIC = 0x00000801;

    private static final int IMAGES_HEADER_BYTES = 4 * Integer.BYTES;
    private static final int LABELS_HEADER_BYTES = 2 * Integer.BYTES;

    private IdxReader() {
    }

    /** @param remedy what to do about a file that is not sound, the last sentence of the message */
    static MnistExamples read(Path imagesFile, Path labelsFile, String remedy) throws IOException {
        byte[] images = readOrReject(imagesFile, true, remedy);
        byte[] labels = readOrReject(labelsFile, false, remedy);
        int imageCount = images.length / IMAGE_BYTES;
        if (labels.length != imageCount) {
            throw invalid(labelsFile, "holds " + labels.length + " labels but " + imagesFile.getFileName()
                    + " holds " + imageCount + " images: they are not from the same split", remedy);
        }
        for (int i = 0; i < labels.length; i++) {
            if (Byte.toUnsignedInt(labels[i]) >= NUM_CLASSES) {
                throw invalid(labelsFile, "has label " + Byte.toUnsignedInt(labels[i]) + " at index " + i
                        + ", outside 0-" + (NUM_CLASSES - 1), remedy);
            }
        }
        return new MnistExamples(images, labels);
    }

    /**
     * What makes {@code file} unusable as an MNIST IDX file of its kind, or empty if its header and
     * size are sound; names the damage of a file whose checksum is not the official one.
     */
    static Optional<String> damage(Path file, boolean images) throws IOException {
        try {
            if (images) {
                readImages(file);
            } else {
                readLabels(file);
            }
            return Optional.empty();
        } catch (Damaged e) {
            return Optional.of(e.getMessage());
        }
    }

    private static byte[] readOrReject(Path file, boolean images, String remedy) throws IOException {
        try {
            return images ? readImages(file) : readLabels(file);
        } catch (Damaged e) {
            throw invalid(file, e.getMessage(), remedy);
        }
    }

    private static byte[] readImages(Path file) throws IOException {
        try (DataInputStream in = open(file)) {
            requireMagic(file, in.readInt(), IMAGES_MAGIC, "IDX3 images");
            int count = in.readInt();
            int rows = in.readInt();
            int columns = in.readInt();
            if (rows != IMAGE_ROWS || columns != IMAGE_COLUMNS) {
                throw new Damaged("holds " + rows + " x " + columns + " images, expected "
                        + IMAGE_ROWS + " x " + IMAGE_COLUMNS);
            }
            return readBody(file, in, IMAGES_HEADER_BYTES, count, IMAGE_BYTES);
        } catch (EOFException e) {
            throw new Damaged("is truncated: it ends inside its header");
        }
    }

    private static byte[] readLabels(Path file) throws IOException {
        try (DataInputStream in = open(file)) {
            requireMagic(file, in.readInt(), LABELS_MAGIC, "IDX1 labels");
            int count = in.readInt();
            return readBody(file, in, LABELS_HEADER_BYTES, count, Byte.BYTES);
        } catch (EOFException e) {
            throw new Damaged("is truncated: it ends inside its header");
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        return new DataInputStream(new BufferedInputStream(Files.newInputStream(file)));
    }

    private static void requireMagic(Path file, int actual, int expected, String kind) {
        if (actual != expected) {
            throw new Damaged(String.format("starts with magic number 0x%08X, expected 0x%08X (%s)",
                    actual, expected, kind));
        }
    }

    /** The size check comes first so that a truncated file is named as such, not as an EOF. */
    private static byte[] readBody(Path file, DataInputStream in, int headerBytes, int count, int recordBytes)
            throws IOException {
        if (count < 0) {
            throw new Damaged("declares a negative count, " + count);
        }
        long expectedSize = headerBytes + (long) count * recordBytes;
        long actualSize = Files.size(file);
        if (actualSize < expectedSize) {
            throw new Damaged("is truncated: " + actualSize + " bytes, but its header declares " + count
                    + " records, " + expectedSize + " bytes");
        }
        if (actualSize > expectedSize) {
            throw new Damaged("has " + (actualSize - expectedSize) + " bytes after the " + count
                    + " records its header declares");
        }
        byte[] body = new byte[Math.toIntExact(expectedSize - headerBytes)];
        in.readFully(body);
        return body;
    }

    /** A problem of one file, worded without the file, so that callers can say it their way. */
    private static final class Damaged extends RuntimeException {
        Damaged(String problem) {
            super(problem, null, false, false);
        }
    }

    private static InvalidInputException invalid(Path file, String problem, String remedy) {
        return new InvalidInputException("MNIST IDX file " + file + " " + problem + ". " + remedy);
    }
}
