package io.lenetspark.output;

import io.lenetspark.failure.InvalidInputException;
import io.lenetspark.model.LeNet5;
import io.lenetspark.training.EarlyStopping;
import io.lenetspark.training.EpochMetrics;
import io.lenetspark.training.ReduceLrOnPlateau;
import io.lenetspark.training.TrainingState;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointsTest {

    private static final long SEED = 42;

    @TempDir
    Path runs;

    private RunFolder folder;
    private Path checkpointFolder;

    @BeforeEach
    void createRunFolder() throws IOException {
        folder = TestRunFolder.createIn(runs);
        checkpointFolder = runs.resolve("run").resolve(Checkpoints.FOLDER);
    }

    @Test
    void aNewRunHasNoCheckpoint() {
        assertTrue(new Checkpoints(folder, SEED, 2).latest().isEmpty());
    }

    @Test
    void restoresParametersUpdaterStateAndPolicies() {
        MultiLayerNetwork network = trainedNetwork();
        TrainingState state = stateAfter(3);
        new Checkpoints(folder, SEED, 2).save(network, state);

        Checkpoints.Checkpoint restored = new Checkpoints(folder, SEED, 2).latest().orElseThrow();

        assertEquals(3, restored.epoch());
        assertEquals(state, restored.state(), "training state");
        assertEquals(network.params(), restored.network().params(), "parameters");
        assertEquals(network.getUpdater().getStateViewArray(), restored.network().getUpdater().getStateViewArray(),
                "Adam's moment estimates");
        assertEquals(network.getIterationCount(), restored.network().getIterationCount(), "iteration count");
    }

    @Test
    void keepsOnlyTheNewestCheckpoints() throws IOException {
        Checkpoints checkpoints = new Checkpoints(folder, SEED, 2);
        MultiLayerNetwork network = LeNet5.create(SEED, 1e-3);
        for (int epoch = 1; epoch <= 4; epoch++) {
            checkpoints.save(network, stateAfter(epoch));
        }
        try (var files = Files.list(checkpointFolder)) {
            assertEquals(List.of("epoch-0003.zip", "epoch-0004.zip"),
                    files.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".crc")).sorted().toList());
        }
        assertEquals(4, checkpoints.latest().orElseThrow().epoch());
    }

    @Test
    void ignoresACheckpointThatWasStillBeingWritten() throws IOException {
        Checkpoints checkpoints = new Checkpoints(folder, SEED, 2);
        checkpoints.save(LeNet5.create(SEED, 1e-3), stateAfter(2));
        Files.write(checkpointFolder.resolve(".epoch-0003.zip.tmp"), new byte[]{'P', 'K', 3, 4, 0});

        assertEquals(2, checkpoints.latest().orElseThrow().epoch());
    }

    @Test
    void reportsAndRefusesACheckpointWithDamagedBytes() throws IOException {
        Checkpoints checkpoints = new Checkpoints(folder, SEED, 2);
        checkpoints.save(trainedNetwork(), stateAfter(1));
        Path file = checkpointFolder.resolve("epoch-0001.zip");
        byte[] bytes = Files.readAllBytes(file);
        for (int i = bytes.length / 2; i < bytes.length / 2 + 64; i++) {
            bytes[i] ^= 0x5a;
        }
        Files.write(file, bytes);
        Files.deleteIfExists(checkpointFolder.resolve(".epoch-0001.zip.crc"));

        InvalidInputException failure = assertThrows(InvalidInputException.class, checkpoints::latest);
        assertTrue(failure.getMessage().startsWith("Checkpoint " + folder.resolve("checkpoints/epoch-0001.zip")
                + " is damaged and was not loaded: "), failure.getMessage());
        assertTrue(failure.getMessage().endsWith("Delete that file to resume from the checkpoint before it, "
                + "or choose a new lenet.output.run-id to start over."), failure.getMessage());
    }

    @Test
    void reportsAndRefusesATruncatedCheckpoint() throws IOException {
        Checkpoints checkpoints = new Checkpoints(folder, SEED, 2);
        checkpoints.save(trainedNetwork(), stateAfter(1));
        Path file = checkpointFolder.resolve("epoch-0001.zip");
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length * 2 / 3));
        Files.deleteIfExists(checkpointFolder.resolve(".epoch-0001.zip.crc"));

        InvalidInputException failure = assertThrows(InvalidInputException.class, checkpoints::latest);
        assertTrue(failure.getMessage().contains("is damaged and was not loaded"), failure.getMessage());
    }

    @Test
    void refusesACheckpointOfAnotherSeed() {
        new Checkpoints(folder, SEED, 2).save(LeNet5.create(SEED, 1e-3), stateAfter(1));

        InvalidInputException failure = assertThrows(InvalidInputException.class,
                () -> new Checkpoints(folder, SEED + 1, 2).latest());
        assertTrue(failure.getMessage().contains("was written with lenet.seed = 42, not 43"), failure.getMessage());
    }

    /** A network that has taken Adam steps, so its updater state is not all zeros. */
    private static MultiLayerNetwork trainedNetwork() {
        MultiLayerNetwork network = LeNet5.create(SEED, 1e-3);
        Nd4j.getRandom().setSeed(SEED);
        DataSet batch = new DataSet(Nd4j.rand(new int[]{8, 1, 28, 28}),
                Nd4j.eye(10).getRows(0, 1, 2, 3, 4, 5, 6, 7));
        for (int step = 0; step < 3; step++) {
            network.fit(batch);
        }
        return network;
    }

    private static TrainingState stateAfter(int epochs) {
        List<EpochMetrics> metrics = new ArrayList<>();
        for (int epoch = 1; epoch <= epochs; epoch++) {
            metrics.add(new EpochMetrics(epoch, 10.5, 5000, epoch == 1 ? Double.NaN : 0.1 / epoch, 0.09, 0.9 + epoch / 100.0, 1e-3));
        }
        return new TrainingState(metrics, new ReduceLrOnPlateau.State(2e-4, 0.93, 1, 0),
                new EarlyStopping.State(0.93, epochs, 0), false);
    }
}
