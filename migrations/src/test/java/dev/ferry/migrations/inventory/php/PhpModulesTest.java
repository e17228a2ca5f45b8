package dev.ferry.migrations.inventory.php;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.migrations.inventory.Fixtures;
import dev.ferry.migrations.inventory.InventoryParseException;
import org.junit.jupiter.api.Test;

class PhpModulesTest {

    @Test
    void bookwormWithDebianExtensions() {
        PhpModules m = PhpModules.parse(Fixtures.read("php/php-m-8.2-bookworm.txt"));
        assertThat(m.php()).hasSize(49).startsWith("calendar", "Core")
                .contains("mysqli", "PDO", "pdo_mysql", "Zend OPcache", "gd", "intl").endsWith("zip", "zlib");
        assertThat(m.zend()).containsExactly("Zend OPcache");
        assertThat(m.all()).hasSize(49).containsOnlyOnce("Zend OPcache");
    }

    @Test
    void officialImage74HasAnEmptyZendSection() {
        PhpModules m = PhpModules.parse(Fixtures.read("php/php-m-7.4-docker.txt"));
        assertThat(m.php()).hasSize(33).contains("json", "pdo_sqlite", "sodium").doesNotContain("mysqli", "random");
        assertThat(m.zend()).isEmpty();
    }

    @Test
    void officialImage83HasRandomAndNoFtp() {
        PhpModules m = PhpModules.parse(Fixtures.read("php/php-m-8.3-docker.txt"));
        assertThat(m.php()).hasSize(33).contains("random").doesNotContain("ftp");
        assertThat(m.zend()).isEmpty();
        assertThat(m.all()).isEqualTo(m.php());
    }

    @Test
    void warningsBeforeTheListAreSkipped() {
        PhpModules m = PhpModules.parse("PHP Warning:  Module \"gd\" is already loaded in Unknown on line 0\n"
                + "[PHP Modules]\ngd\n\n[Zend Modules]\nXdebug\nZend OPcache\n");
        assertThat(m).isEqualTo(new PhpModules(java.util.List.of("gd"), java.util.List.of("Xdebug", "Zend OPcache")));
    }

    @Test
    void truncatedOrForeignOutputIsRejected() {
        assertThatThrownBy(() -> PhpModules.parse("[PHP Modules]\nCore\nctype\n"))
                .isInstanceOf(InventoryParseException.class).hasMessage("php -m: no [Zend Modules] section (output truncated?)");
        assertThatThrownBy(() -> PhpModules.parse("Core\nctype\n"))
                .isInstanceOf(InventoryParseException.class).hasMessageContaining("no [PHP Modules]");
        assertThatThrownBy(() -> PhpModules.parse("[PHP Modules]\n[Zend Modules]\n"))
                .isInstanceOf(InventoryParseException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> PhpModules.parse("[PHP Modules]\nCore\n[Other]\n"))
                .isInstanceOf(InventoryParseException.class).hasMessageContaining("[Other]");
    }
}
