package io.lenetspark.prepare;

import io.lenetspark.data.IdxOrigin;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The four IDX files of a data set in MNIST's format, staged in a folder of their own until closed. */
public final class StagedIdxFiles implements Closeable {

    private final Path dir;
    private final Map<IdxFile, String> sha256 = new EnumMap<>(IdxFile.class);
    private String source = "";

    StagedIdxFiles(Path dir) {
        this.dir = dir;
    }

    void add(IdxFile file, String fileSha256) {
        sha256.put(file, fileSha256);
    }

    void describe(String sourceDescription) {
        this.source = sourceDescription;
    }

    /** The folder holding the files under their MNIST names. */
    public Path dir() {
        return dir;
    }

    /** Where the files came from, as messages name it. */
    public String source() {
        return source;
    }

    /** Whether the files are the official MNIST files after all. */
    public boolean official() {
        return sha256.entrySet().stream().allMatch(entry -> entry.getKey().sha256().equals(entry.getValue()));
    }

    /** The SHA-256 of {@code split}'s two files, by file name, as a data set's origin records them. */
    public Map<String, String> sha256(MnistSplit split) {
        return split.files().stream().collect(Collectors.toMap(IdxFile::fileName, sha256::get));
    }

    /** The origin a data set written from {@code split}'s files records, with its row count. */
    public IdxOrigin origin(MnistSplit split, long rows) {
        return new IdxOrigin(source, official(), sha256(split), rows);
    }

    @Override
    public void close() {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot remove the staged IDX files in " + dir, e);
        }
    }
}
