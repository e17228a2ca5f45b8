package dev.ferry.migrations.inventory.apps;

import static org.assertj.core.api.Assertions.assertThatCode;

import dev.ferry.migrations.inventory.InventoryParseException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class AppConfigPropertiesTest {

    /** Fragments of PHP config syntax in any order: the parsers answer or throw their own exception, nothing else. */
    @Property(tries = 3000)
    void phpLikeTextOnlyEverGivesAParseError(@ForAll("phpLike") String content) {
        assertThatCode(() -> {
            try {
                WordPress.parse("/c.php", content);
                MediaWiki.parse("/c.php", content);
                Drupal.parse("/c.php", content);
            } catch (InventoryParseException expected) {
                // the only allowed failure
            }
        }).doesNotThrowAnyException();
    }

    @Provide
    Arbitrary<String> phpLike() {
        return Arbitraries.of("<?php ", "define(", "'DB_HOST'", "'DB_NAME'", ",", ")", ";", "'x:3306'", "'h:/s'",
                        "'h:99999'", "\"$v\"", "$table_prefix", "=", "$databases", "['default']", "[", "]", "array(",
                        "=>", "'host'", "'port'", "$wgDBname", "$wgDBserver", "/*", "*/", "//", "#", "\n", "<<<E\n",
                        "E;", "'", "\"", "\\", "getenv('X')", ".", "1", "true")
                .list().ofMaxSize(40).map(parts -> String.join(" ", parts));
    }
}
