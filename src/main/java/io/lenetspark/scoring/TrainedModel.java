package io.lenetspark.scoring;

import io.lenetspark.model.OneDnnLayerHelpers;
import io.lenetspark.model.OpenMpThreads;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A run's model, shipped to the executors once as the bytes of its {@code model.zip} and loaded
 * once per JVM: each task that scores borrows its own copy of the loaded network (a network is
 * not safe to share between threads) and gives it back for the JVM's next task.
 */
public final class TrainedModel implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(TrainedModel.class);

    /** Per JVM: the networks of each model, by its key. */
    private static final Map<String, Copies> LOADED = new ConcurrentHashMap<>();
    /** Per thread: whether OMP_NUM_THREADS has been applied to it. */
    private static final ThreadLocal<Boolean> NATIVE_THREADS_SET = ThreadLocal.withInitial(() -> false);

    private final String key;
    private final String run;
    private final Broadcast<byte[]> modelZip;
    private final boolean oneDnnLayerHelpers;

    private TrainedModel(String key, String run, Broadcast<byte[]> modelZip, boolean oneDnnLayerHelpers) {
        this.key = key;
        this.run = run;
        this.modelZip = modelZip;
        this.oneDnnLayerHelpers = oneDnnLayerHelpers;
    }

    /** @param oneDnnLayerHelpers score with oneDNN's layers, as training does by default */
    public static TrainedModel broadcast(JavaSparkContext sc, TrainedRun run, boolean oneDnnLayerHelpers) {
        return new TrainedModel(UUID.randomUUID().toString(), run.location(), sc.broadcast(run.modelZip()),
                oneDnnLayerHelpers);
    }

    /** A network of this model for the calling thread alone, until it is {@linkplain #giveBack given back}. */
    MultiLayerNetwork borrow() {
        // Once per thread: the SQL functions borrow for every row.
        if (!NATIVE_THREADS_SET.get()) {
            OpenMpThreads.useConfigured();
            NATIVE_THREADS_SET.set(true);
        }
        Copies copies = LOADED.computeIfAbsent(key, unused -> new Copies(load()));
        MultiLayerNetwork idle = copies.idle.poll();
        return idle != null ? idle : copies.loaded.clone();
    }

    void giveBack(MultiLayerNetwork network) {
        Copies copies = LOADED.get(key);
        if (copies != null) {
            copies.idle.add(network);
        }
    }

    /** Frees the broadcast and this JVM's copies once nothing scores with the model any more. */
    public void destroy() {
        LOADED.remove(key);
        modelZip.destroy();
    }

    private MultiLayerNetwork load() {
        if (oneDnnLayerHelpers) {
            OneDnnLayerHelpers.enable();
        }
        try {
            MultiLayerNetwork network = ModelSerializer.restoreMultiLayerNetwork(
                    new ByteArrayInputStream(modelZip.value()), false);
            LOG.info("Loaded the model of run {} in this JVM", run);
            return network;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot load the model of run " + run, e);
        }
    }

    private static final class Copies {
        private final MultiLayerNetwork loaded;
        private final Queue<MultiLayerNetwork> idle = new ConcurrentLinkedQueue<>();

        Copies(MultiLayerNetwork loaded) {
            this.loaded = loaded;
            idle.add(loaded);
        }
    }
}
