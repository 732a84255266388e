package io.lenetspark;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A JVM's live threads by kind: the first word of their names, or "aeron" for Aeron's agents.
 * Spark's cached pools are left out: their idle threads stay for a minute after each task, block
 * removal or query stage, so they come and go with the work, not with a leak.
 */
public final class ThreadCensus {

    private static final List<String> CACHED_POOLS = List.of("block-manager-", "querystagecreator",
            "executor task launch worker");

    private ThreadCensus() {
    }

    /** This JVM's threads. */
    public static Map<String, Integer> ofThisJvm() {
        List<String> names = new ArrayList<>();
        for (ThreadInfo info : ManagementFactory.getThreadMXBean().dumpAllThreads(false, false)) {
            names.add(info.getThreadName());
        }
        return byKind(names);
    }

    /** Another JVM's threads, as {@code jcmd <pid> Thread.print} lists them. */
    public static Map<String, Integer> of(ProcessHandle jvm) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process dump = new ProcessBuilder(jcmd.toString(), Long.toString(jvm.pid()), "Thread.print")
                .redirectErrorStream(true).start();
        String text = new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!dump.waitFor(1, TimeUnit.MINUTES) || dump.exitValue() != 0) {
            throw new IOException("jcmd " + jvm.pid() + " Thread.print failed: " + text);
        }
        List<String> names = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("\"")) {
                names.add(line.substring(1, line.indexOf('"', 1)));
            }
        }
        return byKind(names);
    }

    public static int total(Map<String, Integer> census) {
        return census.values().stream().mapToInt(Integer::intValue).sum();
    }

    private static Map<String, Integer> byKind(List<String> threadNames) {
        Map<String, Integer> kinds = new TreeMap<>();
        for (String threadName : threadNames) {
            String name = threadName.toLowerCase(Locale.ROOT);
            if (CACHED_POOLS.stream().anyMatch(name::startsWith)) {
                continue;
            }
            // Aeron's media driver names its threads conductor, sender and receiver; Spark has heartbeat-receiver ones.
            String kind = name.contains("aeron") || name.contains("conductor") || name.equals("sender")
                    || name.equals("receiver") ? "aeron" : name.split("[ \\-#_0-9]", 2)[0];
            kinds.merge(kind, 1, Integer::sum);
        }
        return kinds;
    }
}
