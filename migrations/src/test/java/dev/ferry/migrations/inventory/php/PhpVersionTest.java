package dev.ferry.migrations.inventory.php;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.migrations.inventory.Fixtures;
import dev.ferry.migrations.inventory.InventoryParseException;
import org.junit.jupiter.api.Test;

class PhpVersionTest {

    @Test
    void bookwormCli() {
        PhpVersion v = PhpVersion.parse(Fixtures.read("php/php-v-8.2-bookworm.txt"));
        assertThat(v).isEqualTo(new PhpVersion("8.2.36", "8.2", "cli", false, "4.2.36"));
    }

    @Test
    void bookwormFpmPrintsNoThreadSafetyMarker() {
        PhpVersion v = PhpVersion.parse(Fixtures.read("php/php-fpm-v-8.2-bookworm.txt"));
        assertThat(v).isEqualTo(new PhpVersion("8.2.36", "8.2", "fpm-fcgi", false, "4.2.36"));
    }

    @Test
    void php74WithSpacesInsideTheMarker() {
        PhpVersion v = PhpVersion.parse(Fixtures.read("php/php-v-7.4-docker.txt"));
        assertThat(v).isEqualTo(new PhpVersion("7.4.3", "7.4", "cli", false, "3.4.0"));
    }

    @Test
    void php83Ubuntu() {
        PhpVersion v = PhpVersion.parse(Fixtures.read("php/php-v-8.3-ubuntu.txt"));
        assertThat(v).isEqualTo(new PhpVersion("8.3.6", "8.3", "cli", false, "4.3.6"));
    }

    @Test
    void php56WithoutMarkerAndTrailingSpace() {
        PhpVersion v = PhpVersion.parse(Fixtures.read("php/php-v-5.6-webtatic.txt"));
        assertThat(v).isEqualTo(new PhpVersion("5.6.40", "5.6", "cli", false, "2.6.0"));
    }

    @Test
    void distributionSuffixIsDroppedAndZtsIsSeen() {
        PhpVersion v = PhpVersion.parse("""
                PHP 8.2.7-1~deb12u1 (cli) (built: Jun  9 2023 19:37:27) (ZTS DEBUG)
                Copyright (c) The PHP Group
                Zend Engine v4.2.7, Copyright (c) Zend Technologies
                """);
        assertThat(v).isEqualTo(new PhpVersion("8.2.7", "8.2", "cli", true, "4.2.7"));
        assertThat(PhpVersion.parse("PHP 7.4.3-4ubuntu2.18 (cli) (built: Feb 23 2023 12:43:23) ( ZTS )\n"
                + "Zend Engine v3.4.0, Copyright (c) Zend Technologies\n").threadSafe()).isTrue();
    }

    @Test
    void startupWarningsBeforeTheBannerAreSkipped() {
        PhpVersion v = PhpVersion.parse("""
                PHP Warning:  Module "mysqli" is already loaded in Unknown on line 0
                PHP 8.2.36 (cli) (built: Nov 18 2026 20:02:04) (NTS)
                Zend Engine v4.2.36, Copyright (c) Zend Technologies
                """);
        assertThat(v.version()).isEqualTo("8.2.36");
    }

    @Test
    void garbageIsRejectedWithTheCommand() {
        assertThatThrownBy(() -> PhpVersion.parse("bash: php: command not found"))
                .isInstanceOf(InventoryParseException.class)
                .hasMessageStartingWith("php -v: ")
                .extracting(e -> ((InventoryParseException) e).command()).isEqualTo("php -v");
        assertThatThrownBy(() -> PhpVersion.parse("")).isInstanceOf(InventoryParseException.class);
        assertThatThrownBy(() -> PhpVersion.parse("PHP 8.2.1 (cli)\n"))
                .isInstanceOf(InventoryParseException.class).hasMessageContaining("Zend Engine");
    }
}
