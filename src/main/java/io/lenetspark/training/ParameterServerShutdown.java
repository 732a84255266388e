package io.lenetspark.training;

import org.nd4j.parameterserver.distributed.v2.ModelParameterServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Stops DL4J's parameter server in this JVM together with the threads of its transport.
 *
 * <p>DL4J 1.0.0-M2's Aeron transport only asks its thread pool to shut down: the threads waiting
 * for messages wait on, and the one polling the closed subscription keeps polling, parked for a
 * microsecond at a time, which costs a fifth of a core for as long as the JVM lives. A notebook's
 * driver, or an executor kept for later runs, would pay that for every gradient-sharing run. So
 * the waiting threads are interrupted, and the poller, which never looks at its interrupt, is
 * stopped.
 */
final class ParameterServerShutdown {

    private static final Logger LOG = LoggerFactory.getLogger(ParameterServerShutdown.class);
    /** The name DL4J gives every thread of its transport's pool. */
    private static final String TRANSPORT_THREAD = "MessagesExecutorService thread";
    private static final long WAIT_MILLIS = TimeUnit.SECONDS.toMillis(1);

    private ParameterServerShutdown() {
    }

    /** Stops the JVM's parameter server, if it runs, and its transport's threads. */
    static void stop() {
        ModelParameterServer server = ModelParameterServer.getInstance();
        if (!server.isInitialized()) {
            return;
        }
        // One transport per JVM: every such thread is this server's.
        List<Thread> transport = Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().equals(TRANSPORT_THREAD)).toList();
        server.shutdown();
        transport.forEach(Thread::interrupt);
        try {
            for (Thread thread : transport) {
                thread.join(WAIT_MILLIS);
                if (thread.isAlive()) {
                    stopPoller(thread);
                    thread.join(WAIT_MILLIS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @SuppressWarnings({"deprecation", "removal"})
    private static void stopPoller(Thread thread) {
        try {
            thread.stop();
        } catch (UnsupportedOperationException notOnThisJava) {
            LOG.warn("Gradient sharing's transport left a polling thread running: this Java cannot stop it");
        }
    }
}
