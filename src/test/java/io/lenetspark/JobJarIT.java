package io.lenetspark;

import io.lenetspark.failure.ExitCode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged job jar, run the way users run it: {@code spark-submit --class LeNetJob} of the
 * Spark installation that {@code submit/spark-home.sh} assembles. Whole runs through spark-submit
 * are in {@code ConcurrentRunIT}, {@code ResumeIT} and the cluster and storage tests.
 */
class JobJarIT {

    private static Path data;
    private static Path sparkHome;

    @TempDir
    Path work;

    private Path log;

    @BeforeEach
    void logFile() {
        log = work.resolve("submit.log");
    }

    @BeforeAll
    static void prepare() throws Exception {
        data = MnistSubset.of(2_000, 500);
        sparkHome = SparkSubmitProcess.sparkHome();
    }

    @Test
    void holdsNoClassThatSparkScalaOrHadoopAlreadyShip() throws IOException {
        Set<String> provided = new HashSet<>();
        try (Stream<Path> jars = Files.list(sparkHome.resolve("jars"))) {
            for (Path jar : jars.toList()) {
                provided.addAll(classesIn(jar));
            }
        }
        assertTrue(provided.size() > 10_000, "classes in " + sparkHome + "/jars: " + provided.size());
        Set<String> duplicates = new TreeSet<>(classesIn(SparkSubmitProcess.JOB_JAR));
        duplicates.retainAll(provided);
        assertEquals(Set.of(), duplicates.stream().limit(20).collect(Collectors.toSet()),
                duplicates.size() + " classes of the job jar are also in Spark's own jars");
    }

    @Test
    void holdsNoBenchmarkCode() throws IOException {
        assertEquals(Set.of(), classesIn(SparkSubmitProcess.JOB_JAR).stream()
                .filter(name -> name.startsWith("io/lenetspark/bench/")).collect(Collectors.toSet()),
                "the benchmark's baseline belongs in target/lenet-spark-bench.jar");
    }

    @Test
    void badInputExitsWithCodeTwoAndOneMessage() throws Exception {
        int exit = SparkSubmitProcess.run(log, "LeNetJob", "data.dir=" + data, "training.epochs=0");
        assertEquals(ExitCode.INVALID_INPUT.code(), exit, log());
        assertTrue(log().contains("LeNetJob failed: Invalid configuration. Cannot set lenet.training.epochs to 0"), log());
    }

    private String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static Set<String> classesIn(Path jar) throws IOException {
        Set<String> classes = new HashSet<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            Enumeration<JarEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                String name = entries.nextElement().getName();
                if (name.endsWith(".class") && !name.startsWith("META-INF/")) {
                    classes.add(name);
                }
            }
        }
        return classes;
    }
}
