package io.lenetspark.training;

import io.lenetspark.config.TrainingSettings;
import io.lenetspark.failure.TrainingStalledException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.util.LongAccumulator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.optimize.solvers.accumulation.encoding.threshold.AdaptiveThresholdAlgorithm;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.api.TrainingMaster;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.spark.parameterserver.training.SharedTrainingMaster;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.parameterserver.distributed.conf.VoidConfiguration;
import org.nd4j.parameterserver.distributed.v2.transport.impl.StaticPortSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Fits a run's epochs with the DL4J TrainingMaster that the settings choose. Both train straight
 * from the RDD ({@code Direct}): the Export approach needs a shared file system even on one
 * machine, and the minibatches are already persisted by {@link io.lenetspark.model.Minibatches}.
 *
 * <p>Parameter averaging gets a fresh TrainingMaster per epoch, built from the network as it
 * stands, so each epoch's workers start from the driver's network, learning rate and updater
 * state. Gradient sharing keeps one TrainingMaster for the whole run: each new one would stop and
 * restart the parameter server and its Aeron transport in every JVM, and the executors' training
 * stalls on what the stopped one leaves behind, longer with every epoch.
 */
public final class TrainingMasters {

    private TrainingMasters() {
    }

    /** Fits one epoch's minibatches into the run's network. */
    public interface EpochFit extends AutoCloseable {

        /**
         * Fits every minibatch once at {@code learningRate}, already set on the driver's network,
         * with {@code listeners} on the workers.
         */
        void fit(JavaRDD<DataSet> minibatches, int epoch, double learningRate, List<TrainingListener> listeners);

        /** Releases what the run's training started, once its last epoch is over. */
        @Override
        default void close() {
        }
    }

    /**
     * @param network        the run's network, trained in place
     * @param workers        model replicas training at once, over all executors
     * @param executorJvms   executor JVMs taking part (1 in local mode)
     * @param seed           seeds the TrainingMasters' own shuffling of minibatches
     * @param controllerHost the driver's address, for gradient sharing when none is configured
     * @param stallTimeout   how long gradient sharing's driver may receive no update it still awaits; zero: forever
     */
    public static EpochFit forRun(JavaSparkContext sc, TrainingSettings training, MultiLayerNetwork network,
                                  int workers, int executorJvms, long seed, String controllerHost,
                                  Duration stallTimeout) {
        return switch (training.master()) {
            case PARAMETER_AVERAGING -> (minibatches, epoch, learningRate, listeners) -> {
                TrainingMaster<?, ?> master = parameterAveraging(training, workers, seed + epoch);
                master.setListeners(listeners);
                new SparkDl4jMultiLayer(sc, network, master).fit(minibatches);
            };
            case GRADIENT_SHARING -> new GradientSharingRun(sc, network,
                    gradientSharing(training, executorJvms, seed, controllerHost, sc.isLocal()),
                    Math.max(1, workers / executorJvms), stallTimeout);
        };
    }

    /**
     * One SharedTrainingMaster for all of a run's epochs; see {@link GradientSharingRelay}. An
     * epoch ends once the driver's network has every update the executors sent in it.
     */
    private static final class GradientSharingRun implements EpochFit {

        private static final Logger LOG = LoggerFactory.getLogger(GradientSharingRun.class);

        private final JavaSparkContext sc;
        private final SharedTrainingMaster master;
        private final SparkDl4jMultiLayer sparkNetwork;
        private final int coresPerJvm;
        private final Duration stallTimeout;
        /** Updates the executors sent in this run's epochs so far. */
        private long sent;

        GradientSharingRun(JavaSparkContext sc, MultiLayerNetwork network, SharedTrainingMaster master,
                           int coresPerJvm, Duration stallTimeout) {
            this.sc = sc;
            this.master = master;
            this.coresPerJvm = coresPerJvm;
            this.stallTimeout = stallTimeout;
            this.sparkNetwork = new SparkDl4jMultiLayer(sc, network, master);
        }

        @Override
        public void fit(JavaRDD<DataSet> minibatches, int epoch, double learningRate, List<TrainingListener> listeners) {
            LongAccumulator epochSent = sc.sc().longAccumulator("epoch " + epoch + " gradient-sharing updates sent");
            master.setListeners(List.of(new GradientSharingRelay(learningRate, coresPerJvm, listeners, epochSent)));
            sparkNetwork.fit(minibatches);
            sent += epochSent.value();
            awaitUpdates(epoch, epochSent.value());
            GradientSharingUpdates.applyReceived(master);
        }

