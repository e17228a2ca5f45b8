package dev.ferry.migrations.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.migrations.inventory.files.RootScan;
import dev.ferry.migrations.port.CommandResult;
import dev.ferry.migrations.port.RemoteCommand;
import dev.ferry.migrations.port.RemoteShell;
import dev.ferry.migrations.port.TransientFailure;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The collector's own logic over captured outputs: what it asks, how it joins the parts, and that a failing
 * command leaves a warning naming it while the rest of the document is kept. (The real thing over SSH is
 * InventoryIT in the daemon.)
 */
class InventoryCollectorTest {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T09:00:00Z"), ZoneOffset.UTC);

    /** Answers each command from captured outputs; records what was asked. */
    static class CapturedHost implements RemoteShell {
        final List<RemoteCommand> asked = new ArrayList<>();
        final Function<RemoteCommand, CommandResult> answers;

        CapturedHost(Function<RemoteCommand, CommandResult> answers) {
            this.answers = answers;
        }

        @Override
        public CommandResult run(RemoteCommand command) {
            asked.add(command);
            return answers.apply(command);
        }

        @Override
        public String hostKeyFingerprint() {
            return "SHA256:test";
        }

        @Override
        public String hostPublicKey() {
            return "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl";
        }

        @Override
        public void close() {
        }
    }

    static CommandResult ok(String out) {
        return new CommandResult(0, out, "", false, Duration.ofMillis(1));
    }

    static CommandResult captured(RemoteCommand c) {
        return switch (c.name()) {
            case "os-release" -> ok(Fixtures.read("system/os-release-debian-12.txt"));
            case "nproc" -> ok(Fixtures.read("system/nproc.txt"));
            case "meminfo" -> ok(Fixtures.read("system/proc-meminfo.txt"));
            case "nginx-V" -> ok(Fixtures.read("nginx/debian-bookworm-nginx-V.txt"));
            case "nginx-T" -> ok(Fixtures.read("nginx/legacy-host-nginx-T.txt"));
            case "php-v" -> ok(Fixtures.read("php/php-v-8.2-bookworm.txt"));
            case "php-m" -> ok(Fixtures.read("php/php-m-8.2-bookworm.txt"));
            case "php-ini" -> ok(Fixtures.read("php/php-ini-8.2-bookworm.txt"));
            case "php-fpm-list" -> ok("/usr/sbin/php-fpm8.2\n");
            case "php-fpm-v" -> ok(Fixtures.read("php/php-fpm-v-8.2-bookworm.txt"));
            case "php-fpm-tt" -> ok(Fixtures.read("php/php-fpm-tt-two-pools.txt"));
            case "php-fpm-i" -> ok(Fixtures.read("php/php-fpm-i-8.2-bookworm.txt"));
            case "php-fpm-n-i" -> ok(Fixtures.read("php/php-fpm-n-i-8.2-bookworm.txt"));
            case "db-version" -> ok(Fixtures.read("system/mariadbd-version.txt"));
            case "db-options" -> ok(Fixtures.read("system/my_print_defaults.txt"));
            case "passwd" -> ok("root:x:0:0:root:/root:/bin/bash\nwww-data:x:33:33:www-data:/var/www:/usr/sbin/nologin\n");
            case "group" -> ok("root:x:0:\nwww-data:x:33:\nweb:x:1001:www-data,other\n");
            case "find-root" -> ok(("d\0" + "33\0" + "33\0" + "www-data\0" + "www-data\0" + "755\0" + "4096\0" + "2\0"
                    + "1\0" + root(c) + "\0" + "\0" + "f\0" + "33\0" + "33\0" + "www-data\0" + "www-data\0" + "644\0"
                    + "12\0" + "1\0" + "2\0" + root(c) + "/index.html\0" + "\0"));
            case "app-config" -> ok(c.script().contains("/var/www/app/wp-config.php")
                    ? "/var/www/app/wp-config.php\0" + Fixtures.read("apps/wp-config.php") + "\0" : "");
            default -> throw new AssertionError("unexpected command " + c.name());
        };
    }

    static String root(RemoteCommand findRoot) {
        String s = findRoot.script();
        return s.substring(s.indexOf('\'') + 1, s.indexOf('\'', s.indexOf('\'') + 1));
    }

    @Test
    void everyPartIsCollectedAndJoined() {
        CapturedHost host = new CapturedHost(InventoryCollectorTest::captured);
        Inventory inv = new InventoryCollector(CLOCK).collect("legacy", "127.0.0.5", host);

        assertThat(inv.warnings()).isEmpty();
        assertThat(inv.collectedAt()).isEqualTo(CLOCK.instant());
        assertThat(inv.system().os().id()).isEqualTo("debian");
        assertThat(inv.nginx().config().servers()).hasSize(5);
        assertThat(inv.php().fpm()).singleElement().satisfies(f -> {
            assertThat(f.config().pools()).hasSize(2);
            assertThat(f.iniSettings()).containsEntry("expose_php", "Off").doesNotContainKey("extension_dir");
        });
        assertThat(inv.poolMappings()).contains(
                new PoolMapping("php.example.test", "~ [^/]\\.php(/|$)", "unix:/run/php/php8.2-fpm.sock",
                        "unix:/run/php/php8.2-fpm.sock", "/usr/sbin/php-fpm8.2", "www"),
                // The captured pools listen on 127.0.0.1:9001, not where this dump's upstream points: no pool.
                new PoolMapping("app.example.test", "~ \\.php$", "app_php", "127.0.0.5:9001", null, null));
        assertThat(inv.roots()).extracting(r -> r.path())
                .containsExactly("/var/www/app", "/var/www/php", "/srv/docs", "/var/www/secure", "/var/www/static");
        assertThat(inv.apps()).singleElement().satisfies(a -> assertThat(a.name()).isNotBlank());
        // Privileged commands are marked so; their scripts quote what came from the host.
        assertThat(host.asked).filteredOn(c -> c.name().equals("nginx-T") || c.name().equals("find-root"))
                .allMatch(RemoteCommand::privileged);
        assertThat(host.asked).filteredOn(c -> c.name().equals("find-root")).first()
                .satisfies(c -> assertThat(c.script()).contains("'" + RootScan.FIND_PRINTF + "'"));
        assertThat(inv.roots()).filteredOn(r -> r.path().equals("/var/www/php")).singleElement()
                .satisfies(r -> assertThat(r.writableDirectories()).containsExactly("."));
    }

