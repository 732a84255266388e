package io.lenetspark.training;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FreeUdpPortSupplierTest {

    @Test
    void givesOneFreePortPerJvm() {
        int port = new FreeUdpPortSupplier().getPort();

        assertTrue(port > 0 && port <= 65535, "port " + port);
        assertEquals(port, new FreeUdpPortSupplier().getPort(), "every supplier in the JVM gives the same port");
    }
}
