package io.lenetspark.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The failure path of the fetch; {@link RunReportIT} runs the browser it fetches. */
class NpmChromiumTest {

    @TempDir
    Path cacheRoot;

    @Test
    void saysWhatToInstallWithoutNpmAndLeavesNothingInTheCache() throws IOException {
        NpmChromium chromium = new NpmChromium("lenet-no-such-npm", cacheRoot);

        IllegalStateException e = assertThrows(IllegalStateException.class, chromium::installed);

        assertTrue(e.getMessage().startsWith("Could not run 'lenet-no-such-npm' ("), "names npm: " + e.getMessage());
        assertTrue(e.getMessage().endsWith("), which the report tests need to fetch a headless Chromium "
                + "(@sparticuz/chromium@143.0.0). Install Node.js with npm, or set LENET_CHROMIUM to a Chromium "
                + "executable."), "names the fix: " + e.getMessage());
        try (Stream<Path> left = Files.list(cacheRoot)) {
            assertEquals(0, left.count(), "files left in the cache");
        }
    }
}
