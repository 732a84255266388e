package io.lenetspark.training;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.solvers.accumulation.EncodedGradientsAccumulator;
import org.deeplearning4j.optimize.solvers.accumulation.GradientsAccumulator;
import org.deeplearning4j.spark.parameterserver.networking.v2.UpdatesConsumer;
import org.deeplearning4j.spark.parameterserver.networking.v2.WiredEncodingHandler;
import org.deeplearning4j.spark.parameterserver.training.SharedTrainingMaster;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Counts gradient sharing's updates where DL4J 1.0.0-M2 keeps its own counts, which it does not
 * expose: those an executor's network sent, and those the driver's parameter server received.
 *
 * <p>The driver's network learns only from the updates that reach it over the transport, and
 * DL4J ends an epoch when the executors' tasks end, not when their updates have arrived. A driver
 * busy relaying updates between executors falls behind, and its network (the one validated,
 * checkpointed and published) would miss the end of the epoch, or all of it.
 */
final class GradientSharingUpdates {

    private static final Field SENT = field(WiredEncodingHandler.class, "updatesCounter");
    private static final Field DRIVER_CONSUMER = field(SharedTrainingMaster.class, "updatesConsumer");
    private static final Field RECEIVED = field(UpdatesConsumer.class, "updatesCount");

    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private GradientSharingUpdates() {
    }

    /** Updates that {@code model}, a network gradient sharing trains on an executor, has sent so far. */
    static long sentBy(Model model) {
        GradientsAccumulator accumulator = model instanceof MultiLayerNetwork network
                ? network.getOptimizer().getGradientsAccumulator() : null;
        if (accumulator instanceof EncodedGradientsAccumulator encoded
                && encoded.getHandler() instanceof WiredEncodingHandler handler) {
            return counter(SENT, handler);
        }
        throw new IllegalStateException("A network trained with gradient sharing has no DL4J wired encoding handler; "
                + "this job needs deeplearning4j 1.0.0-M2's gradient sharing");
    }

    /** Updates the driver's parameter server has received so far in this run (0 before the first fit). */
    static long receivedBy(SharedTrainingMaster master) {
        UpdatesConsumer consumer = driverConsumer(master);
        return consumer == null ? 0 : counter(RECEIVED, consumer);
    }

    /**
     * Polls {@code received} until it reaches {@code expected}, or until it has not grown for
     * {@code stallTimeout} (zero: no limit); returns its last value.
     */
    static long awaitReceived(LongSupplier received, long expected, Duration stallTimeout) {
        long count = received.getAsLong();
        long lastArrival = System.nanoTime();
        while (count < expected) {
            if (!stallTimeout.isZero() && System.nanoTime() - lastArrival > stallTimeout.toNanos()) {
                return count;
            }
            LockSupport.parkNanos(POLL_NANOS);
            long now = received.getAsLong();
            if (now > count) {
                count = now;
                lastArrival = System.nanoTime();
            }
        }
        return count;
    }

    /** Applies to the driver's network the updates it has received and not yet applied. */
    static void applyReceived(SharedTrainingMaster master) {
        UpdatesConsumer consumer = driverConsumer(master);
        if (consumer != null) {
            consumer.flush();
        }
    }

    private static UpdatesConsumer driverConsumer(SharedTrainingMaster master) {
        try {
            return (UpdatesConsumer) DRIVER_CONSUMER.get(master);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long counter(Field field, Object owner) {
        try {
            return ((AtomicLong) field.get(owner)).get();
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Field field(Class<?> owner, String name) {
        try {
            Field field = owner.getDeclaredField(name);
            field.setAccessible(true);
            return field;
        } catch (NoSuchFieldException e) {
            throw new ExceptionInInitializerError("DL4J's " + owner.getSimpleName() + " has no field " + name
                    + ": this job needs deeplearning4j 1.0.0-M2");
        }
    }
}
