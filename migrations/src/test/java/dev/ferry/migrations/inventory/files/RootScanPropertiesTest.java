package dev.ferry.migrations.inventory.files;

import static org.assertj.core.api.Assertions.assertThatCode;

import dev.ferry.migrations.inventory.InventoryParseException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class RootScanPropertiesTest {

    private static final PoolUser USER = new PoolUser("www-data", 33, List.of(33));

    @Property(tries = 2000)
    void randomBytesOnlyEverGiveAParseError(@ForAll byte[] output) {
        assertOnlyParseErrors(output);
    }

    /** Bytes that look like find output (short fields, many NULs, digits, slashes), to get past the first checks. */
    @Property(tries = 2000)
    void nearlyValidOutputOnlyEverGivesAParseError(@ForAll("findLike") String output) {
        assertOnlyParseErrors(output.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Provide
    Arbitrary<String> findLike() {
        Arbitrary<String> field = Arbitraries.oneOf(
                Arbitraries.of("f", "d", "l", "p", "x", "", "0", "33", "755", "4777", "9", "-1",
                        "99999999999999999999", "/r", "/r/a", "/r/../..", "../x", "/", "www-data"),
                Arbitraries.strings().withChars("/.a\n\u00ff0123456789").ofMaxLength(6));
        return field.list().ofMaxSize(60).map(fields -> String.join("\0", fields)
                + (fields.isEmpty() ? "" : "\0"));
    }

    private static void assertOnlyParseErrors(byte[] output) {
        assertThatCode(() -> {
            try {
                RootScan.parse("/r", output, USER);
            } catch (InventoryParseException expected) {
                // the only allowed failure
            }
        }).doesNotThrowAnyException();
    }
}
