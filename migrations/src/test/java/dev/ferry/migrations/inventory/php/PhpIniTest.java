package dev.ferry.migrations.inventory.php;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.migrations.inventory.Fixtures;
import dev.ferry.migrations.inventory.InventoryParseException;
import java.util.List;
import org.junit.jupiter.api.Test;

class PhpIniTest {

    @Test
    void bookwormCli() {
        PhpIni ini = PhpIni.parse(Fixtures.read("php/php-ini-8.2-bookworm.txt"));
        assertThat(ini.configPath()).isEqualTo("/etc/php/8.2/cli");
        assertThat(ini.loadedFile()).isEqualTo("/etc/php/8.2/cli/php.ini");
        assertThat(ini.scanDir()).isEqualTo("/etc/php/8.2/cli/conf.d");
        assertThat(ini.additionalFiles()).hasSize(33)
                .startsWith("/etc/php/8.2/cli/conf.d/10-mysqlnd.ini", "/etc/php/8.2/cli/conf.d/10-opcache.ini")
                .endsWith("/etc/php/8.2/cli/conf.d/20-zip.ini");
    }

    @Test
    void noIniFilesAtAll() {
        PhpIni ini = PhpIni.parse(Fixtures.read("php/php-ini-none-8.2-bookworm.txt"));
        assertThat(ini).isEqualTo(new PhpIni("/etc/php/8.2/cli", null, null, List.of()));
    }

    @Test
    void officialImageListsFilesFromTheNextLine() {
        PhpIni ini = PhpIni.parse(Fixtures.read("php/php-ini-8.0-alpine-docker.txt"));
        assertThat(ini.loadedFile()).isNull();
        assertThat(ini.scanDir()).isEqualTo("/usr/local/etc/php/conf.d");
        assertThat(ini.additionalFiles()).hasSize(8).first().isEqualTo(
                "/usr/local/etc/php/conf.d/docker-php-ext-gd.ini");
    }

    @Test
    void truncatedOutputIsRejected() {
        assertThatThrownBy(() -> PhpIni.parse("Configuration File (php.ini) Path: /etc/php/8.2/cli\n"))
                .isInstanceOf(InventoryParseException.class).hasMessageStartingWith("php --ini: missing");
        assertThatThrownBy(() -> PhpIni.parse("Loaded Configuration File: (none)\nScan for additional .ini files in: (none)\n"
                + "Additional .ini files parsed: (none)\n"))
                .isInstanceOf(InventoryParseException.class).hasMessageContaining("Configuration File (php.ini) Path");
        assertThatThrownBy(() -> PhpIni.parse("Usage: php [options]"))
                .isInstanceOf(InventoryParseException.class).hasMessageContaining("unexpected line");
    }
}
