package io.lenetspark.training;

import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.WorkerConfiguration;
import org.deeplearning4j.spark.api.worker.NetBroadcastTuple;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingWorker;

/**
 * DL4J's parameter averaging, with workers that fit every minibatch they are given.
 *
 * <p>DL4J 1.0.0-M2 splits an epoch into {@code floor(minibatches / (workers x frequency))}
 * averaging rounds, spreading each partition's minibatches evenly over them, and then lets each
 * worker fit at most {@code averaging-frequency} minibatches per round, dropping the rest without
 * a word: 2 minibatches per epoch on the full training set, 6 of 16 on 1,800 images. Here a
 * worker fits all of its share (one or two more than the frequency in some rounds), so an epoch
 * is one whole pass over the training data.
 */
final class FullPassParameterAveraging extends ParameterAveragingTrainingMaster {

    /** {@code maxBatchesPerWorker} of 0 means no limit in DL4J's worker loop. */
    private static final int EVERY_MINIBATCH = 0;

    FullPassParameterAveraging(Builder builder) {
        super(builder);
    }

    /** As DL4J's own, but for the limit on minibatches per round (and without training statistics). */
    @Override
    public ParameterAveragingTrainingWorker getWorkerInstance(SparkDl4jMultiLayer sparkNetwork) {
        MultiLayerNetwork network = sparkNetwork.getNetwork();
        NetBroadcastTuple tuple = new NetBroadcastTuple(network.getLayerWiseConfigurations(), network.params(),
                network.getUpdater().getStateViewArray());
        Broadcast<NetBroadcastTuple> broadcast = sparkNetwork.getSparkContext().broadcast(tuple);
        WorkerConfiguration configuration = new WorkerConfiguration(false, rddDataSetNumExamples, batchSizePerWorker,
                EVERY_MINIBATCH, prefetchNumBatches, collectTrainingStats);
        return new ParameterAveragingTrainingWorker(broadcast, saveUpdater, configuration, trainingHookList, listeners,
                getRouterProvider());
    }
}
