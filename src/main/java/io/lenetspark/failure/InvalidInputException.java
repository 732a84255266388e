package io.lenetspark.failure;

/**
 * Input or configuration the user has to fix. The message says what is wrong and how to fix it;
 * the job reports it as one line and exits with {@link ExitCode#INVALID_INPUT}.
 */
public final class InvalidInputException extends RuntimeException {

    public InvalidInputException(String message) {
        super(message);
    }

    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