        /** Waits until the driver has received every update sent so far, for as long as they keep arriving. */
        private void awaitUpdates(int epoch, long epochSent) {
            long start = System.nanoTime();
            long received = GradientSharingUpdates.awaitReceived(() -> GradientSharingUpdates.receivedBy(master), sent,
                    stallTimeout);
            if (received < sent) {
                throw new TrainingStalledException(String.format(Locale.ROOT, "Gradient sharing stalled: the driver "
                        + "received %,d of the %,d updates the executors sent in epoch %d, and none for longer than "
                        + "lenet.progress.stall-timeout (%ds). Its network would miss them, so no checkpoint was "
                        + "written for epoch %d; the checkpoints of the epochs before stay in the run folder. Check "
                        + "that every executor reaches the driver over UDP (lenet.training.gradient-sharing."
                        + "controller-address and network-mask, docs/clusters.md).",
                        epochSent - (sent - received), epochSent, epoch, stallTimeout.toSeconds(), epoch), null);
            }
            double waited = (System.nanoTime() - start) / 1e9;
            if (waited >= 1) {
                LOG.info(String.format(Locale.ROOT, "Epoch %d: the driver received the executors' last updates "
                        + "%.1fs after their tasks ended (%,d updates in the epoch)", epoch, waited, epochSent));
            }
        }

        /** Stops the driver's parameter server and transport, which a later run in this JVM would restart anyway. */
        @Override
        public void close() {
            ParameterServerShutdown.stop();
        }
    }

    private static TrainingMaster<?, ?> parameterAveraging(TrainingSettings training, int workers, long seed) {
        ParameterAveragingTrainingMaster.Builder builder = new ParameterAveragingTrainingMaster.Builder(workers,
                training.batchSize())
                .batchSizePerWorker(training.batchSize())
                .averagingFrequency(training.parameterAveraging().averagingFrequency())
                .workerPrefetchNumBatches(training.parameterAveraging().prefetchBatches())
                // Without it each averaging round restarts Adam's moment estimates from zero.
                .saveUpdater(true)
                // The minibatches arrive spread evenly over one partition per worker; shuffling
                // them again for every averaging round only costs time.
                .repartionData(Repartition.NumPartitionsWorkersDiffers)
                .rddTrainingApproach(RDDTrainingApproach.Direct)
                .storageLevel(null)
                .rngSeed(seed);
        return new FullPassParameterAveraging(builder);
    }

    /**
     * DL4J's gradient sharing trains with one ParallelWrapper per JVM, fed by the tasks running in
     * it. With two tasks in one JVM a task can arrive after the first has finished and wait for
     * it forever; so the data goes to one task per JVM ({@link GradientSharingRepartitioner}),
     * which trains one replica with all of the JVM's native threads. One replica per core
     * ({@code workersPerNode} above 1, DL4J's ParallelWrapper) was slower on local[2] (34 s against
     * 30 s for the second epoch of the full data) and deadlocked in the third: a new replica copies
     * its updater from the first one's network while that one holds the network's lock and waits
     * for the new replica at the gradient exchange.
     */
    private static SharedTrainingMaster gradientSharing(TrainingSettings training, int executorJvms, long seed,
                                                        String controllerHost, boolean localMode) {
        TrainingSettings.GradientSharing sharing = training.gradientSharing();
        allowAeronToStart(sharing);
        VoidConfiguration.VoidConfigurationBuilder transport = VoidConfiguration.builder()
                .portSupplier(sharing.port() == 0 ? new FreeUdpPortSupplier() : new StaticPortSupplier(sharing.port()))
                .controllerAddress(sharing.controllerAddress().isBlank() ? controllerHost : sharing.controllerAddress());
        if (!sharing.networkMask().isBlank()) {
            transport.networkMask(sharing.networkMask());
        }
        return new SharedTrainingMaster.Builder(transport.build(), executorJvms,
                new AdaptiveThresholdAlgorithm(sharing.threshold()), training.batchSize())
                .batchSizePerWorker(training.batchSize())
                .workersPerNode(1)
                .repartitioner(new GradientSharingRepartitioner(UUID.randomUUID().toString(), localMode))
                .rddTrainingApproach(RDDTrainingApproach.Direct)
                .storageLevel(null)
                .rngSeed(seed)
                .build();
    }

    /**
     * Aeron's media driver, which the driver's JVM starts for gradient sharing, reads this when it
     * starts; below the client liveness timeout the transport fails at start.
     */
    private static void allowAeronToStart(TrainingSettings.GradientSharing sharing) {
        String property = "aeron.publication.unblock.timeout";
        if (System.getProperty(property) == null) {
            System.setProperty(property, Long.toString(TimeUnit.SECONDS.toNanos(sharing.aeronUnblockTimeoutSeconds())));
        }
    }
}