    @Test
    void failingCommandsLeaveWarningsNamingThemAndTheRestIsKept() {
        CapturedHost host = new CapturedHost(c -> switch (c.name()) {
            case "php-m" -> new CommandResult(127, "", "sh: 1: php: not found\n", false, Duration.ZERO);
            case "nproc" -> ok("many\n");
            case "meminfo" -> new CommandResult(1, "", "cat: /proc/meminfo: Permission denied\n", false, Duration.ZERO);
            case "find-root" -> c.script().contains("/srv/docs")
                    ? new CommandResult(0, "d\0", "", true, Duration.ZERO) : captured(c);
            default -> captured(c);
        });
        Inventory inv = new InventoryCollector(CLOCK).collect("legacy", "127.0.0.5", host);

        assertThat(inv.complete()).isFalse();
        assertThat(inv.warnings()).extracting(InventoryWarning::command)
                .containsExactly("nproc", "meminfo", "php-m", "find-root");
        assertThat(inv.warnings().get(0).message()).startsWith("unexpected output: ");
        assertThat(inv.warnings().get(1).message()).isEqualTo("exited with status 1: cat: /proc/meminfo: Permission denied");
        assertThat(inv.warnings().get(2).message()).isEqualTo("exited with status 127: sh: 1: php: not found");
        assertThat(inv.warnings().get(3).message()).contains("cut off");
        assertThat(inv.system().cpus()).isNull();
        assertThat(inv.system().memoryBytes()).isNull();
        assertThat(inv.php().modules()).isNull();
        assertThat(inv.php().cli()).isNotNull();
        assertThat(inv.nginx().config().servers()).hasSize(5);
        assertThat(inv.roots()).extracting(r -> r.path()).doesNotContain("/srv/docs").contains("/var/www/php");
    }

    @Test
    void aRoundThatTimesOutLeavesOneWarningNamingItsCommandsAndTheDocumentIsStillMade() {
        RemoteShell slow = new CapturedHost(InventoryCollectorTest::captured) {
            @Override
            public java.util.List<CommandResult> runAll(java.util.List<RemoteCommand> commands) {
                if (commands.stream().anyMatch(c -> c.name().equals("find-root"))) {
                    throw new TransientFailure("command batch on host legacy did not finish within 300 s");
                }
                return super.runAll(commands);
            }
        };
        Inventory inv = new InventoryCollector(CLOCK).collect("legacy", "127.0.0.5", slow);
        assertThat(inv.warnings()).singleElement().satisfies(w -> {
            assertThat(w.command()).isEqualTo("php-fpm-v, php-fpm-tt, php-fpm-i, php-fpm-n-i, find-root, app-config");
            assertThat(w.message()).contains("did not finish within 300 s");
        });
        assertThat(inv.nginx().config().servers()).hasSize(5);
        assertThat(inv.php().fpm()).singleElement().satisfies(f -> assertThat(f.config()).isNull());
        assertThat(inv.roots()).isEmpty();
    }

    @Test
    void aHostWithoutNginxOrDatabaseIsDescribedAsSuch() {
        CapturedHost host = new CapturedHost(c -> switch (c.name()) {
            case "nginx-V", "nginx-T" -> new CommandResult(127, "", "sh: 1: nginx: not found", false, Duration.ZERO);
            case "db-version" -> ok("");
            case "php-fpm-list" -> ok("");
            default -> captured(c);
        });
        Inventory inv = new InventoryCollector(CLOCK).collect("legacy", "127.0.0.5", host);
        assertThat(inv.nginx().build()).isNull();
        assertThat(inv.nginx().config()).isNull();
        assertThat(inv.database()).isNull();
        assertThat(inv.php().fpm()).isEmpty();
        assertThat(inv.roots()).isEmpty();
        assertThat(inv.warnings()).extracting(InventoryWarning::command).containsExactly("nginx-V", "nginx-T");
        assertThat(host.asked).extracting(RemoteCommand::name).doesNotContain("find-root", "php-fpm-tt");
    }

    @Test
    void filePairsAreReadAndACutOffListIsRefused() {
        assertThat(FilePairs.parse("x", "/a\0one\0/b\0\0")).containsExactly(
                java.util.Map.entry("/a", "one"), java.util.Map.entry("/b", ""));
        assertThat(FilePairs.parse("x", "")).isEmpty();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> FilePairs.parse("app-config", "/a\0one"))
                .isInstanceOf(InventoryParseException.class).hasMessageContaining("app-config");
    }
}
