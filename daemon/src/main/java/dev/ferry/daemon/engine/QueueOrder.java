package dev.ferry.daemon.engine;

import dev.ferry.state.migration.Migration;
import java.util.Comparator;

/** First come, first served: held migrations go in the order they were first held (or due), then by id. */
public final class QueueOrder {

    public static final Comparator<Migration> COMPARATOR = Comparator
            .comparing((Migration o) -> o.heldSince() != null ? o.heldSince() : o.nextRunAt(),
                    Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparingLong(Migration::id);

    private QueueOrder() {
    }
}
