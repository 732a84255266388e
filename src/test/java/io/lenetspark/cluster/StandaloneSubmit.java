package io.lenetspark.cluster;

import io.lenetspark.SparkSubmitProcess;

import java.io.IOException;
import java.nio.file.Path;
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
        ProcessBuilder builder = ScriptSubmission.prepare(work, "submit/standalone.sh", sparkDefaults, jobArgs);
        Map<String, String> env = builder.environment();
        env.put("SPARK_MASTER_URL", cluster.masterUrl());
        env.put("LENET_TOTAL_CORES", "2");
        env.put("LENET_DRIVER_MEMORY", "2g");
        return SparkSubmitProcess.start(builder, work.resolve("submit.log"));
    }

    public static Path eventLogDir(Path work) {
        return ScriptSubmission.eventLogDir(work);
    }
}
