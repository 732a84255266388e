package io.lenetspark.training;

import io.lenetspark.config.ProgressSettings;
import io.lenetspark.config.TrainingSettings;
import io.lenetspark.failure.Causes;
import io.lenetspark.failure.TrainingDivergedException;
import io.lenetspark.failure.TrainingInvariantException;
import io.lenetspark.failure.TrainingStalledException;
import io.lenetspark.model.Minibatches;
import io.lenetspark.model.OneDnnLayerHelpers;
import io.lenetspark.util.SparkJobGroup;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Trains epoch by epoch with a DL4J TrainingMaster, and between epochs, on the driver, scores the
 * network on validation data and applies reduce-on-plateau and early stopping.
 *
 * <p>{@link TrainingMasters} decides how long a TrainingMaster lives and how each epoch's learning
 * rate reaches the workers.
 */
public final class EpochTrainer {

    /** The Spark job group of each epoch's training, which a stall cancels. */
    private static final String TRAIN_JOB_GROUP = "train";

    /** How training ended. */
    public record Result(List<EpochMetrics> epochs, boolean stoppedEarly, int bestEpoch, double bestValAccuracy) {
    }

    /** The work of one run, fixed before training starts. */
    public record Plan(Dataset<Row> trainingRows, long trainingExamples, int workers, int executorJvms, int partitions,
                       String controllerHost, long seed) {
    }

    private final JavaSparkContext sc;
    private final TrainingSettings settings;
    private final Validation validation;
    private final ProgressSettings progress;
    private final WorkerLayerHelpers workerHelpers;

    /** @param progress how often to log progress within an epoch, and when an epoch counts as stalled */
    public EpochTrainer(JavaSparkContext sc, TrainingSettings settings, Validation validation,
                        ProgressSettings progress) {
        this.sc = sc;
        this.settings = settings;
        this.validation = validation;
        this.progress = progress;
        this.workerHelpers = new WorkerLayerHelpers(sc.sc(), settings.oneDnnLayerHelpers());
    }

    /** Sees each epoch's metrics and the state after it, as soon as they exist. */
    @FunctionalInterface
    public interface EpochListener {
        void onEpochEnd(EpochMetrics metrics, TrainingState state);
    }

    /**
     * Trains {@code network} in place from {@code start}: {@link TrainingState#initial} for a new
     * run, a checkpoint's state for a resumed one (whose network holds that checkpoint's model).
     */
    public Result train(MultiLayerNetwork network, Plan plan, TrainingState start, EpochListener listener) {
        if (settings.oneDnnLayerHelpers()) {
            OneDnnLayerHelpers.log(network);
        }
        ReduceLrOnPlateau plateau = new ReduceLrOnPlateau(settings.reduceLrOnPlateau(), start.plateau());
        EarlyStopping stopping = new EarlyStopping(settings.earlyStopping(), start.earlyStopping());
        List<EpochMetrics> epochs = new ArrayList<>(start.epochs());
        boolean stoppedEarly = start.stopRequested();
        try (Session session = session(network, plan)) {
            for (int epoch = epochs.size() + 1; epoch <= settings.epochs() && !stoppedEarly; epoch++) {
                EpochMetrics metrics = session.runEpoch(epoch, plateau.learningRate());
                epochs.add(metrics);
                plateau.onEpochEnd(metrics.valAccuracy());
                stoppedEarly = stopping.onEpochEnd(epoch, metrics.valAccuracy()) && epoch < settings.epochs();
                listener.onEpochEnd(metrics, new TrainingState(epochs, plateau.state(), stopping.state(), stoppedEarly));
            }
        }
        return new Result(List.copyOf(epochs), stoppedEarly, stopping.bestEpoch(), stopping.best());
    }

    /** Starts training {@code network} in place; close the session after its last epoch. */
    Session session(MultiLayerNetwork network, Plan plan) {
        return new Session(network, plan, TrainingMasters.forRun(sc, settings, network, plan.workers(),
                plan.executorJvms(), plan.seed(), plan.controllerHost(), progress.stallTimeout()));
    }

    /** The epochs of one run, trained one after the other into one network. */
    final class Session implements AutoCloseable {

        private final MultiLayerNetwork network;
        private final Plan plan;
        private final TrainingMasters.EpochFit fit;

        private Session(MultiLayerNetwork network, Plan plan, TrainingMasters.EpochFit fit) {
            this.network = network;
            this.plan = plan;
            this.fit = fit;
        }

