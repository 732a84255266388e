package io.lenetspark.failure;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A failure and the causes under it. The exception caught is rarely the one that explains: Spark
 * wraps what a task threw a few causes deep, Hadoop and the HTTP client wrap what the store or the
 * network said.
 */
public final class Causes {

    private Causes() {
    }

    /** {@code failure}, its cause, that one's cause and so on, outermost first; a cause met again ends it. */
    public static Stream<Throwable> of(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain.stream();
    }

    /** The outermost of the chain that is a {@code type}. */
    public static <T extends Throwable> Optional<T> find(Throwable failure, Class<T> type) {
        return of(failure).filter(type::isInstance).map(type::cast).findFirst();
    }

    public static boolean any(Throwable failure, Predicate<Throwable> test) {
        return of(failure).anyMatch(test);
    }

    /** The last of the chain: the root cause, or {@code failure} itself when it has none. */
    public static Throwable innermost(Throwable failure) {
        return of(failure).reduce((outer, inner) -> inner).orElseThrow();
    }
}
