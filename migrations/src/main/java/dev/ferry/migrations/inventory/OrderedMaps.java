package dev.ferry.migrations.inventory;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Immutable copies of maps that keep their iteration order. {@link Map#copyOf} would shuffle keys, and inventories
 * are compared, rendered and hashed, so their order must not change from one run to the next.
 */
public final class OrderedMaps {

    private OrderedMaps() {
    }

    /** An unmodifiable copy iterating in {@code source}'s order; null keys or values are refused. */
    public static <K, V> Map<K, V> copyOf(Map<K, V> source) {
        LinkedHashMap<K, V> copy = new LinkedHashMap<>();
        source.forEach((k, v) -> {
            if (k == null || v == null) {
                throw new NullPointerException("null key or value for key " + k);
            }
            copy.put(k, v);
        });
        return Collections.unmodifiableMap(copy);
    }
}
