package io.lenetspark.failure;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tells an executor that YARN killed for outgrowing its container's memory, from the exit reason
 * Spark puts in the failed job's message, and says which setting to raise: the container is the
 * heap plus the memory overhead, and what outgrows it is memory off the heap (ND4J's arrays, the
 * native libraries, the JVM's own), so the overhead is what needs room, not the heap.
 */
public final class ContainerMemoryFailures {

    private static final String YARN_KILL = "Container killed by YARN for exceeding physical memory limits";
    private static final Pattern USAGE = Pattern.compile("[\\d.]+ [KMGT]?B of [\\d.]+ [KMGT]?B physical memory used");

    private ContainerMemoryFailures() {
    }

    /** The explanation, if {@code failure} comes from an executor that YARN killed for its memory. */
    public static Optional<String> explain(Throwable failure) {
        return Causes.of(failure).map(Throwable::getMessage)
                .filter(message -> message != null && message.contains(YARN_KILL))
                .findFirst()
                .map(message -> {
                    Matcher usage = USAGE.matcher(message);
                    return "YARN killed an executor for using more memory than its container"
                            + (usage.find() ? " (" + usage.group() + ")" : "") + ". Give the executors more "
                            + "memory overhead: raise LENET_EXECUTOR_OFFHEAP with the submit/ scripts (the "
                            + "overhead is that plus 1g), or spark.executor.memoryOverhead when you run spark-submit "
                            + "yourself.";
                });
    }
}
