package io.lenetspark.output;

import io.lenetspark.InvalidInputException;
import io.lenetspark.config.OutputSettings;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * A run's folder {@code <output-dir>/<run-id>/} on any Hadoop file system. Every file is written
 * under a temporary name and renamed into place, and {@code _SUCCESS} comes last: a folder without
 * it is incomplete, whatever else it holds. A completed run is never written to again.
 */
public final class RunFolder {

    public static final String SUCCESS_MARKER = "_SUCCESS";

    private static final DateTimeFormatter RUN_ID_FORMAT =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final FileSystem fileSystem;
    private final Path path;
    private final String runId;

    private RunFolder(FileSystem fileSystem, Path path, String runId) {
        this.fileSystem = fileSystem;
        this.path = path;
        this.runId = runId;
    }

    /** Opens the run's folder, refusing one that holds a completed run. */
    public static RunFolder open(OutputSettings settings, Configuration hadoopConf, Clock clock) {
        String runId = settings.runId().isEmpty() ? RUN_ID_FORMAT.format(clock.instant()) : settings.runId();
        Path path = new Path(settings.dir(), runId);
        try {
            FileSystem fileSystem = path.getFileSystem(hadoopConf);
            Path qualified = fileSystem.makeQualified(path);
            if (fileSystem.exists(new Path(qualified, SUCCESS_MARKER))) {
                throw new InvalidInputException("Run folder " + qualified + " already holds a completed run. "
                        + "Choose another lenet.output.run-id, or leave it empty for a time-based one.");
            }
            fileSystem.mkdirs(qualified);
            return new RunFolder(fileSystem, qualified, runId);
        } catch (IOException e) {
            throw new InvalidInputException("Cannot create run folder " + path + ": " + e.getMessage()
                    + ". Check lenet.output.dir and that the job may write there.", e);
        }
    }

    public String runId() {
        return runId;
    }

    public Path path() {
        return path;
    }

    public Path resolve(String name) {
        return new Path(path, name);
    }

    public void writeText(String name, String text) {
        write(name, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Writes a file atomically: to a hidden temporary name first, then renamed. */
    public void write(String name, StreamWriter writer) {
        Path target = resolve(name);
        Path temporary = resolve("." + name + ".tmp");
        try {
            try (FSDataOutputStream out = fileSystem.create(temporary, true)) {
                writer.writeTo(out);
            }
            if (fileSystem.exists(target)) {
                fileSystem.delete(target, false);
            }
            if (!fileSystem.rename(temporary, target)) {
                throw new IOException("rename of " + temporary + " to " + target + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + target, e);
        }
    }

    /** Marks the run complete; call only after every other file is in place. */
    public void markComplete() {
        writeText(SUCCESS_MARKER, "");
    }

    public boolean isComplete() {
        try {
            return fileSystem.exists(resolve(SUCCESS_MARKER));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes one file's content. */
    @FunctionalInterface
    public interface StreamWriter {
        void writeTo(OutputStream out) throws IOException;
    }
}
