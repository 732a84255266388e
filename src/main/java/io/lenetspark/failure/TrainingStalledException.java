package io.lenetspark.failure;

/**
 * An epoch fitted no minibatch for longer than {@code lenet.progress.stall-timeout}: its Spark jobs
 * were cancelled rather than left to hold the cluster. A hang comes from outside the job's input
 * (a network that drops the gradient-sharing transport, an executor that stopped answering), so
 * the run fails as any other failure does; a re-run may well succeed.
 */
public final class TrainingStalledException extends RuntimeException {

    public TrainingStalledException(String message, Throwable cause) {
        super(message, cause);
    }
}
