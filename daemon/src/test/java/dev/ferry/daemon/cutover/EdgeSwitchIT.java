package dev.ferry.daemon.cutover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.daemon.LegacyHosts;
import dev.ferry.migrations.cutover.CutoverSettings;
import dev.ferry.migrations.cutover.EdgeSwitch;
import dev.ferry.migrations.cutover.LegacyEdge;
import dev.ferry.migrations.cutover.LegacyEdge.Edge;
import dev.ferry.migrations.cutover.LegacyEdge.EdgeState;
import dev.ferry.migrations.inventory.Inventory;
import dev.ferry.migrations.port.PermanentFailure;
import dev.ferry.migrations.port.RemoteShell;
import dev.ferry.migrations.testhost.LegacyHost;
import dev.ferry.migrations.verify.Ingress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The legacy edge switched on a real legacy host: its nginx files rewritten through symlinks, checked by
 * {@code nginx -t}, reloaded; and back, byte for byte. Someone else's change and a configuration nginx refuses
 * leave the host as it was.
 */
class EdgeSwitchIT {

    static LegacyHost host;
    static Inventory inventory;
    static Map<String, byte[]> originals;
    long migration = ThreadLocalRandom.current().nextLong(1_000_000, 9_000_000);

    @BeforeAll
    static void start() throws Exception {
        host = LegacyHost.start();
        inventory = LegacyHosts.inventory(host);
        originals = read();
        assertThat(originals).containsKeys("/etc/nginx/sites-enabled/static.conf",
                "/etc/nginx/sites-enabled/secure.conf");
    }

    @AfterAll
    static void stop() {
        host.close();
    }

    @AfterEach
    void removeBackups() throws Exception {
        new ProcessBuilder("rm", "-rf", "/var/backups/ferry/migration-" + migration).start().waitFor();
    }

    static Map<String, byte[]> read() throws Exception {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (var server : inventory.nginx().config().servers()) {
            files.put(server.file(), Files.readAllBytes(onHost(server.file())));
        }
        return files;
    }

    static Path onHost(String path) {
        return host.root().resolve(path.substring(1));
    }

    Edge edge(String ingressAddress) {
        return LegacyEdge.plan(inventory, originals, migration,
                new CutoverSettings(new Ingress(ingressAddress, 1, 2), false, 30));
    }

    static void apply(Edge edge, EdgeState state) {
        try (RemoteShell shell = LegacyHosts.shells().open(LegacyHosts.asRoot(host))) {
            EdgeSwitch.apply(shell, edge, state);
        }
    }

    static String status(String name) throws Exception {
        Process p = new ProcessBuilder("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--resolve",
                name + ":80:" + host.address(), "http://" + name + "/").start();
        String code = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return code;
    }

    @Test
    void theProxyFormIsLiveAfterTheSwitchAndTheOriginalComesBackByteForByte() throws Exception {
        Edge edge = edge("127.0.0.1");
        apply(edge, EdgeState.PROXY);

        // Nothing listens on the "ingress" port: the legacy nginx now answers as a proxy that cannot reach it.
        assertThat(status("static.example.test")).isEqualTo("502");
        for (var f : edge.files()) {
            assertThat(Files.isSymbolicLink(onHost(f.path()))).as(f.path() + " is still a symlink").isTrue();
            assertThat(new String(Files.readAllBytes(onHost(f.path())), java.nio.charset.StandardCharsets.ISO_8859_1))
                    .isEqualTo(f.proxy());
            assertThat(Path.of("/var/backups/ferry/migration-" + migration + "/original" + f.path()))
                    .hasBinaryContent(originals.get(f.path()));
        }
        assertThat(edge.files().getFirst().proxy()).contains("upstream ferry_m" + migration + "_http {")
                .contains("proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;");
        // Again: nothing to write, still reloaded, same result.
        apply(edge, EdgeState.PROXY);

        apply(edge, EdgeState.ORIGINAL);
        assertThat(read()).allSatisfy((path, bytes) -> assertThat(bytes).isEqualTo(originals.get(path)));
        assertThat(status("static.example.test")).isEqualTo("200");
        try (var hidden = Files.list(onHost("/etc/nginx/sites-available"))) {
            assertThat(hidden).noneMatch(p -> p.getFileName().toString().startsWith(".ferry-new"));
        }
    }

    @Test
    void inMaintenanceEverySiteAnswers503WithRetryAfterOverHttpAndTls() throws Exception {
        Edge edge = edge("127.0.0.1");
        apply(edge, EdgeState.MAINTENANCE);
        try {
            for (String url : List.of("http://static.example.test/", "http://php.example.test/index.php",
                    "https://secure.example.test/")) {
                String name = URI.create(url).getHost();
                int port = url.startsWith("https") ? 443 : 80;
                Process p = new ProcessBuilder("curl", "-sk", "-D", "-", "-o", "/dev/null", "--resolve",
                        name + ":" + port + ":" + host.address(), url).start();
                String head = new String(p.getInputStream().readAllBytes());
                assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
                assertThat(head).as(url).startsWith("HTTP/").contains(" 503").containsIgnoringCase("Retry-After: 30");
            }
        } finally {
            apply(edge, EdgeState.ORIGINAL);
        }
        assertThat(read()).allSatisfy((path, bytes) -> assertThat(bytes).isEqualTo(originals.get(path)));
    }

    @Test
    void aFileSomeoneChangedStopsTheSwitchBeforeAnythingIsWritten() throws Exception {
        Edge edge = edge("127.0.0.1");
        Path php = onHost("/etc/nginx/sites-enabled/php.conf");
        byte[] before = Files.readAllBytes(php);
        Files.write(php, (new String(before) + "\n# an operator's late change\n").getBytes());
        try {
            assertThatThrownBy(() -> apply(edge, EdgeState.PROXY)).isInstanceOf(PermanentFailure.class)
                    .hasMessageContaining("/etc/nginx/sites-enabled/php.conf was changed on the host");
            for (var f : edge.files()) {
                if (!f.path().endsWith("php.conf")) {
                    assertThat(onHost(f.path())).hasBinaryContent(originals.get(f.path()));
                }
            }
            assertThat(status("static.example.test")).isEqualTo("200");
        } finally {
            Files.write(php, before);
        }
    }

    @Test
    void aConfigurationNginxRefusesIsUndoneAndTheSitesKeepServing() throws Exception {
        // An ingress name that does not resolve: nginx -t fails on the upstream.
        Edge edge = edge("ingress.ferry-test.invalid");
        assertThatThrownBy(() -> apply(edge, EdgeState.PROXY)).isInstanceOf(PermanentFailure.class)
                .hasMessageContaining("nginx -t refused the configuration")
                .hasMessageContaining("host not found in upstream");
        assertThat(read()).allSatisfy((path, bytes) -> assertThat(bytes).isEqualTo(originals.get(path)));
        assertThat(status("static.example.test")).isEqualTo("200");
    }
}
