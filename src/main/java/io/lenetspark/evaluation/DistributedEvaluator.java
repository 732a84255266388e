package io.lenetspark.evaluation;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Evaluates the current network on a split with Spark: each executor scores its own partitions
 * and only the small evaluation objects return to the driver.
 */
public final class DistributedEvaluator {

    private final int batchSize;
    private final int classes;

    public DistributedEvaluator(int batchSize, int classes) {
        this.batchSize = batchSize;
        this.classes = classes;
    }

    public ClassificationReport evaluate(JavaSparkContext sc, MultiLayerNetwork network,
                                         JavaRDD<DataSet> minibatches) {
        // Evaluation only broadcasts the network; it needs no TrainingMaster.
        SparkDl4jMultiLayer distributed = new SparkDl4jMultiLayer(sc, network, null);
        Evaluation evaluation = distributed.doEvaluation(minibatches, batchSize, new Evaluation(classes))[0];
        double loss = distributed.calculateScore(minibatches, true, batchSize);
        return ClassificationReport.from(evaluation, classes, loss);
    }
}
