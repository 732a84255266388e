package io.lenetspark.util;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code npm pack <package>}: downloads a package's tarball from npm's registry into a folder; no Node
 * code of the package runs. A failure says what happened, and the caller adds what the user can do.
 */
public final class NpmPack {

    private static final String TARBALL_SUFFIX = ".tgz";
    /** npm ends a failure with a few lines saying why; earlier lines are progress noise. */
    private static final int OUTPUT_LINES_SHOWN = 5;

    /** Why {@code npm pack} gave no tarball. */
    public enum Failure { NPM_NOT_RUNNABLE, TIMED_OUT, FAILED }

    /** {@code npm pack} gave no tarball; the message says what happened, {@link #failure()} of which kind. */
    public static final class PackException extends IOException {

        private final Failure failure;

        PackException(Failure failure, String message, Throwable cause) {
            super(message, cause);
            this.failure = failure;
        }

        public Failure failure() {
            return failure;
        }
    }

    private NpmPack() {
    }

    /** The tarball of {@code packageSpec}, downloaded by {@code npmCommand} into the empty {@code folder}. */
    public static Path download(String npmCommand, String packageSpec, Path folder, long timeoutMinutes)
            throws IOException {
        Path output = folder.resolve("npm-pack.log");
        Process npm = start(npmCommand, packageSpec, folder, output);
        String command = "'" + npmCommand + " pack " + packageSpec + "'";
        try {
            if (!npm.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
                npm.destroyForcibly();
                throw new PackException(Failure.TIMED_OUT,
                        command + " did not finish within " + timeoutMinutes + " minutes", null);
            }
        } catch (InterruptedException e) {
            npm.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("Interrupted while waiting for npm pack " + packageSpec);
        }
        if (npm.exitValue() != 0) {
            throw new PackException(Failure.FAILED,
                    command + " failed with exit code " + npm.exitValue() + ": " + lastLines(output), null);
        }
        return findTarball(packageSpec, folder);
    }

    private static Process start(String npmCommand, String packageSpec, Path folder, Path output)
            throws PackException {
        try {
            // The tarball lands in the working folder; --pack-destination would need npm 7 or later.
            return new ProcessBuilder(npmCommand, "pack", packageSpec)
                    .directory(folder.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
        } catch (IOException e) {
            throw new PackException(Failure.NPM_NOT_RUNNABLE,
                    "Could not run '" + npmCommand + "' (" + e.getMessage() + ")", e);
        }
    }

    private static Path findTarball(String packageSpec, Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            List<Path> tarballs = files.filter(f -> f.getFileName().toString().endsWith(TARBALL_SUFFIX)).toList();
            if (tarballs.size() != 1) {
                throw new IllegalStateException("npm pack " + packageSpec + " left " + tarballs.size()
                        + " tarballs in " + folder + ", expected one");
            }
            return tarballs.get(0);
        }
    }

    private static String lastLines(Path output) throws IOException {
        List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8).stream()
                .map(String::strip).filter(line -> !line.isEmpty()).toList();
        return String.join(" | ", lines.subList(Math.max(0, lines.size() - OUTPUT_LINES_SHOWN), lines.size()));
    }
}
