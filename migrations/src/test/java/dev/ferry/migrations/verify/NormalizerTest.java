package dev.ferry.migrations.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.migrations.plan.SitePlan.PathMapping;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class NormalizerTest {

    static final Probe PAGE = Probe.of("php.example.test", "http", "php.example.test", 80, "/index.php",
            Probe.Kind.DYNAMIC);
    final Normalizer legacy = Normalizer.legacy("10.0.0.5", PAGE);
    final Normalizer cluster = Normalizer.cluster(new Ingress("192.168.7.20", 30080, 30443), "10.0.0.5",
            List.of(new PathMapping("/var/www/php", "/srv/web/php.example.test/root"),
                    new PathMapping("/var/www/php/uploads", "/srv/web/php.example.test/root/uploads"),
                    new PathMapping("/srv/docs", "/srv/web/php.example.test/docs")));

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void twoRenderingsOfOnePageCompareEqual() {
        String first = """
                <html><head><meta name="csrf-token" content="Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA">
                <form><input type="hidden" name="_token" value="a1B2c3D4e5F6"></form>
                Rendered at 2024-03-05T10:01:02.123+01:00 (Tue, 05 Mar 2024 09:01:02 GMT), 10:01:02, epoch 1709629262
                and 1709629262123 ms; request 9f86d081884c7d659a2feaa0c55ad015; Set-Cookie: PHPSESSID=abc123def;
                <script>var nonce = "q7Rt"; var wpApiSettings = {"nonce":"ee12ab"};</script>
                served by nginx/1.22.1
                """;
        String second = """
                <html><head><meta name="csrf-token" content="cXV4YmF6YmFyZm9vOTg3NjU0MzIxMA">
                <form><input type="hidden" name="_token" value="Z9y8X7"></form>
                Rendered at 2024-03-05T10:01:07.9+01:00 (Tue, 05 Mar 2024 09:01:07 GMT), 10:01:07, epoch 1709629267
                and 1709629267001 ms; request 2c26b46b68ffc68ff99b453c1d304134; Set-Cookie: PHPSESSID=zz99yy;
                <script>var nonce = "Ab3x"; var wpApiSettings = {"nonce":"01f0cd"};</script>
                served by nginx/1.27.3
                """;
        assertThat(text(legacy.body(bytes(second)))).isEqualTo(text(legacy.body(bytes(first))));
        String normal = text(legacy.body(bytes(first)));
        assertThat(normal).contains("name=\"_token\" value=\"<volatile>\"")
                .contains("PHPSESSID=<volatile>").contains("Rendered at <volatile> (<volatile>), <volatile>, epoch")
                .contains("request <volatile>;").contains("nginx/<volatile>");
    }

    @Test
    void whatTheSiteSaysStaysSensitive() {
        assertThat(legacy.body(bytes("<p>3 posts</p>"))).isNotEqualTo(legacy.body(bytes("<p>4 posts</p>")));
        assertThat(legacy.body(bytes("Hello, world"))).isNotEqualTo(legacy.body(bytes("Hello, World")));
        // A year or a price is no timestamp.
        assertThat(text(legacy.body(bytes("(c) 2024, 19.99 EUR, 12:30")))).isEqualTo("(c) 2024, 19.99 EUR, 12:30");
    }

    @Test
    void eachSideWritesItsAddressAndTheClusterItsPathsAsTheLegacyOnes() {
        String onLegacy = "SCRIPT_FILENAME=/var/www/php/info.php\nupload=/var/www/php/uploads/a.txt\n"
                + "docs=/srv/docs/index.html\nhost=10.0.0.5 url=http://10.0.0.5/x\n";
        String inCluster = "SCRIPT_FILENAME=/srv/web/php.example.test/root/info.php\n"
                + "upload=/srv/web/php.example.test/root/uploads/a.txt\ndocs=/srv/web/php.example.test/docs/index.html\n"
                + "host=192.168.7.20 url=http://192.168.7.20/x\n";
        assertThat(text(cluster.body(bytes(inCluster)))).isEqualTo(text(legacy.body(bytes(onLegacy))))
                .contains("host=<address>");
        // The cluster's copy of a file still names the legacy host: that is not a difference either.
        assertThat(text(cluster.body(bytes("DB_HOST=10.0.0.5")))).isEqualTo("DB_HOST=<address>");
    }

    @Test
    void binaryBodiesSurviveUnchangedOutsideWhatIsReplaced() {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0, (byte) 0xFF, (byte) 0xFE, '1', '0', '.', '0', '.', '0', '.',
                '5', (byte) 0xC3};
        byte[] out = legacy.body(png);
        assertThat(new String(out, StandardCharsets.ISO_8859_1))
                .isEqualTo(new String(png, 0, 7, StandardCharsets.ISO_8859_1) + "<address>\u00C3");
    }

    @Test
    void redirectsToTheSiteReadTheSameOnBothSides() {
        assertThat(legacy.location("http://10.0.0.5/wp-admin/", "php.example.test"))
                .isEqualTo("http://php.example.test/wp-admin/");
        assertThat(cluster.location("http://192.168.7.20:30080/wp-admin/", "php.example.test"))
                .isEqualTo("http://php.example.test/wp-admin/");
        assertThat(cluster.location("https://PHP.example.test:30443/login?next=%2F", "php.example.test"))
                .isEqualTo("https://php.example.test/login?next=%2F");
        assertThat(legacy.location("https://php.example.test/login?next=%2F", "php.example.test"))
                .isEqualTo("https://php.example.test/login?next=%2F");
        // Elsewhere, another port, relative: kept (relative ones are the same text on both sides).
        assertThat(cluster.location("https://sso.example.org/", "php.example.test")).isEqualTo("https://sso.example.org/");
        assertThat(cluster.location("http://192.168.7.20:8081/x", "php.example.test"))
                .isEqualTo("http://<address>:8081/x");
        assertThat(legacy.location("/sub/", "php.example.test")).isEqualTo("/sub/");
        assertThat(legacy.location(null, "php.example.test")).isNull();
    }
}
