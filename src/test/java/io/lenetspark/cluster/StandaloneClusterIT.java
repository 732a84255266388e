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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged job on a real Spark standalone cluster: a Master and two one-core Workers, each its
 * own JVM on 127.0.0.1, and the job submitted with {@code submit/standalone.sh}. Training must run
 * on both executors, with each TrainingMaster; and a run whose executor JVM is killed in the middle
 * of an epoch must end as the undisturbed parameter-averaging run of the same configuration did.
 */
class StandaloneClusterIT {

    private static final String PARAMETER_AVERAGING = "parameter-averaging";
    /**
     * Parameter averaging trains long enough in these epochs (about 1,000 minibatches of 16) for the
     * test accuracy to level off, so that the undisturbed run and one that loses an executor agree
     * within a point.
     */
    private static final int EPOCHS = 3;
    private static final String KILLED_EPOCH = "TRAIN epoch 2/" + EPOCHS;

    @TempDir
    static Path work;

    private static StandaloneCluster cluster;
    private static Path averagingData;
    private static Path sharingData;
    /** The undisturbed runs by TrainingMaster, each submitted once and checked by every test that needs it. */
    private static final Map<String, ClusterRun> undisturbed = new HashMap<>();

    private final ObjectMapper json = new ObjectMapper();

    /** A finished submission: its exit code and log, its run folder, and each executor JVM's threads at the epochs' ends. */
    private record ClusterRun(Path job, Path folder, int exit, String log,
                              Map<Long, List<Map<String, Integer>>> executorThreads) {
    }

    @BeforeAll
    static void startCluster() throws Exception {
        averagingData = MnistSubset.of(6_000, 1_000);
        sharingData = MnistSubset.of(2_000, 500);
        cluster = StandaloneCluster.start(work.resolve("cluster"), 2, 1, "2g");
    }