        /** Trains one epoch at {@code learningRate}, then scores the network on validation data. */
        EpochMetrics runEpoch(int epoch, double learningRate) {
            String label = "epoch " + epoch + "/" + settings.epochs();
            // Parameter averaging broadcasts it; checkpoints and a resumed run start from it.
            network.setLearningRate(learningRate);
            TrainingLossListener loss = new TrainingLossListener(sc.sc(), label);
            double seconds;
            try (SparkJobGroup group = SparkJobGroup.start(sc.sc(), TRAIN_JOB_GROUP, "TRAIN " + label)) {
                seconds = fitOnePass(network, fit, plan, epoch, learningRate, loss);
            }
            Validation.Score validated;
            try (SparkJobGroup group = SparkJobGroup.start(sc.sc(), "evaluate", "EVAL validation, " + label)) {
                validated = validation.score(network);
            }
            return new EpochMetrics(epoch, seconds, loss.images() / seconds, loss.meanLoss(),
                    validated.loss(), validated.accuracy(), learningRate);
        }

        @Override
        public void close() {
            fit.close();
        }
    }

    /** Fits every training minibatch once and checks what was fitted; returns the pass's wall time in seconds. */
    private double fitOnePass(MultiLayerNetwork network, TrainingMasters.EpochFit fit, Plan plan, int epoch,
                              double learningRate, TrainingLossListener loss) {
        long start = System.nanoTime();
        JavaRDD<DataSet> minibatches = Minibatches.shuffled(plan.trainingRows(), plan.partitions(),
                settings.batchSize(), plan.seed(), epoch);
        EpochProgress epochProgress = EpochProgress.start(sc.sc(), loss, "Epoch " + epoch + "/" + settings.epochs(),
                plan.trainingExamples(), settings.batchSize(), progress.interval(), TRAIN_JOB_GROUP,
                progress.stallTimeout());
        try {
            fit.fit(minibatches, epoch, learningRate, List.of(loss, workerHelpers));
            workerHelpers.logNewReports();
        } catch (Exception e) {
            // Exception, not RuntimeException: Spark's SparkException is checked, and Scala throws it undeclared.
            Optional<String> stall = epochProgress.stall();
            if (stall.isPresent()) {
                throw stalled(epoch, stall.get(), e);
            }
            // A worker's divergence, which Spark wraps a few causes deep, as the message the user acts on.
            Optional<TrainingDivergedException> worker = Causes.find(e, TrainingDivergedException.class);
            if (worker.isPresent()) {
                throw diverged(epoch, worker.get().getMessage() + " on a worker", learningRate, e);
            }
            throw e;
        } finally {
            epochProgress.close();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        requireEveryImageFitted(epoch, loss.images(), loss.minibatches(), plan.trainingExamples());
        requireFiniteParameters(network, epoch, learningRate);
        minibatches.unpersist(false);
        return seconds;
    }

    /**
     * Every training image must have been fitted once: an epoch that fitted fewer (or none, when the
     * split or the minibatches came out empty) would still produce a model, a validation accuracy
     * and an images-per-second figure, all of them wrong.
     */
    static void requireEveryImageFitted(int epoch, long fittedImages, long fittedMinibatches, long trainingImages) {
        if (fittedImages < trainingImages) {
            throw new TrainingInvariantException(String.format(Locale.ROOT, "Epoch %d fitted %d of the %d training "
                    + "images (%d minibatches), so its model and metrics would not be those of the data. No checkpoint "
                    + "was written for it; the log above says which Spark tasks ran. Check lenet.data.partitions and "
                    + "lenet.training.workers against the size of the training data.",
                    epoch, fittedImages, trainingImages, fittedMinibatches));
        }
    }

    /**
     * Checked before the epoch's checkpoint is written, so that a diverged network never replaces
     * the last good one (e.g. when a loss stayed finite but an averaging round produced NaN).
     */
    private static void requireFiniteParameters(MultiLayerNetwork network, int epoch, double learningRate) {
        double sum = network.params().sumNumber().doubleValue();
        if (!Double.isFinite(sum)) {
            throw diverged(epoch, "the network's parameters became " + sum, learningRate, null);
        }
    }

    private TrainingStalledException stalled(int epoch, String stall, Throwable cause) {
        return new TrainingStalledException(String.format(Locale.ROOT, "Training stalled: %s, longer than "
                + "lenet.progress.stall-timeout (%ds), so its Spark jobs were cancelled. No checkpoint was written for "
                + "epoch %d; the checkpoints of the epochs before stay in the run folder. The executors' logs say where "
                + "they waited; with gradient-sharing, check that every executor reaches the driver over UDP "
                + "(lenet.training.gradient-sharing.controller-address and network-mask, docs/clusters.md).",
                stall, progress.stallTimeout().toSeconds(), epoch), cause);
    }

    private static TrainingDivergedException diverged(int epoch, String what, double learningRate, Throwable cause) {
        return new TrainingDivergedException(String.format(Locale.ROOT, "Training diverged in epoch %d: %s, at "
                + "learning rate %s. Lower lenet.training.learning-rate and start a new run; the checkpoints of the "
                + "epochs before stay in the run folder, and no checkpoint was written for epoch %d.",
                epoch, what, learningRate, epoch), cause);
    }
}
