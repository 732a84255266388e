package io.lenetspark.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lenetspark.MnistSubset;
import io.lenetspark.SparkSubmitProcess;
import io.lenetspark.output.RunFolder;
import io.lenetspark.output.RunOutputs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An executor JVM of the standalone cluster killed in the middle of an epoch: Spark retries its
 * tasks, the Worker starts a new executor, and the job ends as an undisturbed run of the same
 * configuration does.
 */
class ExecutorLossIT {

    /** Enough minibatches (about 1,350 of 16) for the test accuracy to level off, so two runs agree within a point. */
    private static final int EPOCHS = 4;
    private static final String KILLED_EPOCH = "TRAIN epoch 2/" + EPOCHS;

    @TempDir
    static Path work;

    private static StandaloneCluster cluster;
    private static Path data;

    private final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void startCluster() throws Exception {
        data = MnistSubset.of(6_000, 1_000);
        cluster = StandaloneCluster.start(work.resolve("cluster"), 2, 1, "2g");
    }

    @AfterAll
    static void stopCluster() throws InterruptedException {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aRunThatLosesAnExecutorMidEpochCompletesAsAnUndisturbedRunDoes() throws Exception {
        Path runs = work.resolve("runs");
        SparkSubmitProcess undisturbed = StandaloneSubmit.start(cluster, work.resolve("undisturbed"), args(runs, "undisturbed"));
        assertEquals(0, undisturbed.waitForExit(), undisturbed.log());

        int driverUiPort = freePort();
        Path disturbedWork = work.resolve("disturbed");
        SparkSubmitProcess disturbed = StandaloneSubmit.start(cluster, disturbedWork,
                List.of("spark.ui.enabled true", "spark.ui.port " + driverUiPort), args(runs, "disturbed"));
        ProcessHandle executor = awaitTrainingTaskOnWorker1(driverUiPort, disturbed);
        executor.destroyForcibly();
        assertFalse(executor.onExit().get(1, TimeUnit.MINUTES).isAlive(), "the killed executor is gone");

        assertEquals(0, disturbed.waitForExit(), disturbed.log());

        Path folder = runs.resolve("disturbed");
        for (String file : List.of(RunOutputs.MODEL, RunOutputs.METRICS_JSON, RunOutputs.METRICS_PARQUET,
                RunOutputs.TEST_EVALUATION, RunOutputs.CONFIG, RunFolder.SUCCESS_MARKER)) {
            assertTrue(Files.exists(folder.resolve(file)), file + " in the run folder: " + disturbed.log());
        }
        assertEquals(EPOCHS, StandaloneClusterIT.metrics(folder).size(), "epochs in metrics.jsonl");
        List<SparkEventLog.Task> lost = SparkEventLog.tasks(StandaloneSubmit.eventLogDir(disturbedWork)).stream()
                .filter(task -> task.endReason().equals("ExecutorLostFailure")).toList();
        assertFalse(lost.isEmpty(), "a task was lost with its executor");
        assertTrue(lost.stream().allMatch(task -> task.job().equals(KILLED_EPOCH)), "lost tasks: " + lost);

        double expected = testAccuracy(runs.resolve("undisturbed"));
        double actual = testAccuracy(folder);
        assertEquals(expected, actual, 0.01, "test accuracy after losing an executor vs. undisturbed");
    }

    private static String[] args(Path runs, String runId) {
        // One averaging round per epoch keeps each training task running for seconds, so the kill lands
        // in one: with rounds of 40 minibatches, tasks of under a second, the driver's UI could still
        // list a task as running that had just ended.
        return new String[] {"data.dir=" + data, "training.epochs=" + EPOCHS, "training.batch-size=16",
                "training.parameter-averaging.averaging-frequency=1000", "output.dir=" + runs, "output.run-id=" + runId};
    }

    /** Spark's id of an executor JVM, from its command line ({@code --executor-id N}). */
    private static String executorId(ProcessHandle executor) {
        List<String> arguments = List.of(executor.info().arguments().orElse(new String[0]));
        int flag = arguments.indexOf("--executor-id");
        assertTrue(flag >= 0 && flag + 1 < arguments.size(), "executor arguments: " + arguments);
        return arguments.get(flag + 1);
    }

    /**
     * Waits until a training task of {@link #KILLED_EPOCH} (DL4J's fitting, the last stage of the
     * epoch's job) runs in the executor JVM of worker 1, as the driver's REST API reports it, and
     * returns that JVM.
     */
    private ProcessHandle awaitTrainingTaskOnWorker1(int driverUiPort, SparkSubmitProcess job) throws Exception {
        String api = "http://127.0.0.1:" + driverUiPort + "/api/v1/applications";
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (System.nanoTime() < deadline) {
            List<ProcessHandle> executors = cluster.executorsPerWorker().get(0);
            try {
                if (executors.size() != 1) {
                    throw new IOException("worker 1 runs " + executors.size() + " executors");
                }
                String executorId = executorId(executors.get(0));
                String app = get(api).get(0).path("id").asText();
                for (JsonNode running : get(api + "/" + app + "/jobs?status=running")) {
                    if (!KILLED_EPOCH.equals(running.path("description").asText())) {
                        continue;
                    }
                    int fitting = 0;
                    for (JsonNode stage : running.path("stageIds")) {
                        fitting = Math.max(fitting, stage.asInt());
                    }
                    for (JsonNode attempt : get(api + "/" + app + "/stages/" + fitting)) {
                        String tasks = api + "/" + app + "/stages/" + fitting + "/" + attempt.path("attemptId").asInt()
                                + "/taskList?status=running";
                        for (JsonNode task : get(tasks)) {
                            if (executorId.equals(task.path("executorId").asText())) {
                                return executors.get(0);
                            }
                        }
                    }
                }
            } catch (IOException notYet) {
                // The driver's UI is not up yet, or the stage is not known yet.
            }
            Thread.sleep(50);
        }
        job.kill();
        throw new AssertionError("no training task of " + KILLED_EPOCH + " seen running on worker 1: " + job.log());
    }

    private JsonNode get(String url) throws IOException {
        try (InputStream in = URI.create(url).toURL().openStream()) {
            return json.readTree(in);
        }
    }

    private double testAccuracy(Path runFolder) throws IOException {
        return json.readTree(runFolder.resolve(RunOutputs.TEST_EVALUATION).toFile()).path("accuracy").asDouble();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
