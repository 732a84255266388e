package io.lenetspark.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Chromium, headless, on a local page: no network, no sandbox (CI runs as root), a fresh
 * profile each time, and a fixed virtual-time budget so that the page has loaded before Chromium
 * dumps or photographs it.
 */
final class HeadlessChromium {

    static final Path EXECUTABLE = Path.of("/usr/bin/chromium");
    private static final long TIMEOUT_SECONDS = 120;

    /** What Chromium printed: the dumped DOM on standard output, its log (with console messages) on standard error. */
    record Output(String stdout, String stderr) {

        /** Lines of the page's console: Chromium logs each as {@code ...:CONSOLE:<line>] "message", source: ...}. */
        List<String> consoleMessages() {
            return stderr.lines().filter(line -> line.contains(":CONSOLE")).toList();
        }
    }

    private HeadlessChromium() {
    }

    static Output open(Path page, Path workDir, String... extraArguments) throws IOException, InterruptedException {
        if (!Files.isExecutable(EXECUTABLE)) {
            throw new IllegalStateException(EXECUTABLE + " is missing: install Debian's chromium package "
                    + "(apt-get install chromium), as .ci/run does.");
        }
        List<String> command = new ArrayList<>(List.of(EXECUTABLE.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--hide-scrollbars",
                "--user-data-dir=" + Files.createTempDirectory(workDir, "chromium-profile-"),
                "--enable-logging=stderr", "--v=0", "--virtual-time-budget=5000"));
        command.addAll(List.of(extraArguments));
        command.add(page.toUri().toString());
        Path stdout = Files.createTempFile(workDir, "chromium-", ".out");
        Path stderr = Files.createTempFile(workDir, "chromium-", ".err");
        Process chromium = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        if (!chromium.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            chromium.destroyForcibly();
            throw new IllegalStateException("Chromium did not finish within " + TIMEOUT_SECONDS + "s: " + command);
        }
        return new Output(Files.readString(stdout, StandardCharsets.UTF_8), Files.readString(stderr, StandardCharsets.UTF_8));
    }
}
