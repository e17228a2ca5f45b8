package dev.ferry.migrations.inventory.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.migrations.inventory.Fixtures;
import dev.ferry.migrations.inventory.InventoryParseException;
import java.util.List;
import org.junit.jupiter.api.Test;

class PoolUserTest {

    @Test
    void realIdOutput() {
        assertThat(PoolUser.parse("www-data", Fixtures.read("files/id-www-data.txt")))
                .isEqualTo(new PoolUser("www-data", 33, List.of(33)));
        assertThat(PoolUser.parse("nobody", Fixtures.read("files/id-nobody.txt")))
                .isEqualTo(new PoolUser("nobody", 65534, List.of(65534)));
    }

    @Test
    void supplementaryGroupsNamelessIdsAndTranslatedLabel() {
        assertThat(PoolUser.parse("www-data", "uid=33(www-data) gid=33(www-data) groups=33(www-data),1001(x)"))
                .isEqualTo(new PoolUser("www-data", 33, List.of(33, 1001)));
        assertThat(PoolUser.parse("app", "uid=1001 gid=1001 groups=1001,27"))
                .isEqualTo(new PoolUser("app", 1001, List.of(1001, 27)));
        assertThat(PoolUser.parse("app", "uid=1001(app) gid=1001(app) Gruppen=1001(app),4(adm)").gids())
                .containsExactly(1001, 4);
    }

    @Test
    void unknownUser() {
        assertThatThrownBy(() -> PoolUser.parse("apiuser", "id: ‘apiuser’: no such user"))
                .isInstanceOf(InventoryParseException.class)
                .hasMessageStartingWith("id apiuser: expected 'uid=N(name)")
                .extracting(e -> ((InventoryParseException) e).command()).isEqualTo("id apiuser");
        assertThatThrownBy(() -> PoolUser.parse("x", "uid=1(x) gid=1(x) groups=1(x),oops"))
                .isInstanceOf(InventoryParseException.class).hasMessageContaining("bad group entry");
    }
}
