package io.lenetspark.job;

import io.lenetspark.MnistSubset;
import io.lenetspark.SparkTestSession;
import io.lenetspark.config.ConfigLoader;
import io.lenetspark.config.LeNetSettings;
import io.lenetspark.failure.ExitCode;
import io.lenetspark.output.RunFolder;
import io.lenetspark.output.RunOutputs;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real job on local[2] and a real MNIST subset, with each TrainingMaster. */
class LeNetJobIT {

    private static final int EPOCHS = 3;
    private static Path data;

    @TempDir
    Path runs;

    @BeforeAll
    static void prepareData() throws IOException {
        data = MnistSubset.of(12_000, 1_000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"parameter-averaging", "gradient-sharing"})
    void trainsWellAboveChanceAndWritesACompleteRunFolder(String master) throws IOException {
        SparkSession spark = SparkTestSession.get();
        LeNetSettings settings = LeNetSettings.from(ConfigLoader.load(List.of(
                "data.dir=" + data,
                "training.master=" + master,
                "training.epochs=" + EPOCHS,
                // Enough minibatches for batch norm's moving statistics (momentum 0.99) to settle.
                "training.batch-size=32",
                "output.dir=" + runs,
                "output.run-id=" + master)));

        LeNetTrainingJob.RunResult result = LeNetTrainingJob.run(settings, spark);

        assertEquals(1_000, result.test().examples(), "test examples evaluated");
        assertTrue(result.test().accuracy() > 0.85, master + " test accuracy " + result.test().accuracy());
        assertEquals(EPOCHS, result.training().epochs().size(), "epochs run");
        result.training().epochs().forEach(epoch ->
                assertTrue(epoch.loss() > 0 && Double.isFinite(epoch.loss()), "training loss of " + epoch));

        Path folder = runs.resolve(master);
        for (String file : List.of(RunOutputs.MODEL, RunOutputs.METRICS_JSON, RunOutputs.TEST_EVALUATION,
                RunOutputs.CONFIG, RunFolder.SUCCESS_MARKER)) {
            assertTrue(Files.isRegularFile(folder.resolve(file)), file + " in the run folder");
        }
        assertEquals(EPOCHS, Files.readAllLines(folder.resolve(RunOutputs.METRICS_JSON)).size(), "metrics.jsonl lines");
        List<Row> metrics = spark.read().parquet(folder.resolve(RunOutputs.METRICS_PARQUET).toString())
                .orderBy("epoch").collectAsList();
        assertEquals(EPOCHS, metrics.size(), "metrics.parquet rows");
        assertEquals(result.training().epochs().get(EPOCHS - 1).valAccuracy(),
                metrics.get(EPOCHS - 1).getDouble(metrics.get(EPOCHS - 1).fieldIndex("val_accuracy")), 1e-12);

        MultiLayerNetwork saved = ModelSerializer.restoreMultiLayerNetwork(folder.resolve(RunOutputs.MODEL).toFile(), true);
        assertEquals(81_282, saved.numParams(), "saved model's parameter count");
        assertTrue(saved.getUpdater().getStateViewArray() != null, "saved model keeps Adam's state");

        String evaluation = Files.readString(folder.resolve(RunOutputs.TEST_EVALUATION));
        assertTrue(evaluation.contains("\"confusion\""), evaluation);
        assertTrue(evaluation.contains("\"precision\""), evaluation);
    }

    @Test
    void neverOverwritesACompletedRun() throws IOException {
        // Any completed run will do: the smallest data set the tests share.
        String[] args = {"data.dir=" + MnistSubset.of(2_000, 500), "training.epochs=1", "output.dir=" + runs,
                "output.run-id=once"};
        JobLauncher.Outcome first = JobLauncher.run("LeNetJob", args, LeNetTrainingJob::run);
        assertEquals(ExitCode.SUCCESS, first.exitCode(), first.message());
        byte[] model = Files.readAllBytes(runs.resolve("once").resolve(RunOutputs.MODEL));

        JobLauncher.Outcome second = JobLauncher.run("LeNetJob", args, LeNetTrainingJob::run);

        assertEquals(ExitCode.INVALID_INPUT, second.exitCode());
        assertTrue(second.message().contains("already holds a completed run"), second.message());
        assertArrayEquals(model, Files.readAllBytes(runs.resolve("once").resolve(RunOutputs.MODEL)),
                "the completed run's model is untouched");
    }
}
