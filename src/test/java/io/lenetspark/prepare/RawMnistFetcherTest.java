package io.lenetspark.prepare;

import io.lenetspark.failure.InvalidInputException;
import io.lenetspark.util.Sha256;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RawMnistFetcherTest {

    @TempDir
    Path dir;

    @Test
    void rejectsFileWhoseChecksumIsNotTheOfficialOne() throws IOException {
        Path sourceDir = Files.createDirectory(dir.resolve("source"));
        Path fake = Files.write(sourceDir.resolve("train-images-idx3-ubyte"), IdxBytes.images(1));
        Path rawDir = dir.resolve("raw");

        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> new RawMnistFetcher(rawDir).fetchMissing(new DirectorySource(sourceDir)));
        assertEquals("MNIST file train-images-idx3-ubyte from folder " + sourceDir + " (lenet.prepare.source-dir) has "
                + "SHA-256 " + Sha256.of(fake) + ", expected " + IdxFile.TRAIN_IMAGES.sha256() + ": it is not the "
                + "official file (it is well-formed IDX, so its content was changed). Point lenet.prepare.source at the "
                + "official, unmodified MNIST IDX files, or, for another data set in their format, set "
                + "lenet.prepare.idx-files = any.",
                e.getMessage(), "message");
        assertEquals(List.of(), filesIn(rawDir), "nothing left in raw-dir that could pass for a fetched file");
    }

    @Test
    void keepsVerifiedFilesWithoutAskingTheSource() throws IOException {
        Path rawDir = MnistTestFiles.rawDir();
        IdxSource unusable = new DirectorySource(dir.resolve("missing"));

        assertDoesNotThrow(() -> new RawMnistFetcher(rawDir).fetchMissing(unusable),
                "a source that fails when opened is never opened");
    }

    @Test
    void fetchesFromDirSourceEveryFileRawDirLacksInVerifiedForm() throws IOException {
        Path rawDir = Files.createDirectory(dir.resolve("raw"));
        Files.write(rawDir.resolve(IdxFile.TEST_LABELS.fileName()), IdxBytes.labels(1, 2, 3));

        new RawMnistFetcher(rawDir).fetchMissing(new DirectorySource(MnistTestFiles.rawDir()));

        for (IdxFile file : IdxFile.values()) {
            assertEquals(file.sha256(), Sha256.of(rawDir.resolve(file.fileName())), "SHA-256 of " + file);
        }
        assertEquals(IdxFile.values().length, filesIn(rawDir).size(), "only the four files, no staged leftovers");
    }

    private static List<Path> filesIn(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.toList();
        }
    }
}
