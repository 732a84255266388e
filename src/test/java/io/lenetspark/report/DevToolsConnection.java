package io.lenetspark.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * One WebSocket connection to Chromium's DevTools endpoint, used from one thread: a command waits for
 * its answer, and the events that arrive meanwhile are kept in the order Chromium sent them. Every wait
 * ends at one deadline, so a browser that stops answering fails the caller instead of hanging it.
 */
final class DevToolsConnection implements AutoCloseable {

    /** A whole text message from Chromium, or why there will be no more. */
    private record Incoming(String json, String endReason) {
    }

    private final ObjectMapper json = new ObjectMapper();
    private final BlockingQueue<Incoming> incoming = new LinkedBlockingQueue<>();
    private final List<JsonNode> events = new ArrayList<>();
    private final Instant deadline;
    private final WebSocket socket;
    private int lastCommandId;

    private DevToolsConnection(URI endpoint, Instant deadline) throws IOException, InterruptedException {
        this.deadline = deadline;
        this.socket = await(HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(endpoint, new Receiver()),
                "connecting to " + endpoint);
    }

    static DevToolsConnection open(URI endpoint, Instant deadline) throws IOException, InterruptedException {
        return new DevToolsConnection(endpoint, deadline);
    }

    /** Sends a command to the browser ({@code sessionId} null) or to an attached page, and returns its result. */
    JsonNode call(String sessionId, String method, Map<String, ?> params) throws IOException, InterruptedException {
        int id = ++lastCommandId;
        ObjectNode command = json.createObjectNode().put("id", id).put("method", method);
        command.set("params", json.valueToTree(params));
        if (sessionId != null) {
            command.put("sessionId", sessionId);
        }
        await(socket.sendText(json.writeValueAsString(command), true), "sending " + method);
        while (true) {
            JsonNode message = receive("the answer to " + method);
            if (message.path("id").asInt() == id) {
                if (message.has("error")) {
                    throw new IllegalStateException("Chromium refused " + method + " " + params + ": "
                            + message.get("error"));
                }
                return message.path("result");
            }
        }
    }

    /** The first event of a session named {@code method} whose params match, received before or after this call. */
    JsonNode awaitEvent(String sessionId, String method, Predicate<JsonNode> params)
            throws IOException, InterruptedException {
        Predicate<JsonNode> wanted = event -> sessionId.equals(event.path("sessionId").asText())
                && method.equals(event.path("method").asText()) && params.test(event.path("params"));
        for (JsonNode event : events) {
            if (wanted.test(event)) {
                return event;
            }
        }
        while (true) {
            JsonNode message = receive("the event " + method);
            if (message.has("method") && wanted.test(message)) {
                return message;
            }
        }
    }

    /** Every event of a session received so far, in order. */
    List<JsonNode> events(String sessionId) {
        return events.stream().filter(event -> sessionId.equals(event.path("sessionId").asText())).toList();
    }

    @Override
    public void close() {
        socket.abort();
    }

    /** The next message; an event is also kept for {@link #events}. */
    private JsonNode receive(String awaited) throws IOException, InterruptedException {
        Incoming next = incoming.poll(millisLeft(), TimeUnit.MILLISECONDS);
        if (next == null) {
            throw new IllegalStateException("Chromium did not send " + awaited + " in time");
        }
        if (next.endReason() != null) {
            throw new IllegalStateException("Chromium's DevTools connection ended (" + next.endReason()
                    + ") while waiting for " + awaited);
        }
        JsonNode message = json.readTree(next.json());
        if (message.has("method")) {
            events.add(message);
        }
        return message;
    }

    private <T> T await(CompletionStage<T> step, String what) throws IOException, InterruptedException {
        try {
            return step.toCompletableFuture().get(millisLeft(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IOException("Failed " + what + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Timed out " + what, e);
        }
    }

    private long millisLeft() {
        return Math.max(0, Duration.between(Instant.now(), deadline).toMillis());
    }

    /** Runs on the HTTP client's threads: joins the frames of each message and queues it. */
    private final class Receiver implements WebSocket.Listener {

        private final StringBuilder frames = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            frames.append(data);
            if (last) {
                incoming.add(new Incoming(frames.toString(), null));
                frames.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            incoming.add(new Incoming(null, "closed with status " + statusCode + " " + reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            incoming.add(new Incoming(null, error.toString()));
        }
    }
}
