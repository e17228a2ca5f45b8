package dev.ferry.migrations.inventory.php;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.migrations.inventory.Fixtures;
import dev.ferry.migrations.inventory.InventoryParseException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PhpSettingsTest {

    @Test
    void whatDebiansIniFilesChangeFromPhpsDefaultsIsFound() {
        Map<String, String> with = PhpSettings.parse(Fixtures.read("php/php-fpm-i-8.2-bookworm.txt"));
        Map<String, String> without = PhpSettings.parse(Fixtures.read("php/php-fpm-n-i-8.2-bookworm.txt"));
        assertThat(with).containsEntry("memory_limit", "128M").containsEntry("expose_php", "Off");
        assertThat(without).containsEntry("expose_php", "On");
        Map<String, String> changed = PhpSettings.changed(with, without);
        // Debian's php.ini-production: the differences from the built-in defaults.
        assertThat(changed).containsEntry("expose_php", "Off").containsEntry("display_errors", "Off")
                .containsEntry("log_errors", "On").containsEntry("error_reporting", "22527")
                .containsEntry("max_input_time", "60").doesNotContainKey("memory_limit");
        assertThat(changed.keySet()).noneMatch(k -> k.contains("pass") || k.contains("extension_dir")
                || k.equals("session.save_path") || k.equals("include_path"));
    }

    @Test
    void onlyDirectiveRowsAreReadNeverTheEnvironment() {
        String info = """
                PHP Version => 8.2.36
                Directive => Local Value => Master Value
                memory_limit => 256M => 256M
                mysqli.default_pw => hunter2 => hunter2
                $_ENV['DB_PASSWORD'] => hunter2
                $_SERVER['SECRET'] => x => y
                """;
        Map<String, String> parsed = PhpSettings.parse(info);
        assertThat(parsed).containsOnlyKeys("memory_limit", "mysqli.default_pw");
        assertThat(PhpSettings.changed(parsed, Map.of("memory_limit", "128M", "mysqli.default_pw", "")))
                .containsOnlyKeys("memory_limit");
        assertThatThrownBy(() -> PhpSettings.parse("sh: php-fpm: not found")).isInstanceOf(InventoryParseException.class);
    }
}
