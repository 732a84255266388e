package io.lenetspark.evaluation;

import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.util.Iterator;
import java.util.List;

/**
 * Scores one partition of minibatches with a copy of the network rebuilt from its configuration
 * and parameters: classification counts and summed cross-entropy, in a single pass.
 *
 * <p>Parameters travel as bytes, never as an INDArray: Spark closes {@link AutoCloseable} values
 * of a broadcast when it cleans the broadcast up, which in local mode would free the driver's own
 * parameter array.
 */
final class EvaluatePartition implements FlatMapFunction<Iterator<DataSet>, EvaluatePartition.Part> {

    /** What one partition contributes. */
    record Part(Evaluation evaluation, double lossSum, long examples) implements Serializable {

        Part merge(Part other) {
            evaluation.merge(other.evaluation);
            return new Part(evaluation, lossSum + other.lossSum, examples + other.examples);
        }
    }

    private final Broadcast<String> configurationJson;
    private final Broadcast<byte[]> parameters;
    private final int classes;

    EvaluatePartition(Broadcast<String> configurationJson, Broadcast<byte[]> parameters, int classes) {
        this.configurationJson = configurationJson;
        this.parameters = parameters;
        this.classes = classes;
    }

    @Override
    public Iterator<Part> call(Iterator<DataSet> minibatches) throws IOException {
        Evaluation evaluation = new Evaluation(classes);
        if (!minibatches.hasNext()) {
            return List.of(new Part(evaluation, 0, 0)).iterator();
        }
        MultiLayerNetwork network = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(configurationJson.value()));
        network.init(readParameters(parameters.value()), false);
        double lossSum = 0;
        long examples = 0;
        while (minibatches.hasNext()) {
            DataSet batch = minibatches.next();
            INDArray output = network.output(batch.getFeatures(), false);
            evaluation.eval(batch.getLabels(), output);
            long n = batch.getFeatures().size(0);
            lossSum += network.score(batch, false) * n;
            examples += n;
        }
        return List.of(new Part(evaluation, lossSum, examples)).iterator();
    }

    static byte[] writeParameters(INDArray parameters) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Nd4j.write(parameters, new DataOutputStream(bytes));
        return bytes.toByteArray();
    }

    private static INDArray readParameters(byte[] bytes) throws IOException {
        return Nd4j.read(new DataInputStream(new ByteArrayInputStream(bytes)));
    }
}
