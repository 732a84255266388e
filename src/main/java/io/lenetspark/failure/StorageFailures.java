package io.lenetspark.failure;

import org.apache.hadoop.security.AccessControlException;

import java.io.IOException;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tells the storage failures that the user fixes (credentials refused, a bucket that does not exist)
 * from the others, and words them as one message naming the location, the setting and the fix.
 * Only Hadoop's exception types are used, so this works for every file system, s3a included,
 * without s3a on the class path.
 */
public final class StorageFailures {

    /** s3a's exceptions (hadoop-aws, known here by name only): a bucket that does not exist, no credentials. */
    private static final String UNKNOWN_STORE = "UnknownStoreException";
    private static final String NO_CREDENTIALS = "NoAuthWithAWSException";
    /** The S3 error code in the AWS SDK's messages, e.g. {@code Error Code: SignatureDoesNotMatch;}. */
    private static final Pattern S3_ERROR_CODE = Pattern.compile("Error Code: ([^;)]+)");

    static final String CREDENTIALS_HINT = "Check the credentials the job runs with (for s3a: "
            + "fs.s3a.access.key and fs.s3a.secret.key in lenet.hadoop, the same with the spark.hadoop. prefix in the "
            + "--properties-file, or the environment variables AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; see "
            + "docs/storage.md, S3)";

    private StorageFailures() {
    }

    /**
     * An {@link InvalidInputException} if {@code failure} is the user's to fix, else {@code otherwise}.
     *
     * @param location the path the job was using, as the user gave it
     * @param setting  the setting that names the location, e.g. {@code lenet.output.dir}
     */
    public static RuntimeException explain(IOException failure, Object location, String setting,
                                           Supplier<RuntimeException> otherwise) {
        if (isAccessDenied(failure)) {
            return new InvalidInputException("Access to " + location + " was denied (" + reason(failure) + "). "
                    + CREDENTIALS_HINT + ", and that they give access to the location in " + setting + ".", failure);
        }
        if (isUnknownBucket(failure)) {
            return new InvalidInputException("The bucket of " + location + " does not exist (" + reason(failure)
                    + "). Create the bucket, or correct " + setting + ".", failure);
        }
        return otherwise.get();
    }

    private static boolean isAccessDenied(Throwable failure) {
        return Causes.any(failure, t -> t instanceof java.nio.file.AccessDeniedException
                || t instanceof AccessControlException);
    }

    private static boolean isUnknownBucket(Throwable failure) {
        return hasCauseOfType(failure, UNKNOWN_STORE);
    }

    /** A cause whose class, or one of its superclasses, has this simple name. */
    private static boolean hasCauseOfType(Throwable failure, String simpleName) {
        return Causes.any(failure, t -> {
            for (Class<?> type = t.getClass(); type != null; type = type.getSuperclass()) {
                if (type.getSimpleName().equals(simpleName)) {
                    return true;
                }
            }
            return false;
        });
    }

    /** The S3 error code where there is one (short, and never a credential), else the failure's type. */
    private static String reason(Throwable failure) {
        if (hasCauseOfType(failure, NO_CREDENTIALS)) {
            return "no credentials found";
        }
        return Causes.of(failure).map(Throwable::getMessage).filter(Objects::nonNull).map(S3_ERROR_CODE::matcher)
                .filter(Matcher::find).map(code -> code.group(1).trim())
                .findFirst().orElse(failure.getClass().getSimpleName());
    }
}
