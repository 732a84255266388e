package io.lenetspark.prepare;

import io.lenetspark.failure.InvalidInputException;

import java.io.InputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

/** A local folder holding the IDX files, each plain or gzip-compressed ({@code lenet.prepare.source = dir}). */
final class DirectorySource implements IdxSource {

    private final Path dir;

    DirectorySource(Path dir) {
        this.dir = dir;
    }

    @Override
    public InputStream open(IdxFile file) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new InvalidInputException("lenet.prepare.source-dir " + dir.toAbsolutePath()
                    + " is not a folder. Set it to the folder holding the four MNIST IDX files ("
                    + allFileNames() + ", plain or .gz), or choose another lenet.prepare.source.");
        }
        Path plain = dir.resolve(file.fileName());
        if (Files.isRegularFile(plain)) {
            return Files.newInputStream(plain);
        }
        Path compressed = dir.resolve(file.fileName() + Gzip.SUFFIX);
        if (Files.isRegularFile(compressed)) {
            return Gzip.decompress(Files.newInputStream(compressed), compressed.toString());
        }
        throw new InvalidInputException("lenet.prepare.source-dir " + dir.toAbsolutePath() + " holds neither "
                + file.fileName() + " nor " + file.fileName() + Gzip.SUFFIX
                + ". Put the four official MNIST IDX files there: " + allFileNames() + ".");
    }

    @Override
    public String description() {
        return "folder " + dir.toAbsolutePath() + " (lenet.prepare.source-dir)";
    }

    @Override
    public void close() {
        // Nothing staged: the files are read in place.
    }

    private static String allFileNames() {
        return Arrays.stream(IdxFile.values()).map(IdxFile::fileName).collect(Collectors.joining(", "));
    }
}
