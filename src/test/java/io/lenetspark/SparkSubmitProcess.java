package io.lenetspark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged job run as users run it: {@code spark-submit --class ... lenet-spark.jar} of the Spark
 * installation that {@code submit/spark-home.sh} assembles, in its own process on {@code local[2]},
 * its output captured in a log file.
 */
public final class SparkSubmitProcess {

    public static final Path JOB_JAR =
            Path.of(System.getProperty("lenet.test.job-jar", "target/lenet-spark.jar")).toAbsolutePath();
    private static final long TIMEOUT_MINUTES = 10;
    private static Path sparkHome;

    private final Process process;
    private final Path log;

    private SparkSubmitProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** The assembled Spark installation, built on first use. */
    public static synchronized Path sparkHome() throws IOException, InterruptedException {
        if (sparkHome == null) {
            Process assemble = new ProcessBuilder("submit/spark-home.sh")
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String home = new String(assemble.getInputStream().readAllBytes()).trim();
            assertTrue(assemble.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES) && assemble.exitValue() == 0,
                    "submit/spark-home.sh failed");
            sparkHome = Path.of(home);
        }
        return sparkHome;
    }

    /** Starts {@code spark-submit --class mainClass} on local[2] with the job's arguments, logging to {@code log}. */
    public static SparkSubmitProcess start(Path log, String mainClass, String... jobArgs)
            throws IOException, InterruptedException {
        return start(log, List.of(), mainClass, jobArgs);
    }

    /** As {@link #start(Path, String, String...)}, with more spark-submit options such as --jars or --properties-file. */
    public static SparkSubmitProcess start(Path log, List<String> submitOptions, String mainClass, String... jobArgs)
            throws IOException, InterruptedException {
        return start(log, null, submitOptions, mainClass, jobArgs);
    }

    /** As above, in the working directory {@code directory} (null: this JVM's). */
    public static SparkSubmitProcess start(Path log, Path directory, List<String> submitOptions, String mainClass,
                                           String... jobArgs) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                sparkHome().resolve("bin").resolve("spark-submit").toString(),
                "--master", "local[2]",
                "--conf", "spark.ui.enabled=false",
                "--conf", "spark.driver.host=127.0.0.1",
                "--conf", "spark.driver.bindAddress=127.0.0.1"));
        command.addAll(submitOptions);
        command.addAll(List.of("--class", mainClass, JOB_JAR.toString()));
        command.addAll(List.of(jobArgs));
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory == null ? null : directory.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("OMP_NUM_THREADS", "1");
        return new SparkSubmitProcess(builder.start(), log);
    }

    /** Starts a launch script or command of another kind ({@code submit/standalone.sh}), logging to {@code log}. */
    public static SparkSubmitProcess start(ProcessBuilder command, Path log) throws IOException {
        return new SparkSubmitProcess(command.redirectErrorStream(true).redirectOutput(log.toFile()).start(), log);
    }

    /** Runs to the end and returns the exit code. */
    public static int run(Path log, String mainClass, String... jobArgs) throws IOException, InterruptedException {
        return start(log, mainClass, jobArgs).waitForExit();
    }

    /** Runs to the end with more spark-submit options and returns the exit code. */
    public static int run(Path log, List<String> submitOptions, String mainClass, String... jobArgs)
            throws IOException, InterruptedException {
        return start(log, submitOptions, mainClass, jobArgs).waitForExit();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public int waitForExit() throws InterruptedException {
        if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            kill();
            throw new AssertionError("spark-submit did not finish in " + TIMEOUT_MINUTES + " minutes: " + log());
        }
        return process.exitValue();
    }

    /** Kills the driver JVM at once, as a lost node or an OOM killer would: no shutdown hooks run. */
    public void kill() throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(1, TimeUnit.MINUTES);
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
