package io.lenetspark;

import io.lenetspark.config.ConfigLoader;
import io.lenetspark.config.LeNetSettings;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;

/**
 * What every job's {@code main} shares: read the settings, open the SparkSession, run, and turn
 * the outcome into one clear line and an {@link ExitCode}.
 */
public final class JobLauncher {

    private static final Logger LOG = LoggerFactory.getLogger(JobLauncher.class);

    /** A job body, called with validated settings and a live session. */
    @FunctionalInterface
    public interface Job {
        void run(LeNetSettings settings, SparkSession spark) throws Exception;
    }

    private JobLauncher() {
    }

    /** Runs {@code job} and exits the JVM with its exit code. */
    public static void runAndExit(String appName, String[] args, Job job) {
        System.exit(run(appName, args, job).code());
    }

    /** Runs {@code job}; never throws. */
    public static ExitCode run(String appName, String[] args, Job job) {
        LeNetSettings settings;
        try {
            settings = LeNetSettings.from(ConfigLoader.load(Arrays.asList(args)));
        } catch (InvalidInputException e) {
            return report(appName, e);
        }
        // A session that already exists (a notebook's, a test's) belongs to its creator: leave it running.
        boolean ownsSession = SparkSession.getDefaultSession().isEmpty();
        SparkSession spark = null;
        try {
            spark = SparkSession.builder().appName(appName).getOrCreate();
            job.run(settings, spark);
            return ExitCode.SUCCESS;
        } catch (Exception | Error e) {
            return report(appName, e);
        } finally {
            if (spark != null && ownsSession) {
                spark.stop();
            }
        }
    }

    private static ExitCode report(String appName, Throwable failure) {
        InvalidInputException invalid = findInvalidInput(failure);
        if (invalid != null) {
            LOG.debug("{} rejected its input", appName, invalid);
            System.err.println(appName + " failed: " + invalid.getMessage());
            return ExitCode.INVALID_INPUT;
        }
        LOG.error("{} failed", appName, failure);
        System.err.println(appName + " failed: " + failure + ". The log above has the details.");
        return ExitCode.FAILURE;
    }

    /** Spark wraps exceptions thrown in tasks; the user's problem may sit a few causes deep. */
    private static InvalidInputException findInvalidInput(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof InvalidInputException invalid) {
                return invalid;
            }
        }
        return null;
    }
}
