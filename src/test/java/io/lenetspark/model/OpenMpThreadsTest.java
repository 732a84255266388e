package io.lenetspark.model;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;

import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;

class OpenMpThreadsTest {

    @Test
    void aThreadThatStartedNd4jGetsTheConfiguredThreadCountBack() throws InterruptedException {
        int configured = Integer.parseInt(System.getenv("OMP_NUM_THREADS"));
        AtomicIntegerArray seen = new AtomicIntegerArray(2);
        Nd4j.getBackend();
        Thread thread = new Thread(() -> {
            NativeOps nativeOps = NativeOpsHolder.getInstance().getDeviceNativeOps();
            // What ND4J 1.0.0-M2's start-up leaves on the thread that runs it.
            nativeOps.setOmpNumThreads(configured + 3);
            seen.set(0, nativeOps.ompGetMaxThreads());
            OpenMpThreads.useConfigured();
            seen.set(1, nativeOps.ompGetMaxThreads());
        });
        thread.start();
        thread.join();

        assertEquals(configured + 3, seen.get(0), "OpenMP threads of the thread after ND4J's start-up");
        assertEquals(configured, seen.get(1), "OpenMP threads of the thread after OpenMpThreads.useConfigured");
    }
}
