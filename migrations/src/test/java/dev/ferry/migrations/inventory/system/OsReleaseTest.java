package dev.ferry.migrations.inventory.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.migrations.inventory.Fixtures;
import dev.ferry.migrations.inventory.InventoryParseException;
import org.junit.jupiter.api.Test;

class OsReleaseTest {

    @Test
    void bookworm() {
        assertThat(OsRelease.parse(Fixtures.read("system/os-release-debian-12.txt")))
                .isEqualTo(new OsRelease("debian", "12", "Debian GNU/Linux 12 (bookworm)", "bookworm"));
    }

    @Test
    void quotingStylesAndSpecDefaults() {
        OsRelease os = OsRelease.parse("""
                # comment
                NAME='CentOS Linux'
                VERSION_ID="7"
                PRETTY_NAME="Say \\"hi\\" for \\$5"
                """);
        assertThat(os).isEqualTo(new OsRelease("linux", "7", "Say \"hi\" for $5", null));
    }

    @Test
    void garbage() {
        assertThatThrownBy(() -> OsRelease.parse("cat: /etc/os-release: No such file or directory"))
                .isInstanceOf(InventoryParseException.class)
                .hasMessage("cat /etc/os-release: line 1 is not KEY=value");
        assertThatThrownBy(() -> OsRelease.parse("ID=\"debian\n"))
                .isInstanceOf(InventoryParseException.class).hasMessageContaining("unterminated");
        assertThatThrownBy(() -> OsRelease.parse(" ")).isInstanceOf(InventoryParseException.class);
    }
}
