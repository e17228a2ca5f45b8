package dev.ferry.migrations.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.migrations.inventory.CapturedInventory;
import dev.ferry.migrations.inventory.Inventory;
import dev.ferry.migrations.inventory.files.RootFacts;
import dev.ferry.migrations.plan.ClusterSettings;
import dev.ferry.migrations.plan.Plan;
import dev.ferry.migrations.plan.Planner;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The probes of the test legacy host's captured inventory, with sample files set here. */
class ProbesTest {

    static Inventory withSamples(Map<String, List<String>> samples) {
        Inventory inv = CapturedInventory.legacyHost();
        List<RootFacts> roots = inv.roots().stream().map(r -> new RootFacts(r.path(), r.uid(), r.gid(), r.owner(),
                r.group(), r.files(), r.directories(), r.symlinks(), r.bytes(), r.hardLinkedFiles(),
                r.filesByOwner(), r.writableDirectories(), r.writableTruncated(), r.symlinksOutsideRoot(),
                r.unreadableFiles(), samples.getOrDefault(r.path(), List.of()))).toList();
        return new Inventory(inv.host(), inv.address(), inv.collectedAt(), inv.hostKeyFingerprint(), inv.system(),
                inv.nginx(), inv.php(), inv.database(), inv.poolMappings(), roots, inv.apps(), inv.warnings());
    }

    @Test
    void everySiteSchemeAndKindOfPageIsProbedInOrder() {
        Inventory inv = withSamples(Map.of(
                "/var/www/php", List.of("index.php", "info.php", "owner.txt", "uploads/first.txt"),
                "/var/www/static", List.of("img/logo ü.png", "index.html", "read me.txt"),
                "/var/www/app", List.of("index.php", "wp-config.php")));
        Plan plan = Planner.plan(inv, ClusterSettings.defaults());
        List<Probe> probes = Probes.derive(inv, plan);

        assertThat(probes).extracting(p -> p.id() + " " + p.kind()).containsExactly(
                "app.example.test http GET / DYNAMIC",
                "app.example.test http GET /index.php DYNAMIC",
                "app.example.test http GET /wp-config.php DYNAMIC",
                "php.example.test http GET / DYNAMIC",
                "php.example.test http GET /index.php DYNAMIC",
                "php.example.test http GET /owner.txt STATIC",
                "php.example.test http GET /info.php DYNAMIC",
                "php.example.test http GET /docs/ STATIC",
                "secure.example.test https GET / STATIC",
                "secure.example.test https GET /index.html STATIC",
                "secure.example.test http GET / STATIC",
                "static.example.test http GET / STATIC",
                "static.example.test http GET /index.html STATIC",
                "static.example.test http GET /img/logo%20%C3%BC.png STATIC");
        Probe tls = probes.get(8);
        assertThat(tls.scheme()).isEqualTo("https");
        assertThat(tls.port()).isEqualTo(443);
        assertThat(tls.hostName()).isEqualTo("secure.example.test");
        assertThat(tls.site()).isEqualTo("secure.example.test");
        assertThat(Probes.derive(inv, plan)).isEqualTo(probes);
    }

    @Test
    void withoutSamplesTheRootIndexAndAliasesAreStillProbed() {
        Inventory inv = withSamples(Map.of());
        List<Probe> probes = Probes.derive(inv, Planner.plan(inv, ClusterSettings.defaults()));
        assertThat(probes).extracting(Probe::id).filteredOn(id -> id.startsWith("php."))
                .containsExactly("php.example.test http GET /", "php.example.test http GET /index.php",
                        "php.example.test http GET /docs/");
    }

    @Test
    void namesAClientCannotSendAreNotProbed() {
        assertThat(Probes.requestable("shop.example.test")).isTrue();
        assertThat(Probes.requestable("_")).isFalse();
        assertThat(Probes.requestable("")).isFalse();
        assertThat(Probes.requestable("*.example.test")).isFalse();
        assertThat(Probes.requestable(".example.test")).isFalse();
        assertThat(Probes.requestable("~^(www\\.)?(?<domain>.+)$")).isFalse();
        assertThat(Probes.requestable("www.example.*")).isFalse();
    }

    @Test
    void pathsArePercentEncodedByteByByte() {
        assertThat(Probes.encode("read me.txt")).isEqualTo("/read%20me.txt");
        assertThat(Probes.encode("a/b?c#d%e.html")).isEqualTo("/a/b%3Fc%23d%25e.html");
        assertThat(Probes.encode("café.css")).isEqualTo("/caf%C3%A9.css");
        assertThat(Probes.encode("x+y=z;@.txt")).isEqualTo("/x+y=z;@.txt");
        assertThat(Probes.encode("docs/")).isEqualTo("/docs/");
    }

    @Test
    void thePortIsPartOfTheIdWhenItIsNotTheSchemesDefault() {
        assertThat(Probe.of("s", "http", "s.test", 8080, "/", Probe.Kind.STATIC).id())
                .isEqualTo("s.test http:8080 GET /");
        assertThat(Probe.of("s", "https", "s.test", 443, "/", Probe.Kind.STATIC).id())
                .isEqualTo("s.test https GET /");
        assertThat(Probe.of("s", "https", "s.test", 80, "/", Probe.Kind.STATIC).id())
                .isEqualTo("s.test https:80 GET /");
    }
}
