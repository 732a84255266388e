package io.lenetspark.training;

import io.lenetspark.failure.TrainingDivergedException;
import org.apache.spark.SparkContext;
import org.apache.spark.util.DoubleAccumulator;
import org.apache.spark.util.LongAccumulator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;

import java.io.Serializable;

/**
 * Runs on the workers and adds each minibatch's loss and size to Spark accumulators, so the driver
 * can report the epoch's mean training loss as Keras does (the mean of the minibatch losses) and
 * check that the epoch fitted every training image. Spark applies a task's updates once, when
 * it succeeds, so a retried task is not counted twice. A loss
 * or parameters that are not finite numbers fail the task at once, which stops the epoch's Spark
 * job: the network has diverged, and every later minibatch would be wasted work.
 */
public final class TrainingLossListener extends BaseTrainingListener implements Serializable {

    private final DoubleAccumulator lossSum;
    private final LongAccumulator minibatches;
    private final LongAccumulator images;

    public TrainingLossListener(SparkContext sc, String name) {
        this.lossSum = sc.doubleAccumulator(name + " loss sum");
        this.minibatches = sc.longAccumulator(name + " minibatches");
        this.images = sc.longAccumulator(name + " images");
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        double loss = model.score();
        if (!Double.isFinite(loss)) {
            throw new TrainingDivergedException("the loss became " + loss);
        }
        // At learning rate 1e6 the parameters turned NaN while every minibatch loss stayed finite.
        double parameters = model.params().sumNumber().doubleValue();
        if (!Double.isFinite(parameters)) {
            throw new TrainingDivergedException("the network's parameters became " + parameters);
        }
        lossSum.add(loss);
        minibatches.add(1);
        images.add(model.batchSize());
    }

    /** Mean minibatch loss so far, or NaN when no minibatch was reported. */
    public double meanLoss() {
        return minibatches.value() == 0 ? Double.NaN : lossSum.value() / minibatches.value();
    }

    /** Minibatches of the tasks that have finished; running tasks report theirs in heartbeats. */
    public long minibatches() {
        return minibatches.value();
    }

    /** Images in the minibatches of the tasks that have finished: what the epoch really fitted. */
    public long images() {
        return images.value();
    }

    /** The id under which running tasks report their minibatch count. */
    public long minibatchesAccumulatorId() {
        return minibatches.id();
    }
}
