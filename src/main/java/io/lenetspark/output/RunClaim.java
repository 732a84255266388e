package io.lenetspark.output;

import io.lenetspark.failure.RunInUseException;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.ipc.RemoteException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One job's exclusive claim on a run folder, held from its first write to the folder until it
 * ends, so that two jobs given the same run id never write the same run. The claim is the file
 * {@code .lock} in the folder, naming its holder, and is taken with what each store offers:
 * <ul>
 *   <li>a local folder: an OS file lock, which the OS releases when the holding JVM dies;</li>
 *   <li>HDFS: the file's write lease, which the NameNode grants one client at a time and takes
 *       back about a minute after that client stops renewing it;</li>
 *   <li>other stores (S3): none of these exists there, so nothing is claimed and a warning says so.</li>
 * </ul>
 * Released, the claim deletes its file, and the folder too if this job created it and left it empty.
 */
public abstract class RunClaim implements AutoCloseable {

    static final String LOCK_FILE = ".lock";

    private static final Logger LOG = LoggerFactory.getLogger(RunClaim.class);
    private static final int ATTEMPTS = 10;
    private static final long RETRY_MILLIS = 1000;

    private final FileSystem fileSystem;
    private final Path folder;
    private final boolean folderCreated;

    private RunClaim(FileSystem fileSystem, Path folder, boolean folderCreated) {
        this.fileSystem = fileSystem;
        this.folder = folder;
        this.folderCreated = folderCreated;
    }

    /**
     * Claims the existing folder {@code folder} for the job described by {@code holder}.
     *
     * @param folderCreated whether this job created the folder, so that releasing removes it if still empty
     * @throws RunInUseException if another job holds it
     */
    static RunClaim acquire(FileSystem fileSystem, Path folder, boolean folderCreated, String holder) throws IOException {
        String scheme = fileSystem.getUri().getScheme();
        if ("file".equals(scheme)) {
            return LocalClaim.acquire(fileSystem, folder, folderCreated, holder);
        }
        if ("hdfs".equals(scheme)) {
            return LeaseClaim.acquire(fileSystem, folder, folderCreated, holder);
        }
        LOG.warn("Run folder {} is on a store ({}:) that cannot arbitrate between jobs: make sure no other job "
                + "writes the same lenet.output.run-id at the same time", folder, scheme);
        return new RunClaim(fileSystem, folder, folderCreated) {
            @Override
            void releaseLock() {
            }
        };
    }

    /** Gives up the lock and deletes its file. */
    abstract void releaseLock() throws IOException;

    @Override
    public void close() {
        try {
            releaseLock();
            if (folderCreated && fileSystem.listStatus(folder).length == 0) {
                // A job that failed before writing anything leaves no folder behind.
                fileSystem.delete(folder, false);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot release the claim on run folder " + folder, e);
        }
    }

    private static RunInUseException inUse(Path folder, String holder, String retry, Throwable cause) {
        return new RunInUseException("Run folder " + folder + " is being written by another job ("
                + (holder.isBlank() ? "its holder is not recorded yet" : holder) + "). Wait for it to end and re-run "
                + "(a completed run is then reported as such), or choose another lenet.output.run-id." + retry, cause);
    }

    private static String lastLine(String text) {
        String[] lines = text.strip().split("\n");
        return lines[lines.length - 1];
    }

    /** An OS lock on the local lock file. */
    private static final class LocalClaim extends RunClaim {

        private static final Map<java.nio.file.Path, String> HELD_IN_THIS_JVM = new ConcurrentHashMap<>();

        private final java.nio.file.Path file;
        private final FileChannel channel;
        private final FileLock lock;

        private LocalClaim(FileSystem fileSystem, Path folder, boolean folderCreated, java.nio.file.Path file,
                           FileChannel channel, FileLock lock) {
            super(fileSystem, folder, folderCreated);
            this.file = file;
            this.channel = channel;
            this.lock = lock;
        }

        static LocalClaim acquire(FileSystem fileSystem, Path folder, boolean folderCreated, String holder)
                throws IOException {
            java.nio.file.Path file = java.nio.file.Path.of(folder.toUri()).resolve(LOCK_FILE).normalize();
            // Closing any channel on a file drops all of this process's locks on it (POSIX), so jobs in one
            // JVM (a notebook's) settle it among themselves here and never open a lock file another holds.
            String heldHere = HELD_IN_THIS_JVM.putIfAbsent(file, holder);
            if (heldHere != null) {
                throw inUse(folder, heldHere, "", null);
            }
            try {
                return lock(fileSystem, folder, folderCreated, file, holder);
            } catch (IOException | RuntimeException e) {
                HELD_IN_THIS_JVM.remove(file);
                throw e;
            }
        }

        private static LocalClaim lock(FileSystem fileSystem, Path folder, boolean folderCreated,
                                       java.nio.file.Path file, String holder) throws IOException {
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                Object before = fileKey(file);
                FileChannel channel;
                try {
                    channel = before == null
                            ? FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)
                            : FileChannel.open(file, StandardOpenOption.WRITE);
                } catch (FileAlreadyExistsException | NoSuchFileException e) {
                    continue;  // another job created or deleted it just now: look again
                }
                FileLock lock = channel.tryLock();
                if (lock == null) {
                    channel.close();
                    throw inUse(folder, readHolder(file), "", null);
                }
                // A holder deletes the file before it unlocks, so a lock won on a file opened just before that
                // deletion locks nothing: it counts only if the file is still the one at the path.
                if (before == null || before.equals(fileKey(file))) {
                    channel.truncate(0);
                    channel.write(ByteBuffer.wrap((holder + "\n").getBytes(StandardCharsets.UTF_8)));
                    channel.force(false);
                    return new LocalClaim(fileSystem, folder, folderCreated, file, channel, lock);
                }
                lock.release();
                channel.close();
            }
            throw inUse(folder, readHolder(file), "", null);
        }

