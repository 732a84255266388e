package io.lenetspark;

import io.lenetspark.failure.ExitCode;
import io.lenetspark.job.JobLauncher;
import io.lenetspark.job.LeNetTrainingJob;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One real, small training run (2,000/500 MNIST images, 2 epochs, batch 32, local[2]) shared by
 * the tests that inspect a run folder: trained once per test JVM, on first use, with progress
 * lines every second so that they show even in such short epochs.
 */
public final class SmallRun {

    public static final int EPOCHS = 2;
    public static final int TEST_EXAMPLES = 500;

    private static Path folder;
    private static LogCapture progress;

    private SmallRun() {
    }

    /** The completed run folder. */
    public static synchronized Path folder() throws IOException {
        if (folder == null) {
            Path data = MnistSubset.of(2_000, TEST_EXAMPLES);
            Path runs = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "small-run-");
            progress = LogCapture.of("io.lenetspark.training.EpochProgress");
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
        return progress.messages();
    }
}
