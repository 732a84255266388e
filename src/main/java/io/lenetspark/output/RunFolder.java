package io.lenetspark.output;

import io.lenetspark.config.OutputSettings;
import io.lenetspark.failure.InvalidInputException;
import io.lenetspark.failure.StorageFailures;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;

/**
 * A run's folder {@code <output-dir>/<run-id>/} on any Hadoop file system. Every file is written
 * under a temporary name and renamed into place, and {@code _SUCCESS} comes last: a folder without
 * it is incomplete, whatever else it holds. A completed run is never written to again.
 */
public final class RunFolder {

    public static final String SUCCESS_MARKER = "_SUCCESS";
    private static final String OUTPUT_DIR_SETTING = "lenet.output.dir";

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

    /** Finds the run's folder without touching the file system's contents. */
    public static RunFolder locate(OutputSettings settings, Configuration hadoopConf, Clock clock) {
        String runId = settings.runId().isEmpty() ? RUN_ID_FORMAT.format(clock.instant()) : settings.runId();
        Path path = new Path(settings.dir(), runId);
        try {
            FileSystem fileSystem = path.getFileSystem(hadoopConf);
            return new RunFolder(fileSystem, fileSystem.makeQualified(path), runId);
        } catch (IOException e) {
            throw cannotUse(path, e);
        }
    }

    /** The existing run folder at {@code folder} (a local path or any Hadoop URI), to read. */
    public static RunFolder at(String folder, Configuration hadoopConf) {
        Path path = new Path(folder);
        try {
            FileSystem fileSystem = path.getFileSystem(hadoopConf);
            return new RunFolder(fileSystem, fileSystem.makeQualified(path), path.getName());
        } catch (IOException e) {
            throw cannotUse(path, e);
        }
    }

    /** Whether the folder exists at all; the first look at it, so refused credentials show here, naming {@code setting}. */
    public boolean folderExists(String setting) {
        try {
            return fileSystem.exists(path);
        } catch (IOException e) {
            throw StorageFailures.explain(e, path, setting,
                    () -> new UncheckedIOException("Cannot read " + path, e));
        }
    }

    /**
     * Creates the folder if needed and claims it for this job until the claim is closed. A folder
     * left by an interrupted run is kept: its checkpoints are how the run resumes.
     *
     * @param holder who claims it, as another job's message will name it
     * @throws io.lenetspark.failure.RunInUseException if another job holds the folder
     */
    public RunClaim claim(String holder) {
        try {
            boolean existed = fileSystem.exists(path);
            // Some file systems refuse (e.g. a parent that is a file) by returning false, not by throwing.
            if (!fileSystem.mkdirs(path)) {
                throw new IOException("the file system refused to create it");
            }
            return RunClaim.acquire(fileSystem, path, !existed, holder);
        } catch (IOException e) {
            throw cannotUse(path, e);
        }
    }

    /** Refuses a folder that holds a completed run, naming the ways forward. */
    public void requireIncomplete() {
        if (isComplete()) {
            throw new InvalidInputException("Run folder " + path + " already holds a completed run. "
                    + "Choose another lenet.output.run-id, leave it empty for a time-based one, "
                    + "or set lenet.output.on-complete-run = skip to accept a completed run as done.");
        }
    }

    private static RuntimeException cannotUse(Path path, IOException e) {
        return StorageFailures.explain(e, path, OUTPUT_DIR_SETTING, () -> new InvalidInputException(
                "Cannot create run folder " + path + ": " + e.getMessage() + ". Check " + OUTPUT_DIR_SETTING
                        + " and that the job may write there.", e));
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
        Path temporary = new Path(target.getParent(), "." + target.getName() + ".tmp");
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

    /** Whether {@code _SUCCESS} is there; the first look at the folder, so refused credentials show here. */
    public boolean isComplete() {
        try {
            return fileSystem.exists(resolve(SUCCESS_MARKER));
        } catch (IOException e) {
            throw StorageFailures.explain(e, path, OUTPUT_DIR_SETTING,
                    () -> new UncheckedIOException("Cannot read " + resolve(SUCCESS_MARKER), e));
        }
    }

    public boolean exists(String name) {
        try {
            return fileSystem.exists(resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + resolve(name), e);
        }
    }

    /** Names of the files in a sub-folder, hidden temporary files included; none if it does not exist. */
    public List<String> list(String subfolder) {
        Path folder = resolve(subfolder);
        try {
            if (!fileSystem.exists(folder)) {
                return List.of();
            }
            return Arrays.stream(fileSystem.listStatus(folder)).map(status -> status.getPath().getName())
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + folder, e);
        }
    }

    public InputStream open(String name) throws IOException {
        return fileSystem.open(resolve(name));
    }

    public void delete(String name) {
        try {
            fileSystem.delete(resolve(name), true);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + resolve(name), e);
        }
    }

    /** Writes one file's content. */
    @FunctionalInterface
    public interface StreamWriter {
        void writeTo(OutputStream out) throws IOException;
    }
}
