package io.lenetspark.job;

import io.lenetspark.MnistSubset;
import io.lenetspark.SparkTestSession;
import io.lenetspark.failure.ExitCode;
import io.lenetspark.output.Checkpoints;
import io.lenetspark.output.RunFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An epoch that fits no minibatch for {@code progress.stall-timeout} is cancelled and fails the
 * run with one line saying so. A real hang cannot be ordered up on one machine, so the timeout is
 * made shorter than the time an epoch's tasks take to report their first minibatches: one
 * averaging round per worker holds them back for the whole epoch. Which epoch stalls first depends
 * on when the first heartbeat comes.
 */
class StallTimeoutIT {

    @TempDir
    Path work;

    @Test
    void anEpochWithoutProgressForTheStallTimeoutFailsTheRun() throws IOException {
        Path data = MnistSubset.of(6_000, 500);
        SparkTestSession.get();
        Path runs = work.resolve("runs");
        String[] args = {"data.dir=" + data, "output.dir=" + runs, "output.run-id=stalled", "training.epochs=2",
                "training.batch-size=16", "training.parameter-averaging.averaging-frequency=1000",
                "progress.stall-timeout=1s"};

        long start = System.nanoTime();
        JobLauncher.Outcome outcome = JobLauncher.run("LeNetJob", args, LeNetTrainingJob::run);
        double seconds = (System.nanoTime() - start) / 1e9;

        assertEquals(ExitCode.FAILURE, outcome.exitCode(), outcome.message());
        Matcher stalled = Pattern.compile("LeNetJob failed: Training stalled: Epoch (\\d)/2 fitted no minibatch for ")
                .matcher(outcome.message());
        assertTrue(stalled.lookingAt(), outcome.message());
        assertTrue(outcome.message().contains("longer than lenet.progress.stall-timeout (1s)"), outcome.message());
        assertFalse(outcome.message().contains("\n"), "one line: " + outcome.message());
        Path folder = runs.resolve("stalled");
        assertFalse(Files.exists(folder.resolve(RunFolder.SUCCESS_MARKER)), "the run is not complete");
        int epoch = Integer.parseInt(stalled.group(1));
        assertFalse(Files.exists(folder.resolve(Checkpoints.FOLDER).resolve(String.format("epoch-%04d.zip", epoch))),
                "no checkpoint for the stalled epoch " + epoch);
        assertTrue(seconds < 60, "the stall ended the run in " + seconds + " s");
    }
}
