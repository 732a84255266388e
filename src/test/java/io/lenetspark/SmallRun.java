package io.lenetspark;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One real, small training run (2,000/500 MNIST images, 2 epochs, batch 32, local[2]) shared by
 * the tests that inspect a run folder: trained once per test JVM, on first use, with progress
 * lines every second so that they show even in such short epochs.
 */
public final class SmallRun {

    public static final int EPOCHS = 2;
    public static final int TEST_EXAMPLES = 500;

    private static Path folder;
    private static final List<String> PROGRESS_LINES = new CopyOnWriteArrayList<>();

    private SmallRun() {
    }

    /** The completed run folder. */
    public static synchronized Path folder() throws IOException {
        if (folder == null) {
            Path data = MnistSubset.of(2_000, TEST_EXAMPLES);
            Path runs = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "small-run-");
            captureProgressLines();
            String[] args = {"data.dir=" + data, "training.epochs=" + EPOCHS, "training.batch-size=32",
                    "progress.interval=1s", "output.dir=" + runs, "output.run-id=small"};
            SparkTestSession.get();
            JobLauncher.Outcome outcome = JobLauncher.run("LeNetJob", args, LeNetTrainingJob::run);
            if (outcome.exitCode() != ExitCode.SUCCESS) {
                throw new IllegalStateException("The small training run failed: " + outcome.message());
            }
            folder = runs.resolve("small");
        }
        return folder;
    }

    /** What the driver logged as progress within the epochs of the run. */
    public static List<String> progressLines() throws IOException {
        folder();
        return List.copyOf(PROGRESS_LINES);
    }

    private static void captureProgressLines() {
        AbstractAppender appender = new AbstractAppender("small-run-progress", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                PROGRESS_LINES.add(event.getMessage().getFormattedMessage());
            }
        };
        appender.start();
        ((Logger) LogManager.getLogger("io.lenetspark.training.EpochProgress")).addAppender(appender);
    }
}
