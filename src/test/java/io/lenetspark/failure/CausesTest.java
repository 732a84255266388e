package io.lenetspark.failure;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CausesTest {

    private final IOException root = new IOException("Connection refused");
    private final InvalidInputException user = new InvalidInputException("Fix lenet.data.train.", root);
    private final IllegalStateException task = new IllegalStateException("Job aborted due to stage failure", user);

    @Test
    void walksFromTheFailureToItsRootCause() {
        assertEquals(List.of(task, user, root), Causes.of(task).toList());
    }

    @Test
    void findsTheOutermostCauseOfAType() {
        assertSame(user, Causes.find(task, InvalidInputException.class).orElseThrow());
        assertSame(task, Causes.find(task, RuntimeException.class).orElseThrow(), "the failure itself comes first");
        assertEquals(Optional.empty(), Causes.find(task, UncheckedIOException.class));
    }

    @Test
    void testsEveryCause() {
        assertTrue(Causes.any(task, t -> t instanceof IOException), "the root cause counts");
        assertFalse(Causes.any(task, t -> t instanceof UncheckedIOException), "no cause of that type");
    }

    @Test
    void namesTheInnermostCause() {
        assertSame(root, Causes.innermost(task));
        assertSame(root, Causes.innermost(root), "a failure without cause is its own innermost");
    }

    @Test
    void endsAtACauseMetAgain() {
        IllegalStateException first = new IllegalStateException("first");
        IllegalStateException second = new IllegalStateException("second", first);
        first.initCause(second);
        assertEquals(List.of(first, second), Causes.of(first).toList());
    }
}
