package dev.ferry.migrations.cutover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.migrations.cutover.LegacyEdge.Edge;
import dev.ferry.migrations.cutover.LegacyEdge.EdgeFile;
import dev.ferry.migrations.inventory.CapturedInventory;
import dev.ferry.migrations.inventory.Inventory;
import dev.ferry.migrations.inventory.nginx.Directive;
import dev.ferry.migrations.inventory.nginx.NginxConfigParser;
import dev.ferry.migrations.inventory.nginx.NginxDump;
import dev.ferry.migrations.verify.Ingress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LegacyEdgeTest {

    static final Inventory INVENTORY = CapturedInventory.legacyHost();
    static final CutoverSettings SETTINGS = new CutoverSettings(new Ingress("10.0.0.7", 8080, 8443), false, 90);

    static Map<String, byte[]> onHost() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (NginxDump.ConfigFile f : INVENTORY.nginx().configFiles()) {
            files.put(f.path(), (f.content() + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return files;
    }

    static Directive server(String text) {
        return NginxConfigParser.parse(text, "x").stream().filter(d -> d.name().equals("server")).findFirst()
                .orElseThrow();
    }

    @Test
    void everyFileWithServerBlocksGetsAProxyThatKeepsHowClientsReachTheSite() {
        Edge edge = LegacyEdge.plan(INVENTORY, onHost(), 12, SETTINGS);
        assertThat(edge.files()).extracting(EdgeFile::path).containsExactly("/etc/nginx/sites-enabled/app.conf",
                "/etc/nginx/sites-enabled/php.conf", "/etc/nginx/sites-enabled/secure.conf",
                "/etc/nginx/sites-enabled/static.conf");
        assertThat(edge.backupDir()).isEqualTo("/var/backups/ferry/migration-12");
        assertThat(edge.pidFile()).isEqualTo("/run/nginx.pid");
        // Debian builds name no --sbin-path: root's PATH finds it.
        assertThat(edge.nginx()).isEqualTo("nginx");

        EdgeFile secure = edge.files().get(2);
        List<Directive> servers = NginxConfigParser.parse(secure.proxy(), secure.path()).stream()
                .filter(d -> d.name().equals("server")).toList();
        assertThat(servers).hasSize(2);
        Directive tls = servers.getFirst();
        assertThat(tls.block()).extracting(Directive::name).contains("listen", "server_name", "ssl_certificate",
                "ssl_certificate_key", "location").doesNotContain("root", "index", "include");
        assertThat(secure.proxy()).contains("proxy_pass $scheme://ferry_m12_$scheme;")
                .contains("proxy_set_header Host $host;").contains("proxy_ssl_name $host;")
                .doesNotContain("content_by_lua_block").doesNotContain("upstream ferry_m12");
        // The upstreams, once, in the first file: the ingress's port for each scheme.
        assertThat(edge.files().getFirst().proxy()).contains("upstream ferry_m12_http {\n    server 10.0.0.7:8080;")
                .contains("upstream ferry_m12_https {\n    server 10.0.0.7:8443;");
        assertThat(edge.files().getFirst().original()).isEqualTo(new String(onHost().get(
                "/etc/nginx/sites-enabled/app.conf"), StandardCharsets.ISO_8859_1));
    }

    @Test
    void theMaintenanceFormAnswers503WithRetryAfter() {
        EdgeFile php = LegacyEdge.plan(INVENTORY, onHost(), 3, SETTINGS).files().get(1);
        assertThat(php.maintenance()).contains("add_header Retry-After 90 always;").contains("return 503;")
                .doesNotContain("fastcgi_pass").doesNotContain("upstream");
    }

    @Test
    void aFileChangedSinceTheInventoryOrGoneIsRefused() {
        Map<String, byte[]> changed = onHost();
        changed.put("/etc/nginx/sites-enabled/php.conf", "server { listen 81; }\n".getBytes());
        assertThatThrownBy(() -> LegacyEdge.plan(INVENTORY, changed, 3, SETTINGS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("/etc/nginx/sites-enabled/php.conf changed on the host since the inventory; the plan was "
                        + "made from the old text: start a new migration to take the change along");
        Map<String, byte[]> gone = onHost();
        gone.remove("/etc/nginx/sites-enabled/static.conf");
        assertThatThrownBy(() -> LegacyEdge.plan(INVENTORY, gone, 3, SETTINGS))
                .hasMessage("/etc/nginx/sites-enabled/static.conf is gone from the host since the inventory");
    }

    @Test
    void theOriginalIsKeptByteForByteOneCharPerByte() {
        Map<String, byte[]> files = onHost();
        String path = "/etc/nginx/sites-enabled/static.conf";
        EdgeFile f = LegacyEdge.plan(INVENTORY, files, 3, SETTINGS).files().get(3);
        assertThat(f.path()).isEqualTo(path);
        assertThat(f.original().getBytes(StandardCharsets.ISO_8859_1)).isEqualTo(files.get(path));
    }

    @Test
    void anIpv6IngressIsBracketedAndAnUnsetOneIsRefused() {
        Edge edge = LegacyEdge.plan(INVENTORY, onHost(), 4, new CutoverSettings(new Ingress("fd00::7", 80, 443),
                false, 30));
        assertThat(edge.files().getFirst().proxy()).contains("server [fd00::7]:80;");
        assertThatThrownBy(() -> LegacyEdge.plan(INVENTORY, onHost(), 4, new CutoverSettings(
                new Ingress(null, 80, 443), false, 30))).hasMessageContaining("cutover.ingressAddress");
    }
}
