package io.lenetspark.output;

import io.lenetspark.config.OutputSettings;
import org.apache.hadoop.conf.Configuration;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/** The run folder {@code run}, created in a test's temporary folder. */
public final class TestRunFolder {

    public static final String RUN_ID = "run";

    private TestRunFolder() {
    }

    public static RunFolder createIn(Path runs) throws IOException {
        RunFolder folder = RunFolder.locate(new OutputSettings(runs.toString(), RUN_ID, OutputSettings.OnCompleteRun.FAIL,
                2), new Configuration(), Clock.systemUTC());
        Files.createDirectories(runs.resolve(RUN_ID));
        return folder;
    }
}
