package io.lenetspark.prepare;

import com.sun.net.httpserver.HttpServer;
import io.lenetspark.failure.InvalidInputException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UrlSourceTest {

    private static final byte[] CONTENT = IdxBytes.labels(4, 2);
    private static final int NOT_FOUND = 404;
    private static final int OK = 200;

    private HttpServer server;
    private String baseUrl;

    /** Serves {@code /mnist/t10k-labels-idx1-ubyte.gz} only, as the MNIST mirrors do. */
    @BeforeEach
    void startServer() throws IOException {
        Map<String, byte[]> files = Map.of("/mnist/t10k-labels-idx1-ubyte.gz", gzip(CONTENT));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = files.get(exchange.getRequestURI().getPath());
            exchange.sendResponseHeaders(body == null ? NOT_FOUND : OK, body == null ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                if (body != null) {
                    out.write(body);
                }
            }
        });
        server.start();
        baseUrl = "http://127.0.0.1:" + server.getAddress().getPort() + "/mnist/";
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    @Test
    void downloadsGzipWhenThePlainFileIsMissing() throws IOException {
        try (IdxSource source = new UrlSource(baseUrl); InputStream in = source.open(IdxFile.TEST_LABELS)) {
            assertArrayEquals(CONTENT, in.readAllBytes(), "decompressed download");
        }
    }

    @Test
    void rejectsFileTheServerLacks() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> new UrlSource(baseUrl).open(IdxFile.TRAIN_LABELS));

        assertEquals("Could not download train-labels-idx1-ubyte: " + baseUrl
                + "train-labels-idx1-ubyte answered HTTP 404 and " + baseUrl + "train-labels-idx1-ubyte.gz HTTP 404. "
                + "Set lenet.prepare.source-url to a base URL serving the four MNIST IDX files (plain or .gz).",
                e.getMessage(), "message");
    }

    @Test
    void rejectsUnreachableServer() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        String unreachable = "http://127.0.0.1:" + closedPort;

        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> new UrlSource(unreachable).open(IdxFile.TEST_LABELS));
        assertTrue(e.getMessage().startsWith("Could not download " + unreachable + "/t10k-labels-idx1-ubyte: "),
                "names the URL: " + e.getMessage());
        assertTrue(e.getMessage().endsWith(". Check lenet.prepare.source-url and the network, or choose another "
                + "lenet.prepare.source."), "names the fix: " + e.getMessage());
    }

    @Test
    void rejectsUrlThatIsNotHttp() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> new UrlSource("ftp://host/mnist"));

        assertEquals("lenet.prepare.source-url \"ftp://host/mnist\" is not an http(s) URL. Set it to the base URL "
                + "serving the four MNIST IDX files, e.g. https://host/mnist.", e.getMessage(), "message");
    }

    private static byte[] gzip(byte[] content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(content);
        }
        return bytes.toByteArray();
    }
}
