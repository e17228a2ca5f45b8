package dev.ferry.migrations.inventory.php;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.migrations.inventory.Fixtures;
import dev.ferry.migrations.inventory.InventoryParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FpmConfigTest {

    private static final String DIR = "/tmp/fpm-two-pools/";

    @Test
    void bookwormDefaultPool() {
        FpmConfig config = FpmConfig.parseTest(Fixtures.read("php/php-fpm-tt-8.2-bookworm.txt"));
        assertThat(config.global()).containsEntry("pid", "/run/php/php8.2-fpm.pid")
                .containsEntry("error_log", "/var/log/php8.2-fpm.log")
                .doesNotContainKey("process.priority"); // printed as "undefined"
        assertThat(config.global().keySet()).startsWith("pid", "error_log", "syslog.ident");
        assertThat(config.ignoredIncludes()).isEmpty();
        assertThat(config.pools()).hasSize(1);
        FpmPool www = config.pools().getFirst();
        assertThat(www.name()).isEqualTo("www");
        assertThat(www.user()).isEqualTo("www-data");
        assertThat(www.group()).isEqualTo("www-data");
        assertThat(www.listen()).isEqualTo("/run/php/php8.2-fpm.sock");
        assertThat(www.listenOwner()).isEqualTo("www-data");
        assertThat(www.listenGroup()).isEqualTo("www-data");
        assertThat(www.listenMode()).isNull();
        assertThat(www.pm()).isEqualTo("dynamic");
        assertThat(www.pmSettings()).containsExactly(
                Map.entry("pm.max_children", "5"), Map.entry("pm.start_servers", "2"),
                Map.entry("pm.min_spare_servers", "1"), Map.entry("pm.max_spare_servers", "3"),
                Map.entry("pm.max_spawn_rate", "32"), Map.entry("pm.process_idle_timeout", "10"),
                Map.entry("pm.max_requests", "0"));
        assertThat(www.phpValues()).isEmpty();
        assertThat(www.phpAdminValues()).isEmpty();
        assertThat(www.env()).isEmpty();
        assertThat(www.other()).containsEntry("security.limit_extensions", ".php .phar")
                .containsEntry("request_terminate_timeout", "0s").containsEntry("clear_env", "yes")
                .doesNotContainKeys("chdir", "prefix", "user", "listen", "pm");
    }

    @Test
    void twoPoolsFromTheTest() {
        FpmConfig config = FpmConfig.parseTest(Fixtures.read("php/php-fpm-tt-two-pools.txt"));
        assertThat(config.pools()).extracting(FpmPool::name).containsExactly("api", "www");
        FpmPool api = config.pools().getFirst();
        assertThat(api.user()).isEqualTo("nobody");
        assertThat(api.group()).isEqualTo("nogroup");
        assertThat(api.listen()).isEqualTo("127.0.0.1:9001");
        assertThat(api.listenOwner()).isNull();
        assertThat(api.pm()).isEqualTo("ondemand");
        assertThat(api.pmSettings()).containsEntry("pm.max_children", "4")
                .containsEntry("pm.process_idle_timeout", "20").containsEntry("pm.max_requests", "500");
        // php-fpm prints php_flag as php_value with 1/0.
        assertThat(api.phpValues()).containsOnly(Map.entry("display_errors", "0"),
                Map.entry("upload_max_filesize", "32M"));
        assertThat(api.phpAdminValues()).containsOnly(Map.entry("log_errors", "1"),
                Map.entry("memory_limit", "256M"));
        assertThat(api.env()).containsOnly(Map.entry("APP_ENV", "production"), Map.entry("HOSTNAME", "$HOSTNAME"));
        assertThat(api.other()).containsEntry("chdir", "/var/www")
                .containsEntry("request_terminate_timeout", "60s")
                .containsEntry("security.limit_extensions", ".php")
                .containsEntry("listen.allowed_clients", "127.0.0.1");
        FpmPool www = config.pools().get(1);
        assertThat(www.listenMode()).isEqualTo("0660");
        assertThat(www.pmSettings()).containsEntry("pm.start_servers", "3");
    }

    @Test
    void poolFilesGiveTheSamePoolsAsTheTest() {
        FpmConfig fromFiles = FpmConfig.parsePoolFiles(twoPoolFiles());
        FpmConfig fromTest = FpmConfig.parseTest(Fixtures.read("php/php-fpm-tt-two-pools.txt"));
        assertThat(fromFiles.pools()).isEqualTo(fromTest.pools());
        assertThat(fromFiles.global()).containsExactly(Map.entry("pid", DIR + "php-fpm.pid"),
                Map.entry("error_log", DIR + "php-fpm.log"));
        assertThat(fromFiles.ignoredIncludes()).containsExactly(DIR + "pool.d/*.conf");
    }

    @Test
    void poolFileSyntaxAndDefaults() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("/etc/php/8.2/fpm/pool.d/site.conf", """
                ; a comment
                # another comment
                [site]
                user = "site user"   ; quoted, with a comment after
                listen = /run/php/$pool.sock
                listen.mode = '0666'
                pm = dynamic
                pm.max_children = 8
                pm.min_spare_servers = 2
                pm.max_spare_servers = 6
                pm.process_idle_timeout = 1m
                request_terminate_timeout = 2m
                catch_workers_output = on
                php_admin_flag[expose_php] = Off
                php_value[error_reporting] = "E_ALL & ~E_NOTICE"
                """);
        FpmPool site = FpmConfig.parsePoolFiles(files).pools().getFirst();
        assertThat(site.user()).isEqualTo("site user");
        assertThat(site.group()).isNull();
        assertThat(site.listen()).isEqualTo("/run/php/site.sock");
        assertThat(site.listenMode()).isEqualTo("0666");
        assertThat(site.pmSettings()).containsEntry("pm.start_servers", "4")
                .containsEntry("pm.process_idle_timeout", "60").containsEntry("pm.max_spawn_rate", "32");
        assertThat(site.other()).containsEntry("request_terminate_timeout", "120s")
                .containsEntry("catch_workers_output", "yes").containsEntry("clear_env", "yes");
        assertThat(site.phpAdminValues()).containsExactly(Map.entry("expose_php", "0"));
        assertThat(site.phpValues()).containsExactly(Map.entry("error_reporting", "E_ALL & ~E_NOTICE"));
    }

    @Test
    void badPoolFilesNameTheFileAndLine() {
        assertThatThrownBy(() -> FpmConfig.parsePoolFiles(Map.of("/etc/p.conf", "[x]\nlisten\n")))
                .isInstanceOf(InventoryParseException.class)
                .hasMessage("cat /etc/p.conf: line 2: expected [section] or key = value");
        assertThatThrownBy(() -> FpmConfig.parsePoolFiles(Map.of("/etc/p.conf", "[x]\nlisten = 9000\n")))
                .isInstanceOf(InventoryParseException.class).hasMessage("cat /etc/p.conf: pool [x] has no pm");
        assertThatThrownBy(() -> FpmConfig.parsePoolFiles(Map.of("/etc/p.conf", "[x]\nuser = \"open\n")))
                .isInstanceOf(InventoryParseException.class).hasMessageContaining("unterminated");
        assertThatThrownBy(() -> FpmConfig.parsePoolFiles(Map.of("/etc/p.conf",
                "[x]\nlisten=9000\npm=static\npm.max_children=1\nphp_flag[a] = maybe\n")))
                .isInstanceOf(InventoryParseException.class).hasMessageContaining("not a boolean");
    }

    @Test
    void failedTestIsAnError() {
        assertThatThrownBy(() -> FpmConfig.parseTest(Fixtures.read("php/php-fpm-tt-failed-chdir.txt")))
                .isInstanceOf(InventoryParseException.class)
                .hasMessageStartingWith("php-fpm -tt: php-fpm rejected its configuration: [pool api] the chdir path");
    }

    @Test
    void truncatedTestIsAnError() {
        String full = Fixtures.read("php/php-fpm-tt-8.2-bookworm.txt");
        String cut = full.substring(0, full.indexOf("pm.max_children"));
        assertThatThrownBy(() -> FpmConfig.parseTest(cut))
                .isInstanceOf(InventoryParseException.class).hasMessageContaining("test is successful");
        assertThatThrownBy(() -> FpmConfig.parseTest("php-fpm8.2: command not found"))
                .isInstanceOf(InventoryParseException.class).hasMessageContaining("not a php-fpm log line");
    }

    @ParameterizedTest
    @CsvSource({
            "unix:/run/php/php8.2-fpm.sock, www",
            "unix:/var/run/php/php8.2-fpm.sock, www",
            "127.0.0.1:9001, api",
            "localhost:9001, api",
            "9001, api",
    })
    void poolListeningOn(String target, String pool) {
        FpmConfig config = FpmConfig.parseTest(Fixtures.read("php/php-fpm-tt-two-pools.txt"));
        assertThat(config.poolListeningOn(target)).map(FpmPool::name).contains(pool);
    }

    @ParameterizedTest
    @CsvSource({
            "9001, 127.0.0.1:9001, true",
            "[::]:9001, 127.0.0.1:9001, true",
            "0.0.0.0:9001, localhost:9001, true",
            "0.0.0.0:9001, 10.0.0.5:9001, true",
            "127.0.0.1:9001, 10.0.0.5:9001, false",
            "127.0.0.1:9001, 127.0.0.1:9002, false",
            "localhost:9001, 127.0.0.1:9001, true",
            "[::1]:9001, [::1]:9001, true",
            "/run/php/a.sock, unix:/run/php/b.sock, false",
            "/run/php/a.sock, 9001, false",
            "9001, unix:/run/php/a.sock, false",
    })
    void listenMatching(String listen, String target, boolean matches) {
        FpmPool pool = FpmPool.of("test", "p", Map.of("listen", listen, "pm", "static"));
        FpmConfig config = new FpmConfig(Map.of(), List.of(pool), List.of());
        assertThat(config.poolListeningOn(target).isPresent()).isEqualTo(matches);
    }

    @Test
    void badTargetIsRejected() {
        FpmConfig config = FpmConfig.parseTest(Fixtures.read("php/php-fpm-tt-two-pools.txt"));
        assertThatThrownBy(() -> config.poolListeningOn("php_backend"))
                .isInstanceOf(InventoryParseException.class).hasMessageStartingWith("fastcgi_pass: ");
        assertThat(config.poolListeningOn("127.0.0.1:9000")).isEmpty();
    }

    private static Map<String, String> twoPoolFiles() {
        Map<String, String> files = new LinkedHashMap<>();
        for (String name : List.of("pool.d/www.conf", "php-fpm.conf", "pool.d/api.conf")) {
            String base = name.substring(name.lastIndexOf('/') + 1);
            files.put(DIR + name, Fixtures.read("php/fpm-two-pools/" + base));
        }
        return files;
    }
}
