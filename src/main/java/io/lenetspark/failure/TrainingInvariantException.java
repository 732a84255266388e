package io.lenetspark.failure;

/**
 * The job's own check of its work failed: what it made does not match what it planned (a
 * validation split of other sizes, an epoch that fitted fewer images than the training split
 * holds). Its results cannot be trusted, so the run ends before anything marks it complete; the
 * message names the cause.
 */
public final class TrainingInvariantException extends RuntimeException {

    public TrainingInvariantException(String message) {
        super(message);
    }
}
