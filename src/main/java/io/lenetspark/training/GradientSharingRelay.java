package io.lenetspark.training;

import io.lenetspark.model.OpenMpThreads;
import org.apache.spark.TaskContext;
import org.apache.spark.util.LongAccumulator;
import org.apache.spark.util.TaskCompletionListener;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.api.TrainingListener;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one listener that DL4J's gradient sharing is given, standing in for each epoch's own.
 *
 * <p>Gradient sharing keeps one network per executor JVM for the whole run: DL4J builds it when
 * the run's first task arrives, with that epoch's listeners, and trains the same network in every
 * later epoch, ignoring the listeners and the learning rate that later tasks bring. So every
 * epoch's tasks carry a relay, which registers itself under its task when the task brings it
 * ({@link #readObject}). The first relay, the one that stays on the network, takes over at the
 * start of each epoch's fit the relay of the task that runs the fit: it gives the network that
 * relay's learning rate and hands it each iteration. Only that task lives until the fit is over;
 * the JVM's other tasks of the epoch only feed it minibatches and may end first, and counts added
 * to a finished task's accumulators never reach the driver.
 *
 * <p>That one task trains the JVM's only replica, so it also gets all of the JVM's cores as native
 * threads, where parameter averaging runs one task, and one native thread, per core. It also
 * reports how many updates the replica sent in the epoch, which the driver waits to receive.
 */
final class GradientSharingRelay extends BaseTrainingListener implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Per JVM: the relay each running task brought, by task attempt. */
    private static final Map<Long, GradientSharingRelay> BY_TASK = new ConcurrentHashMap<>();

    private final double learningRate;
    private final int nativeThreads;
    private final List<TrainingListener> epochListeners;
    private final LongAccumulator updatesSent;
    /** On the network's relay: the relay of the epoch being fitted. */
    private transient volatile GradientSharingRelay epoch;
    /** On the relay of the epoch being fitted: the updates its network had sent when the fit started. */
    private transient long sentBeforeFit;

    /**
     * @param learningRate   the epoch's learning rate, as the driver set it
     * @param nativeThreads  OpenMP threads for the task that trains, the cores of its JVM
     * @param epochListeners the listeners of the epoch, to run on the workers
     * @param updatesSent    adds up the updates the executors' networks sent in the epoch
     */
    GradientSharingRelay(double learningRate, int nativeThreads, List<TrainingListener> epochListeners,
                         LongAccumulator updatesSent) {
        this.learningRate = learningRate;
        this.nativeThreads = nativeThreads;
        this.epochListeners = List.copyOf(epochListeners);
        this.updatesSent = updatesSent;
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        TaskContext task = TaskContext.get();
        if (task != null) {
            long attempt = task.taskAttemptId();
            BY_TASK.put(attempt, this);
            task.addTaskCompletionListener((TaskCompletionListener) done -> BY_TASK.remove(attempt));
        }
    }

    /** DL4J calls this on the JVM's network at the start of each fit, in the thread of the task that fits. */
    @Override
    public void onEpochStart(Model model) {
        TaskContext task = TaskContext.get();
        GradientSharingRelay fitting = task == null ? this : BY_TASK.getOrDefault(task.taskAttemptId(), this);
        epoch = fitting;
        fitting.sentBeforeFit = GradientSharingUpdates.sentBy(model);
        OpenMpThreads.use(fitting.nativeThreads);
        if (model instanceof MultiLayerNetwork network) {
            network.setLearningRate(fitting.learningRate);
        }
        fitting.epochListeners.forEach(listener -> listener.onEpochStart(model));
    }

    private List<TrainingListener> epochListeners() {
        GradientSharingRelay fitting = epoch;
        return (fitting == null ? this : fitting).epochListeners;
    }

    @Override
    public void iterationDone(Model model, int iteration, int epochCount) {
        for (TrainingListener listener : epochListeners()) {
            listener.iterationDone(model, iteration, epochCount);
        }
    }

    @Override
    public void onEpochEnd(Model model) {
        GradientSharingRelay fitting = epoch == null ? this : epoch;
        fitting.updatesSent.add(GradientSharingUpdates.sentBy(model) - fitting.sentBeforeFit);
        fitting.epochListeners.forEach(listener -> listener.onEpochEnd(model));
    }
}
