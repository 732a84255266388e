package io.lenetspark.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lenetspark.MnistSubset;
import io.lenetspark.SparkSubmitProcess;
import io.lenetspark.SparkTestSession;
import io.lenetspark.config.ConfigLoader;
import io.lenetspark.config.LeNetSettings;
import io.lenetspark.failure.ExitCode;
import io.lenetspark.output.Checkpoints;
import io.lenetspark.output.RunFolder;
import io.lenetspark.output.RunOutputs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checkpoints and resume with the packaged job: a driver killed in the middle of training resumes
 * from its last checkpoint and makes the decisions an uninterrupted run makes; scheduled re-runs of
 * a run id behave as documented.
 */
class ResumeIT {

    /**
     * min-delta 0.5 turns every epoch after the first into a plateau, so the schedule changes each
     * epoch: learning rate 1e-3 for epochs 1-2, 2e-4 for epoch 3, then early stopping after epoch 3 of 6.
     */
    private static final List<String> EVENTFUL_SCHEDULE = List.of(
            "training.epochs=6",
            "training.batch-size=32",
            "training.reduce-lr-on-plateau.patience=1",
            "training.reduce-lr-on-plateau.min-delta=0.5",
            "training.early-stopping.patience=2",
            "training.early-stopping.min-delta=0.5");

    private static Path data;

    @TempDir
    Path work;

    @BeforeAll
    static void prepareData() throws IOException {
        data = MnistSubset.of(3_000, 500);
        // The in-process runs below use the shared session, as a notebook's job would.
        SparkTestSession.get();
    }

    @Test
    void aKilledDriverResumesFromItsLastCheckpointAndDecidesAsAnUninterruptedRun() throws Exception {
        Path runs = work.resolve("runs");
        assertEquals(0, SparkSubmitProcess.run(work.resolve("uninterrupted.log"), "LeNetJob",
                args(runs, "uninterrupted")), "uninterrupted run");

        Path interrupted = runs.resolve("interrupted");
        SparkSubmitProcess first = SparkSubmitProcess.start(work.resolve("killed.log"), "LeNetJob", args(runs, "interrupted"));
        waitFor(() -> first.log().contains("Epoch 1/6 - ") && Files.exists(checkpoint(interrupted, 1)), first);
        first.kill();
        assertFalse(Files.exists(interrupted.resolve(RunFolder.SUCCESS_MARKER)), "the killed run is not complete");
        assertTrue(Files.exists(interrupted.resolve(".lock")), "the killed driver's claim is left behind");
        assertFalse(first.log().contains("Epoch 3/6 - "), "the driver was killed before training ended: " + first.log());

        SparkSubmitProcess resumed = SparkSubmitProcess.start(work.resolve("resumed.log"), "LeNetJob", args(runs, "interrupted"));
        assertEquals(0, resumed.waitForExit(), resumed.log());

        assertTrue(resumed.log().contains("Resuming from checkpoint "), resumed.log());
        assertFalse(resumed.log().contains("Epoch 1/6 - "), "epoch 1 is not trained again: " + resumed.log());
        assertTrue(Files.exists(interrupted.resolve(RunFolder.SUCCESS_MARKER)), "the resumed run completes");
        assertFalse(Files.exists(interrupted.resolve(".lock")), "a dead job's claim does not block; the resumed run releases its own");
        List<JsonNode> expected = metrics(runs.resolve("uninterrupted"));
        List<JsonNode> actual = metrics(interrupted);
        assertEquals(3, expected.size(), "the uninterrupted run stops early after epoch 3");
        assertEquals(expected.size(), actual.size(), "epochs of the resumed run");
        for (String field : List.of("loss", "val_loss", "val_accuracy", "learning_rate")) {
            // The first epoch is reproducible, and the resumed run takes it from the checkpoint.
            assertEquals(expected.get(0).get(field).asDouble(), actual.get(0).get(field).asDouble(), 0,
                    field + " of epoch 1");
        }
        for (int i = 1; i < expected.size(); i++) {
            assertEquals(expected.get(i).get("learning_rate").asDouble(), actual.get(i).get("learning_rate").asDouble(),
                    0, "learning rate of epoch " + (i + 1));
            // Parameter averaging on local[2] is not bit-reproducible after the first epoch: two
            // uninterrupted runs of this config measured 0.7033 and 0.7167 at epoch 2.
            assertEquals(expected.get(i).get("val_accuracy").asDouble(), actual.get(i).get("val_accuracy").asDouble(),
                    0.05, "validation accuracy of epoch " + (i + 1));
        }
        assertEquals(List.of(1e-3, 1e-3, 2e-4), actual.stream().map(m -> m.get("learning_rate").asDouble()).toList());
    }

