package io.lenetspark.evaluation;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Evaluates the current network on a split with Spark: each executor scores its own partitions
 * and only the small per-partition results return to the driver.
 */
public final class DistributedEvaluator {

    private final int classes;

    public DistributedEvaluator(int classes) {
        this.classes = classes;
    }

    public ClassificationReport evaluate(JavaSparkContext sc, MultiLayerNetwork network,
                                         JavaRDD<DataSet> minibatches) {
        NetworkBroadcast broadcast = NetworkBroadcast.of(sc, network);
        try {
            EvaluatePartition.Part total = minibatches
                    .mapPartitions(new EvaluatePartition(broadcast, classes))
                    .reduce(EvaluatePartition.Part::merge);
            double loss = total.examples() == 0 ? Double.NaN : total.lossSum() / total.examples();
            return ClassificationReport.from(total.evaluation(), classes, loss);
        } finally {
            broadcast.destroy();
        }
    }
}
