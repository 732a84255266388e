package io.lenetspark.failure;

/**
 * Training produced a loss or parameters that are not finite numbers. More epochs cannot recover
 * from that, and re-running the same settings diverges again: the settings must change. Thrown on
 * a worker (so the epoch's Spark job stops at the first such minibatch) or on the driver.
 */
public final class TrainingDivergedException extends RuntimeException {

    public TrainingDivergedException(String message) {
        super(message);
    }

    public TrainingDivergedException(String message, Throwable cause) {
        super(message, cause);
    }
}
