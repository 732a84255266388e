package io.lenetspark.prepare;

import io.lenetspark.config.PrepareSettings;
import io.lenetspark.failure.InvalidInputException;
import io.lenetspark.util.Sha256;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Keeps the four official IDX files in the local raw folder. A file is only ever used, or given
 * its final name, after its SHA-256 matched; missing or damaged files are fetched again.
 */
public final class RawMnistFetcher {

    private static final Logger LOG = LoggerFactory.getLogger(RawMnistFetcher.class);

    private final Path rawDir;

    RawMnistFetcher(Path rawDir) {
        this.rawDir = rawDir;
    }

    /** Makes {@code settings.rawDir()} hold the verified files, fetching from the configured source; returns it. */
    public static Path fetch(PrepareSettings settings) throws IOException {
        Path rawDir = Path.of(settings.rawDir());
        try (IdxSource source = IdxSource.of(settings)) {
            new RawMnistFetcher(rawDir).fetchMissing(source);
        }
        return rawDir;
    }

    /** Fetches from {@code source} only the files the raw folder lacks in verified form. */
    void fetchMissing(IdxSource source) throws IOException {
        createRawDir();
        int fetched = 0;
        for (IdxFile file : IdxFile.values()) {
            Path target = rawDir.resolve(file.fileName());
            if (!isVerified(file, target)) {
                fetch(file, source, target);
                fetched++;
            }
        }
        LOG.info("All {} MNIST IDX files in {} verified, {} of them just fetched", IdxFile.values().length, rawDir,
                fetched);
    }

    private void createRawDir() {
        try {
            Files.createDirectories(rawDir);
        } catch (IOException e) {
            throw new InvalidInputException("Cannot create lenet.prepare.raw-dir " + rawDir.toAbsolutePath() + " (" + e
                    + "). Set it to a writable local folder.", e);
        }
    }

    private static boolean isVerified(IdxFile file, Path target) throws IOException {
        if (!Files.isRegularFile(target)) {
            return false;
        }
        String actual = Sha256.of(target);
        if (!actual.equals(file.sha256())) {
            LOG.warn("{} has SHA-256 {}, not the official {}: fetching it again", target, actual, file.sha256());
            return false;
        }
        return true;
    }

    private void copy(IdxFile file, IdxSource source, Path target) {
        try (InputStream in = source.open(file)) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new InvalidInputException("Could not copy " + file + " from " + source.description() + " into "
                    + rawDir.toAbsolutePath() + ": " + e + ". Check the source, and that " + rawDir
                    + " (lenet.prepare.raw-dir) is writable and has space, then run PrepareMnist again.", e);
        }
    }

    /**
     * Copies the four files from the configured source, whatever their checksum, into a new folder
     * under the raw folder, which closing the result removes: files that are not the official ones
     * never replace the verified cache.
     */
    public static StagedIdxFiles stageAny(PrepareSettings settings) throws IOException {
        RawMnistFetcher fetcher = new RawMnistFetcher(Path.of(settings.rawDir()));
        fetcher.createRawDir();
        Path dir = Files.createTempDirectory(fetcher.rawDir, ".idx-files-");
        StagedIdxFiles staged = new StagedIdxFiles(dir);
        try (IdxSource source = IdxSource.of(settings)) {
            for (IdxFile file : IdxFile.values()) {
                Path target = dir.resolve(file.fileName());
                fetcher.copy(file, source, target);
                staged.add(file, Sha256.of(target));
            }
            staged.describe(source.description());
        } catch (IOException | RuntimeException e) {
            staged.close();
            throw e;
        }
        return staged;
    }

    /** Stages under a temporary name so that an interrupted fetch never leaves a file that looks complete. */
    private void fetch(IdxFile file, IdxSource source, Path target) throws IOException {
        Path staged = Files.createTempFile(rawDir, "." + file.fileName() + "-", ".part");
        try {
            copy(file, source, staged);
            String actual = Sha256.of(staged);
            if (!actual.equals(file.sha256())) {
                throw new InvalidInputException("MNIST file " + file + " from " + source.description()
                        + " has SHA-256 " + actual + ", expected " + file.sha256() + ": it is not the official file ("
                        + IdxReader.damage(staged, file.holdsImages()).map(problem -> "it " + problem)
                        .orElse("it is well-formed IDX, so its content was changed") + "). "
                        + "Point lenet.prepare.source at the official, unmodified MNIST IDX files, or, for another "
                        + "data set in their format, set lenet.prepare.idx-files = any.");
            }
            Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            LOG.info("Fetched {} from {}", target, source.description());
        } finally {
            Files.deleteIfExists(staged);
        }
    }
}
