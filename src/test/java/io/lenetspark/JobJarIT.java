package io.lenetspark;

import io.lenetspark.output.RunFolder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged job jar, run the way users run it: {@code spark-submit --class LeNetJob} of the
 * Spark installation that {@code submit/spark-home.sh} assembles.
 */
class JobJarIT {

    private static final Path JOB_JAR = Path.of(System.getProperty("lenet.test.job-jar", "target/lenet-spark.jar"));
    private static final long TIMEOUT_MINUTES = 10;

    private static Path data;
    private static Path sparkHome;

    @TempDir
    Path work;

    @BeforeAll
    static void prepare() throws Exception {
        data = MnistSubset.of(2_000, 500);
        Process assemble = new ProcessBuilder("submit/spark-home.sh")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String home = new String(assemble.getInputStream().readAllBytes()).trim();
        assertTrue(assemble.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES) && assemble.exitValue() == 0,
                "submit/spark-home.sh failed");
        sparkHome = Path.of(home);
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
        Set<String> duplicates = new TreeSet<>(classesIn(JOB_JAR));
        duplicates.retainAll(provided);
        assertEquals(Set.of(), duplicates.stream().limit(20).collect(Collectors.toSet()),
                duplicates.size() + " classes of the job jar are also in Spark's own jars");
    }

    @Test
    void sparkSubmitRunsLeNetJobByItsShortName() throws Exception {
        Path runs = work.resolve("runs");
        Process submit = sparkSubmit("LeNetJob", "data.dir=" + data, "training.epochs=1",
                "output.dir=" + runs, "output.run-id=submitted");
        assertEquals(0, submit.exitValue(), log());
        assertTrue(Files.exists(runs.resolve("submitted").resolve(RunFolder.SUCCESS_MARKER)), log());
        assertTrue(log().contains("Epoch 1/1 - "), log());
        assertTrue(log().contains("Test accuracy "), log());
    }

    @Test
    void badInputExitsWithCodeTwoAndOneMessage() throws Exception {
        Process submit = sparkSubmit("LeNetJob", "data.dir=" + data, "training.epochs=0");
        assertEquals(ExitCode.INVALID_INPUT.code(), submit.exitValue(), log());
        assertTrue(log().contains("LeNetJob failed: Invalid configuration. Cannot set lenet.training.epochs to 0"), log());
    }

    private Process sparkSubmit(String mainClass, String... jobArgs) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                sparkHome.resolve("bin").resolve("spark-submit").toString(),
                "--master", "local[2]",
                "--conf", "spark.ui.enabled=false",
                "--conf", "spark.driver.host=127.0.0.1",
                "--conf", "spark.driver.bindAddress=127.0.0.1",
                "--class", mainClass,
                JOB_JAR.toAbsolutePath().toString()));
        command.addAll(List.of(jobArgs));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(work.resolve("submit.log").toFile());
        builder.environment().put("OMP_NUM_THREADS", "1");
        Process process = builder.start();
        if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("spark-submit did not finish in " + TIMEOUT_MINUTES + " minutes: " + log());
        }
        return process;
    }

    private String log() {
        try {
            return Files.readString(work.resolve("submit.log"));
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
