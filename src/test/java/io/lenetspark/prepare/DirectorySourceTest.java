package io.lenetspark.prepare;

import io.lenetspark.failure.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DirectorySourceTest {

    private static final byte[] CONTENT = IdxBytes.labels(4, 2);

    @TempDir
    Path dir;

    @Test
    void opensPlainFile() throws IOException {
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), CONTENT);

        assertArrayEquals(CONTENT, readAll(new DirectorySource(dir)), "plain file content");
    }

    @Test
    void decompressesGzipFile() throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve("t10k-labels-idx1-ubyte.gz")))) {
            out.write(CONTENT);
        }

        assertArrayEquals(CONTENT, readAll(new DirectorySource(dir)), "decompressed content");
    }

    @Test
    void rejectsGzFileThatIsNotGzip() throws IOException {
        Path notGzip = Files.write(dir.resolve("t10k-labels-idx1-ubyte.gz"), CONTENT);

        InvalidInputException e = assertThrows(InvalidInputException.class, () -> readAll(new DirectorySource(dir)));
        assertEquals(notGzip + " is not a gzip file (Not in GZIP format). Replace it with the official "
                + "gzip-compressed MNIST file, or with the uncompressed one.", e.getMessage(), "message");
    }

    @Test
    void rejectsFolderWithoutTheFile() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> readAll(new DirectorySource(dir)));

        assertEquals("lenet.prepare.source-dir " + dir + " holds neither t10k-labels-idx1-ubyte nor "
                + "t10k-labels-idx1-ubyte.gz. Put the four official MNIST IDX files there: train-images-idx3-ubyte, "
                + "train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte.",
                e.getMessage(), "message");
    }

    @Test
    void rejectsMissingFolder() {
        Path missing = dir.resolve("missing");

        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> readAll(new DirectorySource(missing)));
        assertEquals("lenet.prepare.source-dir " + missing + " is not a folder. Set it to the folder holding the four "
                + "MNIST IDX files (train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, "
                + "t10k-labels-idx1-ubyte, plain or .gz), or choose another lenet.prepare.source.",
                e.getMessage(), "message");
    }

    private static byte[] readAll(IdxSource source) throws IOException {
        try (source; InputStream in = source.open(IdxFile.TEST_LABELS)) {
            return in.readAllBytes();
        }
    }
}
