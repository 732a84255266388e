package io.lenetspark.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lenetspark.MnistSubset;
import io.lenetspark.SparkSubmitProcess;
import io.lenetspark.cluster.YarnSubmit.DeployMode;
import io.lenetspark.output.RunFolder;
import io.lenetspark.output.RunOutputs;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged job on a live YARN: a ResourceManager and a NodeManager whose containers are
 * processes of this machine, with HDFS for the data, the runs and Spark's staging, and the job
 * submitted with {@code submit/yarn.sh} in either deploy mode. The ResourceManager's view of each
 * application (state, final status, diagnostics) is what a scheduler sees.
 */
class YarnClusterIT {

    private static final Duration APPLICATION_TIMEOUT = Duration.ofMinutes(8);

    @TempDir
    static Path work;

    private static HadoopCluster cluster;
    private static FileSystem hdfs;
    private static String data;
    private static String runs;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = HadoopCluster.start(work.resolve("hadoop"));
        hdfs = cluster.fileSystem();
        data = cluster.hdfsUri() + "/datasets/mnist-subset";
        runs = cluster.hdfsUri() + "/user/lenet/runs";
        FileUtil.copy(FileSystem.getLocal(hdfs.getConf()), new org.apache.hadoop.fs.Path(MnistSubset.of(2_000, 500).toUri()),
                hdfs, new org.apache.hadoop.fs.Path(data), false, hdfs.getConf());
    }

    @AfterAll
    static void stopCluster() throws IOException {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void clusterModeTrainsInTwoExecutorContainersAndWritesItsRunToHdfs() throws Exception {
        Path job = work.resolve("cluster-mode");
        SparkSubmitProcess submit = YarnSubmit.start(cluster, job, DeployMode.CLUSTER, "lenet-cluster-mode", overrides(),
                "training.epochs=2", "output.run-id=cluster-mode");

        ApplicationReport started = cluster.awaitApplication("lenet-cluster-mode", APPLICATION_TIMEOUT);
        // What YarnSubmit asks for: the driver 1g of heap + 512m off-heap + 1g, each executor 1g + 1g + 1g.
        Map<String, Long> containers = cluster.awaitContainers(started.getApplicationId(), 3, APPLICATION_TIMEOUT);
        assertEquals(List.of(2560L, 3072L, 3072L), List.copyOf(containers.values()),
                "the containers YARN granted (MB): application master first, then the executors: " + containers);
        ApplicationReport report = endOf(submit, "lenet-cluster-mode");
        assertEquals(0, submit.waitForExit(), submit.log());
        assertEquals(YarnApplicationState.FINISHED, report.getYarnApplicationState(), report.getDiagnostics());
        assertEquals(FinalApplicationStatus.SUCCEEDED, report.getFinalApplicationStatus(), report.getDiagnostics());
        System.out.println("YARN application report: " + describe(report));

        List<SparkEventLog.Executor> executors = SparkEventLog.executors(YarnSubmit.eventLogDir(job));
        Set<String> executorContainers = executors.stream().map(executor -> executor.attributes().getOrDefault("CONTAINER_ID", ""))
                .collect(Collectors.toSet());
        assertEquals(2, executors.size(), "executors added: " + executors);
        assertEquals(2, executorContainers.size(), "one YARN container each: " + executors);
        assertTrue(containers.keySet().containsAll(executorContainers), "executors in the containers granted: " + containers);
        String applicationNumber = report.getApplicationId().toString().substring("application_".length());
        assertTrue(executorContainers.stream().allMatch(container -> container.startsWith("container_" + applicationNumber + "_")),
                "containers of " + report.getApplicationId() + ": " + executorContainers);
        Set<String> trainedOn = SparkEventLog.tasks(YarnSubmit.eventLogDir(job)).stream()
                .filter(task -> task.job().startsWith("TRAIN ") && task.resultStage() && task.succeeded())
                .map(SparkEventLog.Task::executorId).collect(Collectors.toSet());
        assertEquals(executors.stream().map(SparkEventLog.Executor::id).collect(Collectors.toSet()), trainedOn,
                "executors that trained");

        org.apache.hadoop.fs.Path folder = new org.apache.hadoop.fs.Path(runs, "cluster-mode");
        for (String file : List.of(RunOutputs.MODEL, RunOutputs.METRICS_JSON, RunOutputs.METRICS_PARQUET,
                RunOutputs.TEST_EVALUATION, RunOutputs.CONFIG, RunFolder.SUCCESS_MARKER)) {
            assertTrue(hdfs.exists(new org.apache.hadoop.fs.Path(folder, file)), file + " in the run folder on HDFS");
        }
        System.out.println("Run folder on HDFS: " + Arrays.stream(hdfs.listStatus(folder))
                .map(status -> status.getPath().getName() + " " + status.getLen()).toList());
        assertEquals(2, metricsLines(folder).size(), "epochs in metrics.jsonl");
        try (InputStream model = hdfs.open(new org.apache.hadoop.fs.Path(folder, RunOutputs.MODEL))) {
            MultiLayerNetwork network = ModelSerializer.restoreMultiLayerNetwork(model, false);
            assertEquals(10, network.layerSize(network.getnLayers() - 1), "classes of the saved model");
        }
    }

    @Test
    void aMissingDataPathFailsTheApplicationWithTheJobsMessageAndExitCode() throws Exception {
        Path job = work.resolve("missing-data");
        String missing = cluster.hdfsUri() + "/datasets/no-such-data";
        SparkSubmitProcess submit = YarnSubmit.start(cluster, job, DeployMode.CLUSTER, "lenet-missing-data", overrides(),
                "data.dir=" + missing, "output.run-id=missing-data");

        ApplicationReport report = endOf(submit, "lenet-missing-data");
        assertEquals(2, submit.waitForExit(), "submit/yarn.sh exits with the job's code: " + submit.log());
        assertEquals(YarnApplicationState.FINISHED, report.getYarnApplicationState(), report.getDiagnostics());
        assertEquals(FinalApplicationStatus.FAILED, report.getFinalApplicationStatus(), report.getDiagnostics());
        assertTrue(report.getDiagnostics().contains("User application exited with status 2"), report.getDiagnostics());
        String driverLog = cluster.applicationMasterLog(report.getApplicationId(), "stderr");
        assertTrue(driverLog.contains("LeNetJob failed: MNIST train data " + missing + "/train does not exist"), driverLog);
        assertFalse(hdfs.exists(new org.apache.hadoop.fs.Path(runs, "missing-data/" + RunFolder.SUCCESS_MARKER)),
                "no _SUCCESS");
    }

    @Test
    void aKilledApplicationResumesFromItsCheckpointInClientMode() throws Exception {
        org.apache.hadoop.fs.Path folder = new org.apache.hadoop.fs.Path(runs, "resumed");
        org.apache.hadoop.fs.Path firstCheckpoint = new org.apache.hadoop.fs.Path(folder, "checkpoints/epoch-0001.zip");
        Path killedJob = work.resolve("killed");
        SparkSubmitProcess killed = YarnSubmit.start(cluster, killedJob, DeployMode.CLUSTER, "lenet-killed", overrides(),
                "training.epochs=3", "output.run-id=resumed");
        ApplicationReport running = cluster.awaitApplication("lenet-killed", APPLICATION_TIMEOUT);
        while (killed.isAlive() && !hdfs.exists(firstCheckpoint)) {
            Thread.sleep(200);
        }
        assertTrue(hdfs.exists(firstCheckpoint), "a checkpoint before the kill: " + killed.log());
        cluster.kill(running.getApplicationId());
        ApplicationReport killedReport = cluster.awaitEnd(running.getApplicationId(), APPLICATION_TIMEOUT);
        assertEquals(YarnApplicationState.KILLED, killedReport.getYarnApplicationState(), killedReport.getDiagnostics());
        assertNotEquals(0, killed.waitForExit(), killed.log());
        assertFalse(hdfs.exists(new org.apache.hadoop.fs.Path(folder, RunFolder.SUCCESS_MARKER)), "a killed run is not complete");

        // The killed driver's claim on the run folder is an HDFS lease that lapses (in a minute on a
        // real cluster, shortened here); then the same run id resumes.
        cluster.setLeaseSoftLimit(Duration.ofSeconds(1));
        Path resumedJob = work.resolve("resumed");
        SparkSubmitProcess resumed = YarnSubmit.start(cluster, resumedJob, DeployMode.CLIENT, "lenet-resumed", overrides(),
                "training.epochs=3", "output.run-id=resumed");
        ApplicationReport report = endOf(resumed, "lenet-resumed");
        assertEquals(0, resumed.waitForExit(), resumed.log());
        assertEquals(FinalApplicationStatus.SUCCEEDED, report.getFinalApplicationStatus(), report.getDiagnostics());
        assertTrue(resumed.log().contains("Resuming from checkpoint "), resumed.log());
        assertFalse(resumed.log().contains("Epoch 1/3 - "), "epoch 1 is not trained again: " + resumed.log());
        assertEquals(2, SparkEventLog.executors(YarnSubmit.eventLogDir(resumedJob)).size(), "executors in client mode");
        assertTrue(hdfs.exists(new org.apache.hadoop.fs.Path(folder, RunFolder.SUCCESS_MARKER)), "the resumed run completes");
        assertEquals(3, metricsLines(folder).size(), "epochs in metrics.jsonl of the resumed run");
    }

    /** The override file every submission ships: data and runs on HDFS, as on a Hadoop cluster. */
    private static List<String> overrides() {
        return List.of(
                "lenet.data.dir = \"" + data + "\"",
                "lenet.output.dir = \"" + runs + "\"",
                "lenet.training.batch-size = 32");
    }

    /** Waits for spark-submit and for the application it submitted, and returns the application's last report. */
    private static ApplicationReport endOf(SparkSubmitProcess submit, String tag) throws Exception {
        ApplicationReport report = cluster.awaitApplication(tag, APPLICATION_TIMEOUT);
        submit.waitForExit();
        return cluster.awaitEnd(report.getApplicationId(), APPLICATION_TIMEOUT);
    }

    private static String describe(ApplicationReport report) {
        return report.getApplicationId() + " name=" + report.getName() + " queue=" + report.getQueue()
                + " state=" + report.getYarnApplicationState() + " finalStatus=" + report.getFinalApplicationStatus()
                + " elapsed=" + (report.getFinishTime() - report.getStartTime()) + "ms"
                + " diagnostics=\"" + report.getDiagnostics() + "\"";
    }

    private static List<String> metricsLines(org.apache.hadoop.fs.Path folder) throws IOException {
        try (InputStream in = hdfs.open(new org.apache.hadoop.fs.Path(folder, RunOutputs.METRICS_JSON))) {
            List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.isBlank()).toList();
            ObjectMapper json = new ObjectMapper();
            for (String line : lines) {
                json.readTree(line);
            }
            return lines;
        }
    }
}
