package io.lenetspark.failure;

/**
 * Process exit codes of the jobs. Every list of them (the README's "Exit codes", the cron and
 * Airflow examples in submit/) names each code with its {@link #meaning()}; ExitCodeDocsTest holds
 * them to it.
 */
public enum ExitCode {
    /** The job finished and its output is complete. */
    SUCCESS(0, "complete"),
    /** The job failed for a reason outside the user's input (a bug, a lost cluster, a full disk). */
    FAILURE(1, "failure"),
    /** Bad input data, paths or configuration: the message says what to fix. */
    INVALID_INPUT(2, "bad input or configuration"),
    /**
     * Training went wrong in a way a re-run repeats: it diverged (the loss became NaN or infinite),
     * or the job's own check of what it trained failed (an epoch fitted fewer images than the
     * training split holds). The settings or the data, not a re-run, fix it.
     */
    TRAINING_FAILED(3, "training diverged or fitted less than its data"),
    /** Another job is writing the same run (same output folder and run id): retry once it has ended. */
    RUN_IN_USE(4, "another job");

    private final int code;
    private final String meaning;

    ExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    public int code() {
        return code;
    }

    /** The words that name the code wherever the codes are listed for users. */
    public String meaning() {
        return meaning;
    }
}
