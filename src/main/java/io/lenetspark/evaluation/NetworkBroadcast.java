package io.lenetspark.evaluation;

import io.lenetspark.model.OpenMpThreads;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;

/**
 * The driver's network shipped to executors once, as its configuration and its parameters, so that
 * each partition scores with its own copy.
 *
 * <p>Parameters travel as bytes, never as an INDArray: Spark closes {@link AutoCloseable} values
 * of a broadcast when it cleans the broadcast up, which in local mode would free the driver's own
 * parameter array.
 */
final class NetworkBroadcast implements Serializable {

    private final Broadcast<String> configurationJson;
    private final Broadcast<byte[]> parameters;

    private NetworkBroadcast(Broadcast<String> configurationJson, Broadcast<byte[]> parameters) {
        this.configurationJson = configurationJson;
        this.parameters = parameters;
    }

    static NetworkBroadcast of(JavaSparkContext sc, MultiLayerNetwork network) {
        return new NetworkBroadcast(sc.broadcast(network.getLayerWiseConfigurations().toJson()),
                sc.broadcast(writeParameters(network.params())));
    }

    /** A copy of the network, on an executor. */
    MultiLayerNetwork rebuild() {
        // Helpers, where switched on, are this JVM's since its first training task (WorkerLayerHelpers).
        OpenMpThreads.useConfigured();
        MultiLayerNetwork network = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(configurationJson.value()));
        network.init(readParameters(parameters.value()), false);
        return network;
    }

    /** Frees the broadcasts once the Spark job using them has finished. */
    void destroy() {
        configurationJson.destroy();
        parameters.destroy();
    }

    private static byte[] writeParameters(INDArray parameters) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            Nd4j.write(parameters, new DataOutputStream(bytes));
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot serialise the network's parameters", e);
        }
    }

    private static INDArray readParameters(byte[] bytes) {
        return Nd4j.read(new DataInputStream(new ByteArrayInputStream(bytes)));
    }
}
