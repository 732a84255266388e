package io.lenetspark.failure;

import org.apache.hadoop.fs.PathIOException;
import org.apache.hadoop.security.AccessControlException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

class StorageFailuresTest {

    private static final String LOCATION = "s3a://bucket/runs/r1";

    private static RuntimeException explain(IOException failure) {
        return StorageFailures.explain(failure, LOCATION, "lenet.output.dir",
                () -> new UncheckedIOException("not the user's", failure));
    }

    @Test
    void refusedCredentialsAreTheUsersToFixAndNameTheS3ErrorCode() {
        AccessDeniedException denied = new AccessDeniedException(LOCATION + ": getFileStatus on " + LOCATION + ": "
                + "com.amazonaws.services.s3.model.AmazonS3Exception: The request signature we calculated does not match "
                + "(Service: Amazon S3; Status Code: 403; Error Code: SignatureDoesNotMatch; Request ID: 1)");

        RuntimeException explained = explain(new IOException("wrapped", denied));

        assertInstanceOf(InvalidInputException.class, explained);
        assertEquals("Access to s3a://bucket/runs/r1 was denied (SignatureDoesNotMatch). " + StorageFailures.CREDENTIALS_HINT
                + ", and that they give access to the location in lenet.output.dir.", explained.getMessage());
    }

    @Test
    void hdfsPermissionsAreTheUsersToFix() {
        RuntimeException explained = explain(new AccessControlException("Permission denied: user=lenet, access=WRITE"));

        assertInstanceOf(InvalidInputException.class, explained);
        assertEquals("Access to s3a://bucket/runs/r1 was denied (AccessControlException). "
                + StorageFailures.CREDENTIALS_HINT + ", and that they give access to the location in lenet.output.dir.",
                explained.getMessage());
    }

    @Test
    void otherFailuresAreNot() {
        IOException broken = new PathIOException(LOCATION, "connection reset");

        RuntimeException explained = explain(broken);

        assertInstanceOf(UncheckedIOException.class, explained);
        assertSame(broken, explained.getCause());
    }
}
