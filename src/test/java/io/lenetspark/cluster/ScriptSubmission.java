package io.lenetspark.cluster;

import io.lenetspark.SparkSubmitProcess;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What every test submission through a cluster script shares: a {@code SPARK_CONF_DIR} of its own,
 * whose {@code spark-defaults.conf} turns on the event log, and an environment that points the
 * script at the packaged jar with one-core executors of 1g heap and 1g off-heap.
 */
final class ScriptSubmission {

    private ScriptSubmission() {
    }

    /**
     * The script's process, not yet started, in {@code work}: {@code work/events} receives the event
     * log, {@code sparkDefaults} ("key value") go in {@code spark-defaults.conf} after it.
     */
    static ProcessBuilder prepare(Path work, String script, List<String> sparkDefaults, String... jobArgs)
            throws IOException, InterruptedException {
        Path events = Files.createDirectories(eventLogDir(work));
        Path conf = Files.createDirectories(work.resolve("spark-conf"));
        List<String> defaults = new ArrayList<>(List.of("spark.eventLog.enabled true", "spark.eventLog.dir " + events.toUri()));
        defaults.addAll(sparkDefaults);
        Files.write(conf.resolve("spark-defaults.conf"), defaults);
        Files.copy(SparkSubmitProcess.sparkHome().resolve("conf").resolve("log4j2.properties"),
                conf.resolve("log4j2.properties"));

        List<String> command = new ArrayList<>(List.of(script));
        command.addAll(List.of(jobArgs));
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.put("SPARK_CONF_DIR", conf.toString());
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        env.put("LENET_JAR", SparkSubmitProcess.JOB_JAR.toString());
        env.put("LENET_EXECUTOR_CORES", "1");
        env.put("LENET_EXECUTOR_MEMORY", "1g");
        env.put("LENET_EXECUTOR_OFFHEAP", "1g");
        env.put("OMP_NUM_THREADS", "1");
        return builder;
    }

    static Path eventLogDir(Path work) {
        return work.resolve("events");
    }
}
