package io.lenetspark.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads the tasks of a Spark application from its event log ({@code spark.eventLog.enabled}): which
 * executor ran each task, for which job, and how it ended.
 */
public final class SparkEventLog {

    /**
     * One finished task attempt; {@code job} is the job's description, e.g. "TRAIN epoch 1/2";
     * {@code resultStage} tells a task of the job's last stage (where an action's function runs,
     * e.g. DL4J's fitting) from one of the stages that prepare its input.
     */
    public record Task(String job, int stage, boolean resultStage, String executorId, String host, String endReason) {

        public boolean succeeded() {
            return "Success".equals(endReason);
        }
    }

    /** An executor as it registered; {@code attributes} are its cluster manager's (YARN: CONTAINER_ID, NM_HOST...). */
    public record Executor(String id, String host, Map<String, String> attributes) {
    }

    private SparkEventLog() {
    }

    /** The executors added to the one application whose event log is in {@code dir}. */
    public static List<Executor> executors(Path dir) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<Executor> executors = new ArrayList<>();
        try (Stream<String> lines = Files.lines(eventLog(dir))) {
            lines.map(line -> read(json, line))
                    .filter(event -> event.path("Event").asText().equals("SparkListenerExecutorAdded"))
                    .forEach(event -> {
                        JsonNode info = event.path("Executor Info");
                        Map<String, String> attributes = new HashMap<>();
                        info.path("Attributes").fields()
                                .forEachRemaining(field -> attributes.put(field.getKey(), field.getValue().asText()));
                        executors.add(new Executor(event.path("Executor ID").asText(), info.path("Host").asText(),
                                attributes));
                    });
        }
        return executors;
    }

    /** The tasks of the one application whose event log is in {@code dir}. */
    public static List<Task> tasks(Path dir) throws IOException {
        Path file = eventLog(dir);
        ObjectMapper json = new ObjectMapper();
        Map<Integer, String> jobOfStage = new HashMap<>();
        Set<Integer> resultStages = new HashSet<>();
        List<Task> tasks = new ArrayList<>();
        try (Stream<String> lines = Files.lines(file)) {
            lines.map(line -> read(json, line)).forEach(event -> {
                switch (event.path("Event").asText()) {
                    case "SparkListenerJobStart" -> {
                        String description = event.path("Properties").path("spark.job.description").asText("");
                        int last = -1;
                        for (JsonNode stage : event.path("Stage IDs")) {
                            jobOfStage.put(stage.asInt(), description);
                            last = Math.max(last, stage.asInt());
                        }
                        // Spark creates a job's parent stages first: its result stage has the highest id.
                        resultStages.add(last);
                    }
                    case "SparkListenerTaskEnd" -> {
                        int stage = event.path("Stage ID").asInt();
                        JsonNode info = event.path("Task Info");
                        tasks.add(new Task(jobOfStage.getOrDefault(stage, ""), stage, resultStages.contains(stage), info.path("Executor ID").asText(),
                                info.path("Host").asText(), event.path("Task End Reason").path("Reason").asText()));
                    }
                    default -> {
                    }
                }
            });
        }
        return tasks;
    }

    private static Path eventLog(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> logs = files.filter(Files::isRegularFile).toList();
            if (logs.size() != 1) {
                throw new IllegalStateException("expected one event log in " + dir + ", found " + logs);
            }
            return logs.get(0);
        }
    }

    private static JsonNode read(ObjectMapper json, String line) {
        try {
            return json.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException("event log line " + line, e);
        }
    }
}
