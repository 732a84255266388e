package io.lenetspark.job;

import io.lenetspark.MnistSubset;
import io.lenetspark.SparkTestSession;
import io.lenetspark.config.ConfigLoader;
import io.lenetspark.config.LeNetSettings;
import io.lenetspark.failure.ExitCode;
import io.lenetspark.model.LeNet5;
import io.lenetspark.output.Checkpoints;
import io.lenetspark.output.RunFolder;
import io.lenetspark.output.RunOutputs;
import io.lenetspark.training.EarlyStopping;
import io.lenetspark.training.EpochMetrics;
import io.lenetspark.training.ReduceLrOnPlateau;
import io.lenetspark.training.TrainingState;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A learning rate that makes training diverge stops the job within the epoch with exit code 3 and
 * one message naming the fix; the checkpoints of the epochs before stay as they were.
 */
class DivergenceIT {

    /**
     * Adam at 1e38 moves every weight by about 1e38 per step, so with parameter averaging (the
     * default master) the float parameters overflow to infinity within the first minibatches, whichever
     * batch norm runs. (At 1e6, DL4J's own batch norm turned NaN, but the oneDNN one stayed finite and
     * the run ended normally, with a useless network.) Gradient sharing does not diverge at such rates,
     * as its threshold encoding bounds each shared update: one epoch of it at 1e6 on this subset ended
     * with loss 2.40 and validation accuracy 0.55.
     */
    private static final double DIVERGING_RATE = 1e38;
    private static final String DIVERGED = "Training diverged in epoch ";
    /** Found by a worker's listener, so the epoch's Spark job stopped at the first such minibatch. */
    private static final Pattern WORKER_DETECTED = Pattern.compile(
            "^LeNetJob failed: Training diverged in epoch 1: the (loss|network's parameters) became (NaN|-?Infinity) on a worker, ");
    private static final String FIX = "Lower lenet.training.learning-rate and start a new run";

    private static Path data;

    @TempDir
    Path work;

    @BeforeAll
    static void prepareData() throws IOException {
        data = MnistSubset.of(600, 100);
        SparkTestSession.get();
    }

    @Test
    void aDivergingFirstEpochStopsTheJobWithoutWritingACheckpoint() {
        Path runs = work.resolve("runs");

        JobLauncher.Outcome outcome = JobLauncher.run("LeNetJob", args(runs, "fresh", 1), LeNetTrainingJob::run);

        assertEquals(ExitCode.TRAINING_FAILED, outcome.exitCode(), outcome.message());
        assertTrue(WORKER_DETECTED.matcher(outcome.message()).find(), "problem named: " + outcome.message());
        assertTrue(outcome.message().contains(FIX), "fix named: " + outcome.message());
        assertFalse(outcome.message().contains("\n"), "one line: " + outcome.message());
        Path folder = runs.resolve("fresh");
        assertFalse(Files.exists(folder.resolve(RunFolder.SUCCESS_MARKER)), "the run is not complete");
        assertEquals(List.of(), files(folder.resolve(Checkpoints.FOLDER)), "no checkpoint of the diverged epoch");
        assertFalse(Files.exists(folder.resolve(RunOutputs.MODEL)), "no model of a diverged network");
    }

    @Test
    void aDivergingLaterEpochKeepsTheLastGoodCheckpoint() throws IOException {
        Path runs = work.resolve("runs");
        String[] args = args(runs, "resumed", 2);
        Path goodCheckpoint = checkpointAfterEpochOne(args);
        byte[] goodBytes = Files.readAllBytes(goodCheckpoint);

        JobLauncher.Outcome outcome = JobLauncher.run("LeNetJob", args, LeNetTrainingJob::run);

        assertEquals(ExitCode.TRAINING_FAILED, outcome.exitCode(), outcome.message());
        assertTrue(outcome.message().contains(DIVERGED + "2: "), "epoch named: " + outcome.message());
        assertTrue(outcome.message().contains(FIX), "fix named: " + outcome.message());
        Path folder = runs.resolve("resumed");
        assertEquals(List.of(goodCheckpoint.getFileName().toString()), files(folder.resolve(Checkpoints.FOLDER)),
                "only the checkpoint of epoch 1");
        assertArrayEquals(goodBytes, Files.readAllBytes(goodCheckpoint), "the checkpoint of epoch 1 is unchanged");
        assertFalse(Files.exists(folder.resolve(RunFolder.SUCCESS_MARKER)), "the run is not complete");
    }

    /**
     * An interrupted run whose epoch 1 ended well: its settings, and a checkpoint of a finite
     * network whose state carries the diverging learning rate into epoch 2.
     */
    private static Path checkpointAfterEpochOne(String[] args) throws IOException {
        LeNetSettings settings = LeNetSettings.from(ConfigLoader.load(List.of(args)));
        RunFolder folder = RunFolder.locate(settings.output(),
                SparkTestSession.get().sparkContext().hadoopConfiguration(), Clock.systemUTC());
        Files.createDirectories(Path.of(folder.path().toUri()));
        new RunOutputs(folder).writeConfig(settings.resolved());
        TrainingState afterEpochOne = new TrainingState(
                List.of(new EpochMetrics(1, 1, 540, 2.3, 2.3, 0.1, DIVERGING_RATE)),
                new ReduceLrOnPlateau.State(DIVERGING_RATE, 0.1, 0, 0), new EarlyStopping.State(0.1, 1, 0), false);
        new Checkpoints(folder, settings.seed(), settings.output().checkpointsKept())
                .save(LeNet5.create(settings.seed(), 1e-3), afterEpochOne);
        return Path.of(folder.resolve(Checkpoints.FOLDER).toUri()).resolve("epoch-0001.zip");
    }

    private static String[] args(Path runs, String runId, int epochs) {
        return Stream.of("data.dir=" + data, "output.dir=" + runs, "output.run-id=" + runId,
                "training.epochs=" + epochs, "training.batch-size=32",
                "training.learning-rate=" + DIVERGING_RATE).toArray(String[]::new);
    }

    private static List<String> files(Path folder) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            // Hadoop's local file system writes a .crc file beside each file.
            return files.map(f -> f.getFileName().toString()).filter(n -> !n.endsWith(".crc")).sorted().toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