        /** The file's identity (device and inode), or null if there is none at the path. */
        private static Object fileKey(java.nio.file.Path file) throws IOException {
            try {
                return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
            } catch (NoSuchFileException e) {
                return null;
            }
        }

        private static String readHolder(java.nio.file.Path file) throws IOException {
            try {
                return lastLine(Files.readString(file));
            } catch (NoSuchFileException e) {
                return "";
            }
        }

        @Override
        void releaseLock() throws IOException {
            try (channel) {
                Files.deleteIfExists(file);
                lock.release();
            } finally {
                HELD_IN_THIS_JVM.remove(file);
            }
        }
    }

    /** The HDFS write lease on the lock file, kept by holding the file open for appending. */
    private static final class LeaseClaim extends RunClaim {

        private final FileSystem fileSystem;
        private final Path file;
        private final FSDataOutputStream out;

        private LeaseClaim(FileSystem fileSystem, Path folder, boolean folderCreated, Path file, FSDataOutputStream out) {
            super(fileSystem, folder, folderCreated);
            this.fileSystem = fileSystem;
            this.file = file;
            this.out = out;
        }

        static LeaseClaim acquire(FileSystem fileSystem, Path folder, boolean folderCreated, String holder)
                throws IOException {
            Path file = new Path(folder, LOCK_FILE);
            FSDataOutputStream out = openWithLease(fileSystem, folder, file);
            out.write((holder + "\n").getBytes(StandardCharsets.UTF_8));
            out.hflush();
            return new LeaseClaim(fileSystem, folder, folderCreated, file, out);
        }

        private static FSDataOutputStream openWithLease(FileSystem fileSystem, Path folder, Path file) throws IOException {
            for (int attempt = 0; ; attempt++) {
                try {
                    return fileSystem.exists(file) ? fileSystem.append(file) : fileSystem.create(file, false);
                } catch (IOException e) {
                    if (!fileSystem.exists(file)) {
                        throw e;
                    }
                    // Appending to a file whose holder died starts the lease's recovery; it then succeeds.
                    if (isLeaseRecovery(e) && attempt < ATTEMPTS) {
                        sleep();
                        continue;
                    }
                    throw inUse(folder, readHolder(fileSystem, file), " If that job is no longer running, HDFS "
                            + "releases its claim within about a minute of its end.", e);
                }
            }
        }

        private static boolean isLeaseRecovery(IOException e) {
            return e instanceof RemoteException remote && remote.getClassName().endsWith("RecoveryInProgressException");
        }

        private static void sleep() throws IOException {
            try {
                Thread.sleep(RETRY_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the run folder's claim", e);
            }
        }

        private static String readHolder(FileSystem fileSystem, Path file) {
            try (InputStream in = fileSystem.open(file)) {
                return lastLine(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                return "";
            }
        }

        @Override
        void releaseLock() throws IOException {
            out.close();
            fileSystem.delete(file, false);
        }
    }
}