    @AfterAll
    static void stopCluster() throws InterruptedException {
        if (cluster != null) {
            cluster.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {PARAMETER_AVERAGING, "gradient-sharing"})
    void trainsOnBothExecutorsAndWritesACompleteRunFolder(String master) throws Exception {
        ClusterRun run = undisturbedRun(master);
        assertEquals(0, run.exit(), run.log());

        Path folder = run.folder();
        assertCompleteRunFolder(folder, run.log());
        List<JsonNode> metrics = metrics(folder);
        assertEquals(EPOCHS, metrics.size(), "epochs in metrics.jsonl");
        // Each epoch's training reaches the driver's model: its validation loss changes every epoch.
        for (int i = 1; i < EPOCHS; i++) {
            assertNotEquals(metrics.get(i - 1).get("val_loss").asDouble(), metrics.get(i).get("val_loss").asDouble(),
                    "validation loss after epoch " + (i + 1) + " vs. epoch " + i + ": " + run.log());
        }
        assertTrue(run.log().contains("on 2 workers"), run.log());

        List<SparkEventLog.Task> training = SparkEventLog.tasks(StandaloneSubmit.eventLogDir(run.job())).stream()
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
        assertTrue(run.log().contains("oneDNN layer helpers: " + helpers), "the driver's helpers: " + run.log());
        for (String executor : training.stream().map(SparkEventLog.Task::executorId).collect(Collectors.toSet())) {
            assertTrue(run.log().contains("oneDNN layer helpers on executor " + executor + " (127.0.0.1): " + helpers),
                    "the helpers of executor " + executor + ": " + run.log());
        }
        assertFalse(run.log().contains("not in effect"), run.log());

        // Nothing an epoch starts in an executor (gradient sharing's transport above all) outlives it.
        assertEquals(2, run.executorThreads().size(), "executor JVMs seen at the epochs' ends: " + run.executorThreads());
        run.executorThreads().forEach((pid, epochEnds) -> {
            assertEquals(EPOCHS, epochEnds.size(), "thread counts of executor JVM " + pid + ": " + epochEnds);
            assertTrue(ThreadCensus.total(epochEnds.get(EPOCHS - 1)) <= ThreadCensus.total(epochEnds.get(0)) + 3,
                    "threads of executor JVM " + pid + " after each epoch: " + epochEnds);
        });
    }

    /**
     * An executor JVM killed in the middle of an epoch: Spark retries its tasks, the Worker starts a
     * new executor, and the job ends as the undisturbed run of the same configuration does.
     */
    @Test
    void aRunThatLosesAnExecutorMidEpochCompletesAsAnUndisturbedRunDoes() throws Exception {
        ClusterRun reference = undisturbedRun(PARAMETER_AVERAGING);
        assertEquals(0, reference.exit(), reference.log());

        int driverUiPort = freePort();
        Path disturbedWork = work.resolve("disturbed");
        SparkSubmitProcess disturbed = StandaloneSubmit.start(cluster, disturbedWork,
                List.of("spark.ui.enabled true", "spark.ui.port " + driverUiPort),
                args(PARAMETER_AVERAGING, disturbedWork.resolve("runs"), "disturbed"));
        ProcessHandle executor = awaitTrainingTaskOnWorker1(driverUiPort, disturbed);
        executor.destroyForcibly();
        assertFalse(executor.onExit().get(1, TimeUnit.MINUTES).isAlive(), "the killed executor is gone");

        assertEquals(0, disturbed.waitForExit(), disturbed.log());

        Path folder = disturbedWork.resolve("runs").resolve("disturbed");
        assertCompleteRunFolder(folder, disturbed.log());
        assertEquals(EPOCHS, metrics(folder).size(), "epochs in metrics.jsonl");
        List<SparkEventLog.Task> lost = SparkEventLog.tasks(StandaloneSubmit.eventLogDir(disturbedWork)).stream()
                .filter(task -> task.endReason().equals("ExecutorLostFailure")).toList();
        assertFalse(lost.isEmpty(), "a task was lost with its executor");
        assertTrue(lost.stream().allMatch(task -> task.job().equals(KILLED_EPOCH)), "lost tasks: " + lost);

        assertEquals(testAccuracy(reference.folder()), testAccuracy(folder), 0.01,
                "test accuracy after losing an executor vs. undisturbed");
    }

    /** The undisturbed run of {@code master}, submitted on first use. */
    private static synchronized ClusterRun undisturbedRun(String master) throws Exception {
        ClusterRun run = undisturbed.get(master);
        if (run == null) {
            Path job = work.resolve(master);
            SparkSubmitProcess submit = StandaloneSubmit.start(cluster, job, args(master, job.resolve("runs"), master));
            Map<Long, List<Map<String, Integer>>> executorThreads = threadsAtEpochEnds(submit);
            int exit = submit.waitForExit();
            run = new ClusterRun(job, job.resolve("runs").resolve(master), exit, submit.log(), executorThreads);
            undisturbed.put(master, run);
        }
        return run;
    }

    private static String[] args(String master, Path runs, String runId) {
        List<String> args = new ArrayList<>(List.of("training.master=" + master, "training.epochs=" + EPOCHS,
                "training.onednn-layer-helpers=true", "output.dir=" + runs, "output.run-id=" + runId));
        if (master.equals(PARAMETER_AVERAGING)) {
            // One averaging round per epoch keeps each training task running for seconds, so a kill lands
            // in one: with rounds of 40 minibatches, tasks of under a second, the driver's UI could still
            // list a task as running that had just ended.
            args.addAll(List.of("data.dir=" + averagingData, "training.batch-size=16",
                    "training.parameter-averaging.averaging-frequency=1000"));
        } else {
            args.addAll(List.of("data.dir=" + sharingData, "training.batch-size=32"));
        }
        return args.toArray(String[]::new);
    }

    private static void assertCompleteRunFolder(Path folder, String log) {
        for (String file : List.of(RunOutputs.MODEL, RunOutputs.METRICS_JSON, RunOutputs.METRICS_PARQUET,
                RunOutputs.TEST_EVALUATION, RunOutputs.CONFIG, RunFolder.SUCCESS_MARKER)) {
            assertTrue(Files.exists(folder.resolve(file)), file + " in the run folder: " + log);
        }
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

    private static List<JsonNode> metrics(Path runFolder) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> epochs = new ArrayList<>();
        for (String line : Files.readAllLines(runFolder.resolve(RunOutputs.METRICS_JSON))) {
            if (!line.isBlank()) {
                epochs.add(json.readTree(line));
            }
        }
        return epochs;
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
