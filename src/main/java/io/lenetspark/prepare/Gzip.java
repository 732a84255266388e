package io.lenetspark.prepare;

import io.lenetspark.failure.InvalidInputException;

import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/** Opens the {@code .gz} form the IDX files are usually published in. */
final class Gzip {

    static final String SUFFIX = ".gz";

    private Gzip() {
    }

    /** Decompresses {@code compressed}, closing it if it is not gzip at all. */
    static InputStream decompress(InputStream compressed, String name) throws IOException {
        try {
            return new GZIPInputStream(compressed);
        } catch (ZipException e) {
            compressed.close();
            throw new InvalidInputException(name + " is not a gzip file (" + e.getMessage()
                    + "). Replace it with the official gzip-compressed MNIST file, or with the uncompressed one.", e);
        } catch (IOException | RuntimeException e) {
            compressed.close();
            throw e;
        }
    }
}
