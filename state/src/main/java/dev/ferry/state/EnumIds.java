package dev.ferry.state;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How Ferry's enums appear in the API, the database and logs: lower case with dashes ({@code verify-after}). */
public final class EnumIds {

    private EnumIds() {
    }

    public static String id(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** @throws IllegalArgumentException naming the known ids */
    public static <E extends Enum<E>> E parse(Class<E> type, String id, String what) {
        for (E e : type.getEnumConstants()) {
            if (id(e).equals(id)) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown " + what + " '" + id + "'; known: "
                + Arrays.stream(type.getEnumConstants()).map(EnumIds::id).collect(Collectors.joining(", ")));
    }
}
