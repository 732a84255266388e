package io.lenetspark.training;

import io.lenetspark.config.TrainingSettings;
import org.deeplearning4j.optimize.solvers.accumulation.encoding.threshold.AdaptiveThresholdAlgorithm;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.api.TrainingMaster;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.spark.parameterserver.training.SharedTrainingMaster;
import org.nd4j.parameterserver.distributed.conf.VoidConfiguration;
import org.nd4j.parameterserver.distributed.v2.transport.impl.StaticPortSupplier;

import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Creates DL4J TrainingMasters from the settings. Both train straight from the RDD
 * ({@code Direct}): the Export approach needs a shared file system even on one machine, and the
 * minibatches are already persisted by {@link io.lenetspark.model.Minibatches}.
 */
public final class TrainingMasters {

    private TrainingMasters() {
    }

    /**
     * @param workers        model replicas training at once, over all executors
     * @param executorJvms   executor JVMs taking part (1 in local mode)
     * @param seed           seeds the TrainingMaster's own shuffling of minibatches
     * @param controllerHost the driver's address, for gradient sharing when none is configured
     * @param localMode      the tasks run in the driver's JVM ({@code local[*]})
     */
    public static TrainingMaster<?, ?> create(TrainingSettings training, int workers, int executorJvms, long seed,
                                              String controllerHost, boolean localMode) {
        return switch (training.master()) {
            case PARAMETER_AVERAGING -> parameterAveraging(training, workers, seed);
            case GRADIENT_SHARING -> gradientSharing(training, executorJvms, seed, controllerHost, localMode);
        };
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
     * it forever; so the data goes to one task per JVM, which trains one replica with all of the
     * JVM's native threads.
     */
    private static TrainingMaster<?, ?> gradientSharing(TrainingSettings training, int executorJvms, long seed,
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
                .repartitioner(new EpochSessionRepartitioner(UUID.randomUUID().toString(), localMode))
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
