package io.lenetspark.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lenetspark.MnistSubset;
import io.lenetspark.SparkSubmitProcess;
import io.lenetspark.ThreadCensus;
import io.lenetspark.output.RunFolder;
import io.lenetspark.output.RunOutputs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged job on a real Spark standalone cluster: a Master and two one-core Workers, each its
 * own JVM on 127.0.0.1, and the job submitted with {@code submit/standalone.sh}. Training must run
 * on both executors, with each TrainingMaster.
 */
class StandaloneClusterIT {

    private static final int EPOCHS = 3;

    @TempDir
    static Path work;

    private static StandaloneCluster cluster;
    private static Path data;

    @BeforeAll
    static void startCluster() throws Exception {
        data = MnistSubset.of(2_000, 500);
        cluster = StandaloneCluster.start(work.resolve("cluster"), 2, 1, "2g");
    }

    @AfterAll
    static void stopCluster() throws InterruptedException {
        if (cluster != null) {
            cluster.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"parameter-averaging", "gradient-sharing"})
    void trainsOnBothExecutorsAndWritesACompleteRunFolder(String master) throws Exception {
        Path job = work.resolve(master);
        Path runs = job.resolve("runs");
        SparkSubmitProcess submit = StandaloneSubmit.start(cluster, job, "data.dir=" + data,
                "training.master=" + master, "training.epochs=" + EPOCHS, "training.batch-size=32",
                "training.onednn-layer-helpers=true", "output.dir=" + runs, "output.run-id=" + master);

        Map<Long, List<Map<String, Integer>>> executorThreads = threadsAtEpochEnds(submit);
        assertEquals(0, submit.waitForExit(), submit.log());

        Path folder = runs.resolve(master);
        for (String file : List.of(RunOutputs.MODEL, RunOutputs.METRICS_JSON, RunOutputs.METRICS_PARQUET,
                RunOutputs.TEST_EVALUATION, RunOutputs.CONFIG, RunFolder.SUCCESS_MARKER)) {
            assertTrue(Files.exists(folder.resolve(file)), file + " in the run folder: " + submit.log());
        }
        List<JsonNode> epochs = metrics(folder);
        assertEquals(EPOCHS, epochs.size(), "epochs in metrics.jsonl");
        // Each epoch's training reaches the driver's model: its validation loss changes every epoch.
        for (int i = 1; i < EPOCHS; i++) {
            assertNotEquals(epochs.get(i - 1).get("val_loss").asDouble(), epochs.get(i).get("val_loss").asDouble(),
                    "validation loss after epoch " + (i + 1) + " vs. epoch " + i + ": " + submit.log());
        }
        assertTrue(submit.log().contains("on 2 workers"), submit.log());

        List<SparkEventLog.Task> training = SparkEventLog.tasks(StandaloneSubmit.eventLogDir(job)).stream()
                .filter(task -> task.job().startsWith("TRAIN ") && task.resultStage() && task.succeeded()).toList();
        for (int epoch = 1; epoch <= EPOCHS; epoch++) {
            String label = "TRAIN epoch " + epoch + "/" + EPOCHS;
            Set<String> executors = training.stream().filter(task -> task.job().equals(label))
                    .map(SparkEventLog.Task::executorId).collect(Collectors.toSet());
            assertEquals(2, executors.size(), label + " ran on executors " + executors + "; tasks " + training);
        }
        // The Workers start the executor JVMs without org.eclipse.deeplearning4j.helpers.disable; the job, asked
        // to, switches the helpers on in each, and the driver logs what every executor's workers got.
        String helpers = "ConvolutionLayer x2 MKLDNNConvHelper, BatchNormalization x2 MKLDNNBatchNormHelper, "
                + "SubsamplingLayer x2 MKLDNNSubsamplingHelper";
        assertTrue(submit.log().contains("oneDNN layer helpers: " + helpers), "the driver's helpers: " + submit.log());
        for (String executor : training.stream().map(SparkEventLog.Task::executorId).collect(Collectors.toSet())) {
            assertTrue(submit.log().contains("oneDNN layer helpers on executor " + executor + " (127.0.0.1): " + helpers),
                    "the helpers of executor " + executor + ": " + submit.log());
        }
        assertFalse(submit.log().contains("not in effect"), submit.log());

        // Nothing an epoch starts in an executor (gradient sharing's transport above all) outlives it.
        assertEquals(2, executorThreads.size(), "executor JVMs seen at the epochs' ends: " + executorThreads);
        executorThreads.forEach((pid, epochEnds) -> {
            assertEquals(EPOCHS, epochEnds.size(), "thread counts of executor JVM " + pid + ": " + epochEnds);
            assertTrue(ThreadCensus.total(epochEnds.get(EPOCHS - 1)) <= ThreadCensus.total(epochEnds.get(0)) + 3,
                    "threads of executor JVM " + pid + " after each epoch: " + epochEnds);
        });
    }

    /**
     * Each executor JVM's threads, counted as the driver logs the end of each epoch, by process id;
     * returns when the job ends.
     */
    private static Map<Long, List<Map<String, Integer>>> threadsAtEpochEnds(SparkSubmitProcess submit)
            throws IOException, InterruptedException {
        Map<Long, List<Map<String, Integer>>> threads = new TreeMap<>();
        int epoch = 1;
        while (submit.isAlive() && epoch <= EPOCHS) {
            if (submit.log().contains("LeNetTrainingJob: Epoch " + epoch + "/" + EPOCHS + " - ")) {
                for (List<ProcessHandle> executors : cluster.executorsPerWorker()) {
                    for (ProcessHandle executor : executors) {
                        threads.computeIfAbsent(executor.pid(), pid -> new ArrayList<>())
                                .add(ThreadCensus.of(executor));
                    }
                }
                epoch++;
            } else {
                Thread.sleep(100);
            }
        }
        return threads;
    }

    static List<JsonNode> metrics(Path runFolder) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> epochs = new ArrayList<>();
        for (String line : Files.readAllLines(runFolder.resolve(RunOutputs.METRICS_JSON))) {
            if (!line.isBlank()) {
                epochs.add(json.readTree(line));
            }
        }
        return epochs;
    }
}
