package io.lenetspark.failure;

/**
 * Another job is writing the run folder this job was given: it exits with {@link ExitCode#RUN_IN_USE}
 * and touches nothing, so the other job's run stays intact.
 */
public final class RunInUseException extends RuntimeException {

    public RunInUseException(String message) {
        super(message);
    }

    public RunInUseException(String message, Throwable cause) {
        super(message, cause);
    }
}
