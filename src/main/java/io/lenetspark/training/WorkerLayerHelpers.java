package io.lenetspark.training;

import io.lenetspark.model.OneDnnLayerHelpers;
import io.lenetspark.model.OpenMpThreads;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkEnv;
import org.apache.spark.util.CollectionAccumulator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A listener that travels with DL4J's training workers to the executors, to give their networks
 * oneDNN layer helpers and to tell the driver that they have them.
 *
 * <p>DL4J builds each worker's network inside the training task, from the broadcast configuration
 * and parameters, after Spark has deserialised the task and with it this listener. So
 * {@link #readObject} switches the helpers on in every executor JVM before DL4J builds a network
 * there, whatever started the JVM: no launch script (submit/, spark-defaults, an Airflow DAG, a
 * notebook's session) has to pass the system property in {@code spark.executor.extraJavaOptions}.
 * It serves both TrainingMasters: each ships its listeners with the worker it sends to the tasks.
 * It also gives the task's thread its configured OpenMP threads back ({@link OpenMpThreads}).
 *
 * <p>At a worker's first iteration it reports which helpers the worker's network has; the driver
 * logs each executor's report once ({@link #logNewReports}).
 */
public final class WorkerLayerHelpers extends BaseTrainingListener implements Serializable {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerLayerHelpers.class);

    /** The helpers of one worker's network, on the executor that trained it. */
    public record Report(String executorId, String host, OneDnnLayerHelpers.Summary helpers) implements Serializable {
    }

    private final CollectionAccumulator<Report> reports;
    private final boolean enableHelpers;
    /** Driver side only: the reports already logged. */
    private final transient Set<Report> logged = new HashSet<>();
    /** Executor side: each task's copy reports once. */
    private transient volatile boolean reported;

    /** @param enableHelpers switch the helpers on in the executors ({@code lenet.training.onednn-layer-helpers}) */
    public WorkerLayerHelpers(SparkContext sc, boolean enableHelpers) {
        this.reports = sc.collectionAccumulator("oneDNN layer helpers of the workers");
        this.enableHelpers = enableHelpers;
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        if (enableHelpers) {
            OneDnnLayerHelpers.enable();
        }
        OpenMpThreads.useConfigured();
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        if (enableHelpers && !reported && model instanceof MultiLayerNetwork network) {
            reported = true;
            SparkEnv env = SparkEnv.get();
            reports.add(new Report(env.executorId(), env.blockManager().blockManagerId().host(),
                    OneDnnLayerHelpers.of(network)));
        }
    }

    /** Every report of the tasks that have finished, one per task. */
    public List<Report> reports() {
        return reports.value();
    }

    /** Logs, on the driver, the reports not logged before: normally one per executor, at its first epoch. */
    public void logNewReports() {
        if (!enableHelpers) {
            return;
        }
        for (Report report : reports()) {
            if (!logged.add(report)) {
                continue;
            }
            OneDnnLayerHelpers.Summary helpers = report.helpers();
            if (helpers.inEffect()) {
                LOG.info("oneDNN layer helpers on executor {} ({}): {}", report.executorId(), report.host(), helpers.message());
            } else {
                LOG.warn("oneDNN layer helpers on executor {} ({}): {}", report.executorId(), report.host(), helpers.message());
            }
        }
    }
}
