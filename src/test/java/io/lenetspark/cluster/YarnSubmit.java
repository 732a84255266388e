package io.lenetspark.cluster;

import io.lenetspark.SparkSubmitProcess;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The job submitted to a {@link HadoopCluster}'s YARN with {@code submit/yarn.sh}, as users submit it,
 * sized for the test machine: two 1-core executors, small heaps. Each submission gets its own
 * {@code SPARK_CONF_DIR}, whose {@code spark-defaults.conf} holds what a cluster's Spark installation
 * would: where the nodes find Spark's jars and Java, the event log, and a tag to find the application by.
 */
public final class YarnSubmit {

    public enum DeployMode { CLUSTER, CLIENT }

    private YarnSubmit() {
    }

    /**
     * Starts the job; {@code work} receives {@code submit.log}, the override file {@code yarn.conf}
     * (the given lines) and the event log under {@code events}. The application carries the tag {@code tag}.
     */
    public static SparkSubmitProcess start(HadoopCluster cluster, Path work, DeployMode mode, String tag,
                                           List<String> overrides, String... jobArgs)
            throws IOException, InterruptedException {
        Path sparkHome = SparkSubmitProcess.sparkHome();
        String javaHome = System.getProperty("java.home");
        List<String> defaults = new ArrayList<>(List.of(
                "spark.yarn.jars local:" + sparkHome.resolve("jars") + "/*",
                "spark.yarn.appMasterEnv.JAVA_HOME " + javaHome,
                "spark.executorEnv.JAVA_HOME " + javaHome,
                "spark.yarn.tags " + tag,
                "spark.ui.enabled false"));
        // Containers do not inherit the NodeManager's environment: the build's JVM options (pom.xml) are passed on.
        String jvmOptions = System.getenv("JAVA_TOOL_OPTIONS");
        if (jvmOptions != null && !jvmOptions.isBlank()) {
            defaults.add("spark.yarn.appMasterEnv.JAVA_TOOL_OPTIONS " + jvmOptions);
            defaults.add("spark.executorEnv.JAVA_TOOL_OPTIONS " + jvmOptions);
        }
        Path overrideFile = Files.write(Files.createDirectories(work).resolve("yarn.conf"), overrides);

        ProcessBuilder builder = ScriptSubmission.prepare(work, "submit/yarn.sh", defaults, jobArgs);
        Map<String, String> env = builder.environment();
        env.put("HADOOP_CONF_DIR", cluster.confDir().toString());
        env.put("LENET_DEPLOY_MODE", mode.name().toLowerCase());
        env.put("LENET_CONFIG", overrideFile.toString());
        env.put("LENET_EXECUTORS", "2");
        env.put("LENET_DRIVER_MEMORY", "1g");
        env.put("LENET_DRIVER_OFFHEAP", "512m");
        return SparkSubmitProcess.start(builder, work.resolve("submit.log"));
    }

    public static Path eventLogDir(Path work) {
        return ScriptSubmission.eventLogDir(work);
    }
}
