package io.lenetspark.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lenetspark.SparkSubmitProcess;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;

/**
 * A Spark standalone cluster on 127.0.0.1: one Master and some Workers, each its own JVM started
 * with the assembled Spark home's {@code bin/spark-class}, as {@code sbin/start-master.sh} and
 * {@code sbin/start-worker.sh} do. Workers launch their executors as child JVMs.
 */
public final class StandaloneCluster implements AutoCloseable {

    private static final String HOST = "127.0.0.1";
    private static final long START_TIMEOUT_SECONDS = 120;

    private final Path work;
    private final int masterPort;
    private final int masterWebUiPort;
    private final Process master;
    private final List<Process> workers = new ArrayList<>();
    private final ObjectMapper json = new ObjectMapper();

    private StandaloneCluster(Path work, int masterPort, int masterWebUiPort, Process master) {
        this.work = work;
        this.masterPort = masterPort;
        this.masterWebUiPort = masterWebUiPort;
        this.master = master;
    }

    /**
     * Starts a Master and {@code workers} Workers of {@code coresPerWorker} cores and
     * {@code memoryPerWorker} (e.g. "2g") for executors, and waits until every Worker is ALIVE.
     */
    public static StandaloneCluster start(Path work, int workers, int coresPerWorker, String memoryPerWorker)
            throws IOException, InterruptedException {
        Files.createDirectories(work);
        int port = freePort();
        int webUiPort = freePort();
        Process master = daemon(work, "master", "org.apache.spark.deploy.master.Master",
                "--host", HOST, "--port", Integer.toString(port), "--webui-port", Integer.toString(webUiPort));
        StandaloneCluster cluster = new StandaloneCluster(work, port, webUiPort, master);
        try {
            for (int i = 1; i <= workers; i++) {
                Path workDir = Files.createDirectories(work.resolve("worker-" + i));
                cluster.workers.add(daemon(work, "worker-" + i, "org.apache.spark.deploy.worker.Worker",
                        "--host", HOST, "--port", Integer.toString(freePort()),
                        "--webui-port", Integer.toString(freePort()),
                        "--cores", Integer.toString(coresPerWorker), "--memory", memoryPerWorker,
                        "--work-dir", workDir.toString(), cluster.masterUrl()));
            }
            cluster.awaitAliveWorkers(workers);
            return cluster;
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
    }

    /** {@code spark://127.0.0.1:<port>}, the value of {@code --master}. */
    public String masterUrl() {
        return "spark://" + HOST + ":" + masterPort;
    }

    /** The Master's JSON status ({@code /json/}): workers, applications, their state. */
    public JsonNode status() throws IOException {
        try (InputStream in = URI.create("http://" + HOST + ":" + masterWebUiPort + "/json/").toURL().openStream()) {
            return json.readTree(in);
        }
    }

    /** The executor JVMs the Workers run now ({@code CoarseGrainedExecutorBackend}), per Worker. */
    public List<List<ProcessHandle>> executorsPerWorker() {
        return workers.stream()
                .map(worker -> worker.descendants()
                        .filter(p -> p.info().commandLine().orElse("").contains("CoarseGrainedExecutorBackend"))
                        .toList())
                .toList();
    }

    /** The log of a daemon: "master", "worker-1", ... */
    public String log(String name) {
        try {
            return Files.readString(work.resolve(name + ".log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Stops every JVM of the cluster, executors first, without waiting for a graceful shutdown. */
    @Override
    public void close() throws InterruptedException {
        List<Process> all = new ArrayList<>(workers);
        all.add(master);
        for (Process process : all) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        for (Process process : all) {
            process.waitFor(1, TimeUnit.MINUTES);
        }
    }

    private void awaitAliveWorkers(int expected) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_SECONDS);
        while (true) {
            if (!master.isAlive() || workers.stream().anyMatch(w -> !w.isAlive())) {
                throw new IllegalStateException("a cluster JVM exited at start: " + log("master") + log("worker-1"));
            }
            long alive = 0;
            try {
                alive = StreamSupport.stream(status().path("workers").spliterator(), false)
                        .filter(w -> "ALIVE".equals(w.path("state").asText())).count();
            } catch (IOException notUpYet) {
                // The Master's web UI is not listening yet.
            }
            if (alive == expected) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(alive + " of " + expected + " workers ALIVE after "
                        + START_TIMEOUT_SECONDS + " s: " + log("master"));
            }
            Thread.sleep(500);
        }
    }

    /**
     * One daemon JVM through {@code bin/spark-class}, whose launcher picks the class path
     * ({@code jars/}, {@code conf/}) and the daemon options from the environment.
     */
    private static Process daemon(Path work, String name, String mainClass, String... args)
            throws IOException, InterruptedException {
        Path sparkHome = SparkSubmitProcess.sparkHome();
        List<String> command = new ArrayList<>(List.of(sparkHome.resolve("bin").resolve("spark-class").toString(),
                mainClass));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(work.resolve(name + ".log").toFile());
        Map<String, String> env = builder.environment();
        env.put("SPARK_HOME", sparkHome.toString());
        env.put("SPARK_SCALA_VERSION", "2.12");
        env.put("SPARK_LOCAL_IP", HOST);
        env.put("SPARK_DAEMON_MEMORY", "512m");
        env.put("SPARK_DAEMON_JAVA_OPTS", String.join(" ", Files.readAllLines(Path.of("submit", "java17.args"))));
        return builder.start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
