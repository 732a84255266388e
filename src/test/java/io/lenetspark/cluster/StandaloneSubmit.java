package io.lenetspark.cluster;

import io.lenetspark.SparkSubmitProcess;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The job submitted to a {@link StandaloneCluster} with {@code submit/standalone.sh}, as users submit
 * it, sized for the test machine: one 1-core executor per Worker, small heaps. Each submission gets
 * its own {@code SPARK_CONF_DIR} whose {@code spark-defaults.conf} turns on the event log.
 */
public final class StandaloneSubmit {

    private StandaloneSubmit() {
    }

    /** Starts the job; {@code work} receives {@code submit.log} and the event log under {@code events}. */
    public static SparkSubmitProcess start(StandaloneCluster cluster, Path work, String... jobArgs)
            throws IOException, InterruptedException {
        return start(cluster, work, List.of("spark.ui.enabled false"), jobArgs);
    }

    /** Starts the job with more {@code spark-defaults.conf} lines ("key value"). */
    public static SparkSubmitProcess start(StandaloneCluster cluster, Path work, List<String> sparkDefaults,
                                           String... jobArgs) throws IOException, InterruptedException {
        Path events = Files.createDirectories(work.resolve("events"));
        Path conf = Files.createDirectories(work.resolve("spark-conf"));
        List<String> defaults = new ArrayList<>(List.of("spark.eventLog.enabled true", "spark.eventLog.dir " + events.toUri()));
        defaults.addAll(sparkDefaults);
        Files.write(conf.resolve("spark-defaults.conf"), defaults);
        Files.copy(SparkSubmitProcess.sparkHome().resolve("conf").resolve("log4j2.properties"),
                conf.resolve("log4j2.properties"));

        List<String> command = new ArrayList<>(List.of("submit/standalone.sh"));
        command.addAll(List.of(jobArgs));
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.put("SPARK_MASTER_URL", cluster.masterUrl());
        env.put("SPARK_CONF_DIR", conf.toString());
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        env.put("LENET_JAR", SparkSubmitProcess.JOB_JAR.toString());
        env.put("LENET_TOTAL_CORES", "2");
        env.put("LENET_EXECUTOR_CORES", "1");
        env.put("LENET_DRIVER_MEMORY", "2g");
        env.put("LENET_EXECUTOR_MEMORY", "1g");
        env.put("LENET_EXECUTOR_OFFHEAP", "1g");
        env.put("OMP_NUM_THREADS", "1");
        return SparkSubmitProcess.start(builder, work.resolve("submit.log"));
    }

    public static Path eventLogDir(Path work) {
        return work.resolve("events");
    }
}
