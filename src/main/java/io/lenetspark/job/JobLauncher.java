package io.lenetspark.job;

import io.lenetspark.config.ConfigLoader;
import io.lenetspark.config.LeNetSettings;
import io.lenetspark.failure.Causes;
import io.lenetspark.failure.ContainerMemoryFailures;
import io.lenetspark.failure.ExitCode;
import io.lenetspark.failure.InvalidInputException;
import io.lenetspark.failure.RunInUseException;
import io.lenetspark.failure.TrainingDivergedException;
import io.lenetspark.failure.TrainingInvariantException;
import io.lenetspark.failure.TrainingStalledException;
import org.apache.spark.SparkUserAppException;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What every job's {@code main} shares: read the settings, open the SparkSession and give it the
 * {@code lenet.hadoop} properties, run, and turn the outcome into one clear line and an {@link ExitCode}.
 */
public final class JobLauncher {

    private static final Logger LOG = LoggerFactory.getLogger(JobLauncher.class);

    /** Failures whose message is the whole explanation, first match wins, and the exit code of each. */
    private static final List<Map.Entry<Class<? extends RuntimeException>, ExitCode>> EXPLAINED_FAILURES = List.of(
            Map.entry(InvalidInputException.class, ExitCode.INVALID_INPUT),
            Map.entry(TrainingDivergedException.class, ExitCode.TRAINING_FAILED),
            Map.entry(TrainingInvariantException.class, ExitCode.TRAINING_FAILED),
            Map.entry(TrainingStalledException.class, ExitCode.FAILURE),
            Map.entry(RunInUseException.class, ExitCode.RUN_IN_USE));

    /** A job body, called with validated settings and a live session. */
    @FunctionalInterface
    public interface Job {
        void run(LeNetSettings settings, SparkSession spark) throws Exception;
    }

    /** How a job ended: its exit code and, for a failure, the one line that explains it. */
    public record Outcome(ExitCode exitCode, String message) {
    }

    private JobLauncher() {
    }

    /**
     * Runs {@code job}, prints a failure's message to standard error, and ends with its exit code:
     * the JVM's, or, in YARN's application master, the application's.
     */
    public static void runAndExit(String appName, String[] args, Job job) throws SparkUserAppException {
        Outcome outcome = run(appName, args, job);
        if (outcome.exitCode() != ExitCode.SUCCESS) {
            System.err.println(outcome.message());
        }
        if (inYarnApplicationMaster()) {
            // The application master calls main in a thread and takes System.exit, even System.exit(0),
            // for a driver that died early (final status FAILED, exit code 16). It reports the exit code
            // carried by this exception as the application's.
            if (outcome.exitCode() != ExitCode.SUCCESS) {
                throw new SparkUserAppException(outcome.exitCode().code());
            }
            return;
        }
        System.exit(outcome.exitCode().code());
    }

    /** Runs {@code job}; never throws. */
    public static Outcome run(String appName, String[] args, Job job) {
        LeNetSettings settings;
        try {
            settings = LeNetSettings.from(ConfigLoader.load(Arrays.asList(args)));
        } catch (InvalidInputException e) {
            return failure(appName, e);
        }
        // A session that already exists (a notebook's, a test's) belongs to its creator: leave it running.
        boolean ownsSession = SparkSession.getDefaultSession().isEmpty();
        SparkSession spark = null;
        Outcome outcome;
        try {
            spark = SparkSession.builder().appName(appName).getOrCreate();
            settings.hadoop().applyTo(spark.sparkContext().hadoopConfiguration());
            job.run(settings, spark);
            outcome = new Outcome(ExitCode.SUCCESS, appName + " finished.");
        } catch (Exception | Error e) {
            outcome = failure(appName, e);
        }
        if (spark != null && ownsSession) {
            // On YARN in client mode, the exit code becomes the application's final status.
            spark.sparkContext().stop(outcome.exitCode().code());
        }
        return outcome;
    }

    /** Set by YARN's application master for the driver it runs (cluster mode). */
    private static boolean inYarnApplicationMaster() {
        return System.getProperty("spark.yarn.app.id") != null
                && "cluster".equals(System.getProperty("spark.submit.deployMode"));
    }

    private static Outcome failure(String appName, Throwable failure) {
        for (Map.Entry<Class<? extends RuntimeException>, ExitCode> explained : EXPLAINED_FAILURES) {
            // Spark wraps exceptions thrown in tasks; the user's problem may sit a few causes deep.
            Optional<? extends RuntimeException> cause = Causes.find(failure, explained.getKey());
            if (cause.isPresent()) {
                LOG.debug("{} ends with exit code {}", appName, explained.getValue().code(), cause.get());
                return new Outcome(explained.getValue(), appName + " failed: " + cause.get().getMessage());
            }
        }
        LOG.error("{} failed", appName, failure);
        Optional<String> memory = ContainerMemoryFailures.explain(failure);
        if (memory.isPresent()) {
            return new Outcome(ExitCode.FAILURE, appName + " failed: " + memory.get());
        }
        return new Outcome(ExitCode.FAILURE, appName + " failed: " + failure + ". The log above has the details.");
    }
}
