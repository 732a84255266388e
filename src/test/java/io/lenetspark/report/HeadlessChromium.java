package io.lenetspark.report;

import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Headless Chromium on a local page, driven over the DevTools protocol: no network beyond the loopback
 * DevTools port, no sandbox (CI runs as root), a fresh profile each time, one deadline for the whole
 * visit, and the browser's processes ended when it is over. The browser is {@link NpmChromium}'s, or
 * the executable {@value #EXECUTABLE_VARIABLE} names (Debian's {@code /usr/bin/chromium}, for one).
 */
final class HeadlessChromium {

    static final String EXECUTABLE_VARIABLE = "LENET_CHROMIUM";
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final long STOP_TIMEOUT_SECONDS = 10;
    private static final Duration PORT_FILE_POLL = Duration.ofMillis(50);
    /** Chromium writes the port it chose and its browser endpoint's path here, in the profile. */
    private static final String PORT_FILE = "DevToolsActivePort";
    private static final int LOG_LINES_SHOWN = 20;
    private static final Logger LOG = LoggerFactory.getLogger(HeadlessChromium.class);

    /** The page as Chromium left it once loaded: its DOM, what its console said, and a PNG of the window. */
    record RenderedPage(String dom, List<String> consoleMessages, byte[] screenshot) {
    }

    private record Browser(Path executable, Map<String, String> environment) {
    }

    private static Browser browser;

    private HeadlessChromium() {
    }

    /** Loads {@code page} in a window of the given size and waits for its load event (so its load handlers ran). */
    static RenderedPage render(Path page, Path workDir, int windowWidth, int windowHeight)
            throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(TIMEOUT);
        Browser chosen = browser();
        Path profile = Files.createTempDirectory(workDir, "chromium-profile-");
        Path log = Files.createTempFile(workDir, "chromium-", ".log");
        Process chromium = start(chosen, profile, log);
        try {
            URI endpoint = devToolsEndpoint(chromium, profile, deadline);
            try (DevToolsConnection devTools = DevToolsConnection.open(endpoint, deadline)) {
                return load(devTools, page, windowWidth, windowHeight);
            }
        } catch (RuntimeException | IOException e) {
            throw new IllegalStateException("Chromium (" + chosen.executable() + ") could not render " + page + ": "
                    + e.getMessage() + "\nIts log ends with:\n" + lastLines(log), e);
        } finally {
            stop(chromium);
        }
    }

    private static synchronized Browser browser() throws IOException, InterruptedException {
        if (browser == null) {
            String chosen = System.getenv(EXECUTABLE_VARIABLE);
            if (chosen != null && !chosen.isBlank()) {
                if (!Files.isExecutable(Path.of(chosen))) {
                    throw new IllegalStateException(EXECUTABLE_VARIABLE + "=" + chosen + " is not an executable file");
                }
                browser = new Browser(Path.of(chosen), Map.of());
            } else {
                Path folder = NpmChromium.onThisMachine().installed();
                browser = new Browser(NpmChromium.executable(folder), NpmChromium.environment(folder));
            }
            LOG.info("Rendering pages with {}", browser.executable());
        }
        return browser;
    }

    private static Process start(Browser browser, Path profile, Path log) throws IOException {
        List<String> command = List.of(browser.executable().toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--hide-scrollbars",
                "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
                "--user-data-dir=" + profile, "about:blank");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(browser.environment());
        return builder.start();
    }

    /** The browser's DevTools WebSocket, once Chromium has written which port it took. */
    private static URI devToolsEndpoint(Process chromium, Path profile, Instant deadline)
            throws IOException, InterruptedException {
        Path portFile = profile.resolve(PORT_FILE);
        while (Instant.now().isBefore(deadline)) {
            // Two lines, the port and the path; the file may still be half written.
            List<String> lines = Files.exists(portFile) ? Files.readAllLines(portFile) : List.of();
            if (lines.size() >= 2 && !lines.get(1).isBlank()) {
                return URI.create("ws://127.0.0.1:" + lines.get(0).strip() + lines.get(1).strip());
            }
            if (!chromium.isAlive()) {
                throw new IllegalStateException("it exited with code " + chromium.exitValue()
                        + " before opening its DevTools port");
            }
            Thread.sleep(PORT_FILE_POLL.toMillis());
        }
        throw new IllegalStateException("it opened no DevTools port within " + TIMEOUT.toSeconds() + "s");
    }

    private static RenderedPage load(DevToolsConnection devTools, Path page, int windowWidth, int windowHeight)
            throws IOException, InterruptedException {
        String targetId = devTools.call(null, "Target.createTarget", Map.of("url", "about:blank"))
                .path("targetId").asText();
        String session = devTools.call(null, "Target.attachToTarget", Map.of("targetId", targetId, "flatten", true))
                .path("sessionId").asText();
        // Runtime reports console calls and uncaught exceptions; Log what the browser itself says to the
        // console, such as a Content-Security-Policy violation.
        for (String domain : List.of("Page", "Runtime", "Log")) {
            devTools.call(session, domain + ".enable", Map.of());
        }
        devTools.call(session, "Page.setLifecycleEventsEnabled", Map.of("enabled", true));
        devTools.call(session, "Emulation.setDeviceMetricsOverride",
                Map.of("width", windowWidth, "height", windowHeight, "deviceScaleFactor", 1, "mobile", false));
        JsonNode navigation = devTools.call(session, "Page.navigate", Map.of("url", page.toUri().toString()));
        if (navigation.has("errorText")) {
            throw new IllegalStateException("it could not open the page: " + navigation.get("errorText").asText());
        }
        String loaderId = navigation.path("loaderId").asText();
        devTools.awaitEvent(session, "Page.lifecycleEvent",
                event -> event.path("name").asText().equals("load")
                        && event.path("loaderId").asText().equals(loaderId));
        String dom = devTools.call(session, "Runtime.evaluate",
                Map.of("expression", "document.documentElement.outerHTML", "returnByValue", true))
                .path("result").path("value").asText();
        byte[] screenshot = Base64.getDecoder().decode(
                devTools.call(session, "Page.captureScreenshot", Map.of("format", "png")).path("data").asText());
        List<String> console = devTools.events(session).stream()
                .map(HeadlessChromium::consoleMessage).flatMap(Optional::stream).toList();
        return new RenderedPage(dom, console, screenshot);
    }

    /** One line for an event that is a console message: the level, the text and where it came from. */
    private static Optional<String> consoleMessage(JsonNode event) {
        JsonNode params = event.path("params");
        return switch (event.path("method").asText()) {
            case "Runtime.consoleAPICalled" -> Optional.of("console." + params.path("type").asText() + ": "
                    + argumentsOf(params.path("args")) + at(params.path("stackTrace").path("callFrames").path(0)));
            case "Runtime.exceptionThrown" -> {
                JsonNode details = params.path("exceptionDetails");
                String description = details.path("exception").path("description")
                        .asText(details.path("text").asText());
                yield Optional.of("uncaught exception: " + description.lines().findFirst().orElse("") + at(details));
            }
            case "Log.entryAdded" -> {
                JsonNode entry = params.path("entry");
                yield Optional.of(entry.path("source").asText() + " " + entry.path("level").asText() + ": "
                        + entry.path("text").asText() + at(entry));
            }
            default -> Optional.empty();
        };
    }

    private static String argumentsOf(JsonNode args) {
        List<String> shown = new ArrayList<>();
        for (JsonNode arg : args) {
            // Objects have no value, only a description such as "Object" or "Array(3)".
            shown.add(arg.has("value") ? arg.get("value").asText()
                    : arg.path("description").asText(arg.path("type").asText()));
        }
        return String.join(" ", shown);
    }

    private static String at(JsonNode location) {
        // DevTools counts lines from 0, editors from 1.
        return location.has("url")
                ? " (" + location.get("url").asText() + ":" + (location.path("lineNumber").asInt() + 1) + ")" : "";
    }

    /** Ends the browser and the renderer and GPU processes it started, which a killed browser would leave behind. */
    private static void stop(Process chromium) {
        List<ProcessHandle> processes = Stream.concat(chromium.descendants(), Stream.of(chromium.toHandle())).toList();
        processes.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle process : processes) {
            process.onExit().completeOnTimeout(process, STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS).join();
        }
    }

    private static String lastLines(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return lines.subList(Math.max(0, lines.size() - LOG_LINES_SHOWN), lines.size()).stream()
                .collect(Collectors.joining("\n"));
    }
}
