package io.lenetspark.evaluation;

import org.apache.spark.api.java.function.FlatMapFunction;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.io.Serializable;
import java.util.Iterator;
import java.util.List;

/**
 * Scores one partition of minibatches with a copy of the network: classification counts and
 * summed cross-entropy, in a single pass.
 */
final class EvaluatePartition implements FlatMapFunction<Iterator<DataSet>, EvaluatePartition.Part> {

    /** What one partition contributes. */
    record Part(Evaluation evaluation, double lossSum, long examples) implements Serializable {

        Part merge(Part other) {
            evaluation.merge(other.evaluation);
            return new Part(evaluation, lossSum + other.lossSum, examples + other.examples);
        }
    }

    private final NetworkBroadcast network;
    private final int classes;

    EvaluatePartition(NetworkBroadcast network, int classes) {
        this.network = network;
        this.classes = classes;
    }

    @Override
    public Iterator<Part> call(Iterator<DataSet> minibatches) {
        Evaluation evaluation = new Evaluation(classes);
        if (!minibatches.hasNext()) {
            return List.of(new Part(evaluation, 0, 0)).iterator();
        }
        MultiLayerNetwork copy = network.rebuild();
        double lossSum = 0;
        long examples = 0;
        while (minibatches.hasNext()) {
            DataSet batch = minibatches.next();
            INDArray output = copy.output(batch.getFeatures(), false);
            evaluation.eval(batch.getLabels(), output);
            long n = batch.getFeatures().size(0);
            lossSum += copy.score(batch, false) * n;
            examples += n;
        }
        return List.of(new Part(evaluation, lossSum, examples)).iterator();
    }
}
