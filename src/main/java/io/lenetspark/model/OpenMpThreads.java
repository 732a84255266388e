package io.lenetspark.model;

import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Gives the calling thread the OpenMP thread count of {@code OMP_NUM_THREADS} back.
 *
 * <p>ND4J 1.0.0-M2's {@code NativeOpsHolder} ends its start-up with {@code setOmpNumThreads(4)},
 * after it has applied {@code OMP_NUM_THREADS}. OpenMP keeps that setting per thread, so it binds
 * the thread that started ND4J: on an executor, whichever task thread came first, for as long as
 * Spark reuses it. The oneDNN layer helpers run their primitives on that many threads; on one core,
 * four threads halved the images per second of a training probe. So the threads that train or
 * evaluate call this first.
 */
public final class OpenMpThreads {

    private static final String VARIABLE = "OMP_NUM_THREADS";

    private OpenMpThreads() {
    }

    /** Applies {@code OMP_NUM_THREADS} to the calling thread; without it, ND4J's choice stands. */
    public static void useConfigured() {
        String configured = System.getenv(VARIABLE);
        if (configured != null && !configured.isBlank()) {
            use(Integer.parseInt(configured.trim()));
        }
    }

    /** Gives the calling thread {@code threads} OpenMP threads. */
    public static void use(int threads) {
        // Starts ND4J if it has not started in this JVM: its backend loads what NativeOpsHolder needs.
        Nd4j.getBackend();
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
    }
}
