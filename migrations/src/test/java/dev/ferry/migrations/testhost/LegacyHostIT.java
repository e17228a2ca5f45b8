package dev.ferry.migrations.testhost;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fixture itself: reachable with OpenSSH's client, serving its sites, isolated, gone when closed. */
class LegacyHostIT {

    static LegacyHost host;
    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        long t0 = System.nanoTime();
        host = LegacyHost.start();
        System.out.println("legacy host up in " + (System.nanoTime() - t0) / 1_000_000 + " ms: " + host);
    }

    @AfterAll
    static void stop() {
        host.close();
    }

    static LegacyHost.Result local(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).start();
        String out = new String(p.getInputStream().readAllBytes());
        String err = new String(p.getErrorStream().readAllBytes());
        return new LegacyHost.Result(p.waitFor(), out, err);
    }

    static LegacyHost.Result ssh(LegacyHost h, String user, String command) throws Exception {
        Path known = dir.resolve("known_hosts-" + h.address());
        Files.writeString(known, h.knownHostsLine() + "\n");
        return local("ssh", "-i", h.clientKey().toString(), "-p", Integer.toString(h.sshPort()),
                "-o", "StrictHostKeyChecking=yes", "-o", "UserKnownHostsFile=" + known, "-o", "BatchMode=yes",
                "-o", "IdentitiesOnly=yes", user + "@" + h.address(), command);
    }

    static LegacyHost.Result curl(LegacyHost h, String url, String host, int port) throws Exception {
        return local("curl", "-sS", "-k", "-i", "--resolve", host + ":" + port + ":" + h.address(), url);
    }

    @Test
    void sshWithThePinnedKeySeesThisHostsNginxAndPhpFpm() throws Exception {
        LegacyHost.Result nginx = ssh(host, "root", "nginx -T 2>&1");
        assertThat(nginx.exitCode()).as(nginx.stderr()).isZero();
        assertThat(nginx.stdout()).contains("listen " + host.address() + ":80 default_server;")
                .contains("# configuration file /etc/nginx/sites-enabled/php.conf:")
                .contains("load_module modules/ngx_http_lua_module.so;");
        LegacyHost.Result fpm = ssh(host, "root", "php-fpm8.2 -tt 2>&1");
        assertThat(fpm.stdout()).contains("[api]").contains("listen = " + host.address() + ":9001")
                .contains("listen = /run/php/php8.2-fpm.sock");
        assertThat(host.hostKeyFingerprint()).startsWith("SHA256:");
    }

    @Test
    void theOperatorLogsInAndUsesSudoWithoutAPassword() throws Exception {
        LegacyHost.Result r = ssh(host, "ferryops", "id -un && sudo -n id -un");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout().lines().toList()).containsExactly("ferryops", "root");
    }

    @Test
    void everySiteServesItsContent() throws Exception {
        assertThat(curl(host, "http://static.example.test/", "static.example.test", 80).stdout())
                .contains("200 OK").contains("X-Legacy-Site: static").contains("static site on " + host.address());
        assertThat(curl(host, "http://php.example.test/info.php/extra/path", "php.example.test", 80).stdout())
                .contains("PATH_INFO=/extra/path").contains("SCRIPT_FILENAME=/var/www/php/info.php").contains("USER=www-data");
        assertThat(curl(host, "http://php.example.test/docs/", "php.example.test", 80).stdout())
                .contains("docs served through an alias");
        assertThat(curl(host, "http://app.example.test/", "app.example.test", 80).stdout())
                .contains("Hello legacy world").contains("Second post");
        assertThat(curl(host, "https://secure.example.test/lua", "secure.example.test", 443).stdout())
                .contains("hello {from} lua");
        assertThat(curl(host, "http://secure.example.test/x", "secure.example.test", 80).stdout())
                .contains("301").contains("Location: https://secure.example.test/x");
        assertThat(curl(host, "http://app.example.test/wp-config.php", "app.example.test", 80).stdout()).contains("403");
    }

    @Test
    void twoHostsDoNotSeeEachOtherAndCloseLeavesNothingBehind() throws Exception {
        LegacyHost other = LegacyHost.start();
        Path otherRoot = other.root();
        List<Long> pids = new ArrayList<>();
        try {
            assertThat(other.address()).isNotEqualTo(host.address());
            assertThat(ssh(other, "root", "nginx -T 2>&1").stdout()).contains(other.address() + ":80")
                    .doesNotContain(host.address() + ":80");
            String ps = ssh(other, "root", "ps ax -o pid=,args=").stdout();
            assertThat(ps).contains("nginx: master").doesNotContain(host.root().toString());
            ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(otherRoot.toString()))
                    .forEach(p -> pids.add(p.pid()));
            assertThat(pids).isNotEmpty();
        } finally {
            other.close();
        }
        assertThat(pids).allMatch(LegacyHost::isGone);
        assertThat(Files.exists(otherRoot)).isFalse();
        // The first host is untouched.
        assertThat(ssh(host, "root", "true").exitCode()).isZero();
    }
}