    @Test
    void refusesToResumeWithOtherSettings() throws Exception {
        Path runs = work.resolve("runs");
        String[] args = args(runs, "changed", "training.epochs=1");
        assertEquals(ExitCode.SUCCESS, JobLauncher.run("LeNetJob", args, LeNetTrainingJob::run).exitCode());
        Files.delete(runs.resolve("changed").resolve(RunFolder.SUCCESS_MARKER));

        JobLauncher.Outcome outcome = JobLauncher.run("LeNetJob",
                args(runs, "changed", "training.epochs=1", "training.batch-size=64"), LeNetTrainingJob::run);

        assertEquals(ExitCode.INVALID_INPUT, outcome.exitCode(), outcome.message());
        assertTrue(outcome.message().contains("Run changed was started with other settings, so it cannot resume: "
                + "lenet.training.batch-size was 32, now 64."), outcome.message());
        assertFalse(Files.exists(runs.resolve("changed").resolve(RunFolder.SUCCESS_MARKER)));
    }

    @Test
    void aRunInterruptedAfterItsLastEpochOnlyEvaluatesAndWritesItsResults() throws Exception {
        Path runs = work.resolve("runs");
        String[] args = args(runs, "late", "training.epochs=1");
        assertEquals(ExitCode.SUCCESS, JobLauncher.run("LeNetJob", args, LeNetTrainingJob::run).exitCode());
        Path folder = runs.resolve("late");
        byte[] checkpoint = Files.readAllBytes(checkpoint(folder, 1));
        for (String file : List.of(RunFolder.SUCCESS_MARKER, RunOutputs.MODEL, RunOutputs.TEST_EVALUATION)) {
            Files.delete(folder.resolve(file));
        }

        LeNetTrainingJob.RunResult result = LeNetTrainingJob.run(
                LeNetSettings.from(ConfigLoader.load(List.of(args))), SparkTestSession.get());

        assertEquals(1, result.training().epochs().size(), "no epoch is trained again");
        assertTrue(Files.exists(folder.resolve(RunFolder.SUCCESS_MARKER)));
        assertTrue(Files.exists(folder.resolve(RunOutputs.TEST_EVALUATION)));
        assertArrayEquals(checkpoint, Files.readAllBytes(checkpoint(folder, 1)), "the checkpoint is untouched");
    }

    @Test
    void aScheduledReRunOfACompletedRunSucceedsWithoutTouchingIt() throws Exception {
        Path runs = work.resolve("runs");
        String[] args = args(runs, "2026-11-28", "training.epochs=1", "output.on-complete-run=skip");
        assertEquals(ExitCode.SUCCESS, JobLauncher.run("LeNetJob", args, LeNetTrainingJob::run).exitCode());
        Path model = runs.resolve("2026-11-28").resolve(RunOutputs.MODEL);
        byte[] before = Files.readAllBytes(model);
        long modified = Files.getLastModifiedTime(model).toMillis();

        LeNetTrainingJob.RunResult again = LeNetTrainingJob.run(
                LeNetSettings.from(ConfigLoader.load(List.of(args))), SparkTestSession.get());

        assertTrue(again.alreadyComplete(), "the second run reports the run as already complete");
        assertArrayEquals(before, Files.readAllBytes(model));
        assertEquals(modified, Files.getLastModifiedTime(model).toMillis(), "the model file is not rewritten");
    }

    private static String[] args(Path runs, String runId, String... more) {
        List<String> args = new ArrayList<>(List.of("data.dir=" + data, "output.dir=" + runs, "output.run-id=" + runId));
        args.addAll(EVENTFUL_SCHEDULE);
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    private static Path checkpoint(Path runFolder, int epoch) {
        return runFolder.resolve(Checkpoints.FOLDER).resolve(String.format("epoch-%04d.zip", epoch));
    }

    private static List<JsonNode> metrics(Path runFolder) throws IOException {
        ObjectMapper json = new ObjectMapper();
        try (Stream<String> lines = Files.lines(runFolder.resolve(RunOutputs.METRICS_JSON))) {
            return lines.filter(line -> !line.isBlank()).map(line -> {
                try {
                    return json.readTree(line);
                } catch (IOException e) {
                    throw new AssertionError("metrics line " + line, e);
                }
            }).toList();
        }
    }

    private static void waitFor(BooleanSupplier condition, SparkSubmitProcess process)
            throws InterruptedException {
        long deadline = System.nanoTime() + 5L * 60 * 1_000_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                process.kill();
                throw new AssertionError("timed out waiting for the first checkpoint: " + process.log());
            }
            Thread.sleep(200);
        }
    }
}
