package io.lenetspark.cluster;

import io.lenetspark.SparkSubmitProcess;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Spark standalone cluster on 127.0.0.1, started with {@code submit/standalone-cluster.sh}: one
 * Master and some Workers, each its own JVM. Workers launch their executors as child JVMs.
 */
public final class StandaloneCluster implements AutoCloseable {

    private static final Pattern WORKER_DIR = Pattern.compile("--work-dir \\S*/worker-(\\d+)");

    private final Path work;
    private final Process launcher;
    private final String masterUrl;

    private StandaloneCluster(Path work, Process launcher, String masterUrl) {
        this.work = work;
        this.launcher = launcher;
        this.masterUrl = masterUrl;
    }

    /**
     * Starts a Master and {@code workers} Workers of {@code coresPerWorker} cores and
     * {@code memoryPerWorker} (e.g. "2g") for executors; returns once every Worker is ALIVE.
     */
    public static StandaloneCluster start(Path work, int workers, int coresPerWorker, String memoryPerWorker)
            throws IOException, InterruptedException {
        Files.createDirectories(work);
        ProcessBuilder builder = new ProcessBuilder("submit/standalone-cluster.sh", work.toString(),
                Integer.toString(workers), Integer.toString(coresPerWorker), memoryPerWorker)
                .redirectError(work.resolve("launcher.log").toFile());
        Map<String, String> env = builder.environment();
        env.put("SPARK_HOME", SparkSubmitProcess.sparkHome().toString());
        Process launcher = builder.start();
        BufferedReader out = new BufferedReader(
                new InputStreamReader(launcher.getInputStream(), StandardCharsets.UTF_8));
        String masterUrl = null;
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith("master-url ")) {
                masterUrl = line.substring("master-url ".length());
            } else if (line.startsWith("web-ui ") && masterUrl != null) {
                return new StandaloneCluster(work, launcher, masterUrl);
            }
        }
        StandaloneCluster failed = new StandaloneCluster(work, launcher, masterUrl);
        failed.close();
        throw new IllegalStateException("the standalone cluster did not start: " + failed.log("launcher")
                + failed.log("master"));
    }

    /** {@code spark://127.0.0.1:<port>}, the value of {@code --master}. */
    public String masterUrl() {
        return masterUrl;
    }

    /** The executor JVMs the Workers run now ({@code CoarseGrainedExecutorBackend}), per Worker in order. */
    public List<List<ProcessHandle>> executorsPerWorker() {
        return launcher.descendants()
                .filter(p -> commandLine(p).contains("org.apache.spark.deploy.worker.Worker"))
                .sorted(Comparator.comparingInt(StandaloneCluster::workerNumber))
                .map(worker -> worker.children()
                        .filter(p -> commandLine(p).contains("CoarseGrainedExecutorBackend"))
                        .toList())
                .toList();
    }

    /** The log of a daemon: "master", "worker-1", ..., or of the launcher: "launcher". */
    public String log(String name) {
        try {
            return Files.readString(work.resolve(name + ".log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Stops every JVM of the cluster without waiting for a graceful shutdown. */
    @Override
    public void close() {
        List<ProcessHandle> daemons = launcher.descendants().toList();
        launcher.destroy();
        try {
            launcher.waitFor(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        daemons.forEach(ProcessHandle::destroyForcibly);
    }

    private static String commandLine(ProcessHandle process) {
        return process.info().commandLine().orElse("");
    }

    private static int workerNumber(ProcessHandle worker) {
        Matcher dir = WORKER_DIR.matcher(commandLine(worker));
        return dir.find() ? Integer.parseInt(dir.group(1)) : Integer.MAX_VALUE;
    }
}
