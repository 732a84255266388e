package io.lenetspark.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lenetspark.SmallRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** report.html of a real small training run, rendered by headless Chromium. */
class RunReportIT {

    /** Kept after the build, for a person to look at. */
    private static final Path SCREENSHOT = Path.of("target", "report-screenshot.png").toAbsolutePath();
    /** The window the report is looked at in: wide enough for the charts side by side, tall enough for most of it. */
    private static final int WINDOW_WIDTH = 1400;
    private static final int WINDOW_HEIGHT = 1700;

    /**
     * Runs in a copy of the report after the page has loaded and writes what was drawn into the DOM:
     * the length of every chart line, the heat-map cells with an area, the digits decoded at 28x28.
     */
    private static final String PROBE = """
            <script>
            window.addEventListener('load', () => {
              const probe = {
                charts: [...document.querySelectorAll('svg.chart')].map(svg => ({
                  title: svg.getAttribute('aria-label'),
                  width: svg.getBoundingClientRect().width,
                  lines: [...svg.querySelectorAll('g.series path')].map(p => p.getTotalLength())})),
                cells: [...document.querySelectorAll('rect.cell')]
                  .filter(c => c.getBoundingClientRect().width > 0 && c.getBoundingClientRect().height > 0).length,
                digits: [...document.querySelectorAll('figure.digit img')].length,
                decodedDigits: [...document.querySelectorAll('figure.digit img')]
                  .filter(i => i.complete && i.naturalWidth === 28 && i.naturalHeight === 28).length};
              const out = document.createElement('pre');
              out.id = 'probe';
              out.textContent = JSON.stringify(probe);
              document.body.appendChild(out);
            });
            </script>
            """;

    private static Path report;

    @TempDir
    Path work;

    @BeforeAll
    static void train() throws IOException {
        report = SmallRun.folder().resolve(RunReport.FILE);
    }

    @Test
    void rendersWithoutAConsoleMessage() throws Exception {
        HeadlessChromium.RenderedPage rendered = render(report);

        assertTrue(rendered.dom().contains("<svg class=\"chart\""), "Chromium rendered the report");
        assertEquals(List.of(), rendered.consoleMessages(), "console messages of report.html");
    }

    @Test
    void consoleMessagesAreSeenWhenAPageHasThem() throws Exception {
        Path broken = work.resolve("broken.html");
        Files.writeString(broken, "<!DOCTYPE html><html><body><script>undefinedFunction();</script></body></html>");

        HeadlessChromium.RenderedPage rendered = render(broken);

        assertEquals(1, rendered.consoleMessages().size(), rendered.consoleMessages().toString());
        assertTrue(rendered.consoleMessages().get(0).contains("undefinedFunction is not defined"), rendered.consoleMessages().get(0));
    }

    @Test
    void drawsTheCurvesTheLearningRateTheHeatMapAndTheDigits() throws Exception {
        String html = Files.readString(report);
        Path probed = work.resolve("probed.html");
        // The report's policy forbids scripts; the probe's copy allows its own.
        Files.writeString(probed, html.replace("default-src 'none';", "default-src 'none'; script-src 'unsafe-inline';")
                .replace("</body>", PROBE + "</body>"));

        HeadlessChromium.RenderedPage rendered = render(probed);

        Matcher found = Pattern.compile("<pre id=\"probe\">(.*?)</pre>").matcher(rendered.dom());
        assertTrue(found.find(), "the probe ran: " + rendered.consoleMessages());
        JsonNode probe = new ObjectMapper().readTree(found.group(1));
        assertEquals(3, probe.get("charts").size(), probe.toString());
        int[] linesPerChart = {2, 1, 1};
        for (int chart = 0; chart < 3; chart++) {
            JsonNode drawn = probe.get("charts").get(chart);
            assertTrue(drawn.get("width").asDouble() > 300, "width of " + drawn);
            assertEquals(linesPerChart[chart], drawn.get("lines").size(), "lines of " + drawn);
            for (JsonNode length : drawn.get("lines")) {
                assertTrue(length.asDouble() > 50, "a drawn line in " + drawn);
            }
        }
        assertEquals(100, probe.get("cells").asInt(), "heat-map cells drawn");
        assertTrue(probe.get("digits").asInt() > 0, "misclassified digits shown: " + probe);
        assertEquals(probe.get("digits").asInt(), probe.get("decodedDigits").asInt(), "digits decoded as 28x28 images");
    }

    @Test
    void screenshotShowsEachCurveInItsColour() throws Exception {
        Files.deleteIfExists(SCREENSHOT);

        Files.write(SCREENSHOT, render(report).screenshot());

        BufferedImage screenshot = ImageIO.read(SCREENSHOT.toFile());
        assertTrue(pixelsNear(screenshot, 0x2b6cb0) > 300, "blue pixels (training loss, heat-map diagonal)");
        assertTrue(pixelsNear(screenshot, 0xdd6b20) > 300, "orange pixels (validation curves)");
        assertTrue(pixelsNear(screenshot, 0x2f855a) > 150, "green pixels (learning rate)");
        assertFalse(pixelsNear(screenshot, 0xffffff) == (long) screenshot.getWidth() * screenshot.getHeight(),
                "the page is not blank");
    }

    private HeadlessChromium.RenderedPage render(Path page) throws IOException, InterruptedException {
        return HeadlessChromium.render(page, work, WINDOW_WIDTH, WINDOW_HEIGHT);
    }

    private static long pixelsNear(BufferedImage image, int rgb) {
        long count = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int pixel = image.getRGB(x, y);
                int distance = Math.abs(((pixel >> 16) & 0xff) - ((rgb >> 16) & 0xff))
                        + Math.abs(((pixel >> 8) & 0xff) - ((rgb >> 8) & 0xff))
                        + Math.abs((pixel & 0xff) - (rgb & 0xff));
                if (distance < 30) {
                    count++;
                }
            }
        }
        return count;
    }
}
