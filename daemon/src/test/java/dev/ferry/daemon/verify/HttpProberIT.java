package dev.ferry.daemon.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.daemon.LocalCluster;
import dev.ferry.migrations.port.Prober;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The prober against a real nginx on a loopback address of its own: two names on one address over HTTP and
 * over TLS (each with its own certificate, chosen by SNI), a redirect, a cookie, a big file.
 */
class HttpProberIT {

    @TempDir
    static Path dir;
    static String address;
    static Process nginx;
    static HttpProber prober;

    @BeforeAll
    static void start() throws Exception {
        // nginx's workers (nobody) read big.bin from here.
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        address = LocalCluster.takeLoopbackAddress();
        for (String name : List.of("a.test", "b.test")) {
            run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-days", "2", "-subj", "/CN=" + name, "-keyout", dir.resolve(name + ".key").toString(),
                    "-out", dir.resolve(name + ".crt").toString());
        }
        Files.write(dir.resolve("big.bin"), new byte[5000]);
        String echo = "'host=$host sni=$ssl_server_name scheme=$scheme accept-encoding=$http_accept_encoding "
                + "cookie=$http_cookie'";
        StringBuilder servers = new StringBuilder();
        for (String name : List.of("a.test", "b.test")) {
            servers.append("""
                    server {
                        listen %1$s:8080;
                        listen %1$s:8443 ssl;
                        server_name %2$s;
                        ssl_certificate %3$s/%2$s.crt;
                        ssl_certificate_key %3$s/%2$s.key;
                        gzip on;
                        gzip_min_length 1;
                        gzip_types text/plain;
                        location = / { default_type text/plain; add_header Set-Cookie "s=1"; return 200 %4$s; }
                        location = /moved { return 302 /target; }
                        location = /big.bin { root %3$s; }
                    }
                    """.formatted(address, name, dir, echo.replace("host=", name + " host=")));
        }
        Files.writeString(dir.resolve("nginx.conf"), "pid " + dir + "/nginx.pid;\nerror_log " + dir
                + "/error.log;\nevents {}\nhttp {\n access_log off;\n" + servers + "}\n");
        nginx = new ProcessBuilder("/usr/sbin/nginx", "-p", dir + "/", "-c", dir.resolve("nginx.conf").toString(),
                "-g", "daemon off;").redirectErrorStream(true).redirectOutput(dir.resolve("nginx.out").toFile())
                .start();
        waitForPort(8080);
        waitForPort(8443);
        prober = new HttpProber(Duration.ofSeconds(2), Duration.ofSeconds(2), 1000);
    }

    @AfterAll
    static void stop() throws Exception {
        if (prober != null) {
            prober.close();
        }
        if (nginx != null) {
            nginx.destroy();
            nginx.waitFor(10, TimeUnit.SECONDS);
        }
        LocalCluster.releaseLoopbackAddress(address);
    }

    static String body(Prober.Response r) {
        assertThat(r.error()).isNull();
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    @Test
    void theNameGoesInTheHostHeaderAndTheSniWhileTheAddressIsWhereItConnects() {
        assertThat(body(prober.fetch(new Prober.Request("http", "a.test", address, 8080, "/"))))
                .isEqualTo("a.test host=a.test sni= scheme=http accept-encoding= cookie=");
        assertThat(body(prober.fetch(new Prober.Request("http", "b.test", address, 8080, "/"))))
                .startsWith("b.test host=b.test");
        Prober.Response tls = prober.fetch(new Prober.Request("https", "b.test", address, 8443, "/"));
        assertThat(tls.status()).isEqualTo(200);
        assertThat(tls.contentType()).isEqualTo("text/plain");
        // b.test's own certificate (self-signed, not trusted by anyone) was accepted and SNI said b.test.
        assertThat(body(tls)).isEqualTo("b.test host=b.test sni=b.test scheme=https accept-encoding= cookie=");
        assertThat(body(prober.fetch(new Prober.Request("https", "a.test", address, 8443, "/"))))
                .startsWith("a.test host=a.test sni=a.test");
    }

    @Test
    void redirectsAreReportedNotFollowedAndCookiesNotKept() {
        Prober.Response moved = prober.fetch(new Prober.Request("http", "a.test", address, 8080, "/moved"));
        assertThat(moved.status()).isEqualTo(302);
        assertThat(moved.location()).isEqualTo("http://a.test:8080/target");
        Prober.Response first = prober.fetch(new Prober.Request("http", "a.test", address, 8080, "/"));
        assertThat(first.answered()).isTrue();
        assertThat(body(prober.fetch(new Prober.Request("http", "a.test", address, 8080, "/")))).endsWith("cookie=");
    }

    @Test
    void bodiesAreCutAtTheLimit() {
        Prober.Response big = prober.fetch(new Prober.Request("http", "a.test", address, 8080, "/big.bin"));
        assertThat(big.status()).isEqualTo(200);
        assertThat(big.body()).hasSize(1000);
        assertThat(big.truncated()).isTrue();
        Prober.Response small = prober.fetch(new Prober.Request("http", "a.test", address, 8080, "/"));
        assertThat(small.truncated()).isFalse();
        Prober.Response missing = prober.fetch(new Prober.Request("http", "a.test", address, 8080, "/nothing%20here"));
        assertThat(missing.status()).isEqualTo(404);
    }

    @Test
    void failuresAreAnswersWithAnErrorThatDoesNotNameTheAddress() throws Exception {
        Prober.Response refused = prober.fetch(new Prober.Request("http", "a.test", address, 8081, "/"));
        assertThat(refused.answered()).isFalse();
        assertThat(refused.error()).isEqualTo("connection refused");
        assertThat(refused.status()).isZero();
        // TLS spoken to a plain HTTP port.
        Prober.Response notTls = prober.fetch(new Prober.Request("https", "a.test", address, 8080, "/"));
        assertThat(notTls.error()).startsWith("TLS: ").doesNotContain(address);
        // A server that accepts and never answers.
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getByName(address))) {
            Thread accept = Thread.ofVirtual().start(() -> {
                try (Socket s = silent.accept()) {
                    Thread.sleep(5000);
                } catch (IOException | InterruptedException e) {
                    // The test is over.
                }
            });
            Prober.Response slow = prober.fetch(new Prober.Request("http", "a.test", address, silent.getLocalPort(),
                    "/"));
            assertThat(slow.error()).isEqualTo("timed out");
            accept.interrupt();
        }
        assertThat(prober.fetch(new Prober.Request("http", "a.test", "no-such-host.invalid", 80, "/")).error())
                .isEqualTo("unknown host no-such-host.invalid");
    }

    static void waitForPort(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try (Socket s = new Socket(address, port)) {
                return;
            } catch (IOException notYet) {
                assertThat(System.nanoTime()).as(address + ":" + port + " never opened: "
                        + Files.readString(dir.resolve("nginx.out"))).isLessThan(deadline);
                Thread.sleep(50);
            }
        }
    }

    static void run(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(String.join(" ", argv) + ": " + out).isZero();
    }
}
