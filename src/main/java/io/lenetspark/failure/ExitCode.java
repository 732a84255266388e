package io.lenetspark.failure;

/** Process exit codes of the jobs, documented in the README. */
public enum ExitCode {
    /** The job finished and its output is complete. */
    SUCCESS(0),
    /** The job failed for a reason outside the user's input (a bug, a lost cluster, a full disk). */
    FAILURE(1),
    /** Bad input data, paths or configuration: the message says what to fix. */
    INVALID_INPUT(2),
    /**
     * Training went wrong in a way a re-run repeats: it diverged (the loss became NaN or infinite),
     * or the job's own check of what it trained failed (an epoch fitted fewer images than the
     * training split holds). The settings or the data, not a re-run, fix it.
     */
    TRAINING_FAILED(3),
    /** Another job is writing the same run (same output folder and run id): retry once it has ended. */
    RUN_IN_USE(4);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
