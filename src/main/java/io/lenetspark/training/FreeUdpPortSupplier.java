package io.lenetspark.training;

import org.nd4j.parameterserver.distributed.v2.transport.PortSupplier;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;

/**
 * The UDP port of DL4J's gradient-sharing transport in this JVM: a free port, chosen once per JVM.
 * DL4J asks the same supplier on the driver (its own port, which the executors then call) and,
 * after the broadcast, on every executor; so the driver and any number of executors can share a
 * host, as the executors of a standalone, YARN or Kubernetes node do.
 */
final class FreeUdpPortSupplier implements PortSupplier {

    private static final long serialVersionUID = 1L;

    /** Per JVM, never serialised: each executor chooses its own. */
    private static int port;

    @Override
    public int getPort() {
        synchronized (FreeUdpPortSupplier.class) {
            if (port == 0) {
                try (DatagramSocket socket = new DatagramSocket(0)) {
                    port = socket.getLocalPort();
                } catch (IOException e) {
                    throw new UncheckedIOException("No free UDP port for gradient sharing", e);
                }
            }
            return port;
        }
    }
}
