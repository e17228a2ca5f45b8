package dev.ferry.migrations.inventory;

import dev.ferry.migrations.inventory.apps.AppDatabase;
import dev.ferry.migrations.inventory.files.PoolUser;
import dev.ferry.migrations.inventory.files.RootFacts;
import dev.ferry.migrations.inventory.files.RootScan;
import dev.ferry.migrations.inventory.nginx.NginxBuild;
import dev.ferry.migrations.inventory.nginx.NginxDump;
import dev.ferry.migrations.inventory.nginx.NginxParseException;
import dev.ferry.migrations.inventory.nginx.NginxSites;
import dev.ferry.migrations.inventory.php.FpmConfig;
import dev.ferry.migrations.inventory.php.FpmPool;
import dev.ferry.migrations.inventory.php.PhpIni;
import dev.ferry.migrations.inventory.php.PhpModules;
import dev.ferry.migrations.inventory.php.PhpVersion;
import dev.ferry.migrations.inventory.system.Cpus;
import dev.ferry.migrations.inventory.system.DatabaseServer;
import dev.ferry.migrations.inventory.system.Memory;
import dev.ferry.migrations.inventory.system.OsRelease;
import dev.ferry.migrations.port.CommandResult;
import dev.ferry.migrations.port.RemoteCommand;
import dev.ferry.migrations.port.RemoteShell;
import dev.ferry.migrations.port.TransientFailure;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Takes the inventory of one host through one shell (one SSH connection for all commands). A command that
 * fails or prints something unexpected becomes a warning and the rest goes on: a partial inventory with
 * warnings is worth more than none. Only losing the connection itself ends it early, as a port failure.
 */
public final class InventoryCollector {

    private final Clock clock;

    public InventoryCollector(Clock clock) {
        this.clock = clock;
    }

    public Inventory collect(String host, String address, RemoteShell shell) {
        Session s = new Session(shell);
        var collectedAt = clock.instant();
        SystemFacts system = new SystemFacts(
                s.parse(InventoryCommands.OS_RELEASE, OsRelease::parse),
                s.parse(InventoryCommands.CPUS, Cpus::parse),
                s.parse(InventoryCommands.MEMORY, Memory::totalBytes));
        NginxFacts nginx = nginx(s);
        PhpFacts php = php(s);
        DatabaseServer database = database(s);
        List<PoolMapping> mappings = nginx.config() == null ? List.of() : PoolMappings.of(nginx.config(), php.fpm());
        List<RootFacts> roots = nginx.config() == null ? List.of() : roots(s, nginx.config(), mappings, php.fpm());
        List<AppDatabase> apps = nginx.config() == null ? List.of() : apps(s, nginx.config());
        return new Inventory(host, address, collectedAt, shell.hostKeyFingerprint(), system, nginx, php, database,
                mappings, roots, apps, s.warnings);
    }

    private static NginxFacts nginx(Session s) {
        NginxBuild build = s.parse(InventoryCommands.NGINX_BUILD, NginxBuild::parse);
        NginxDump dump = s.parse(InventoryCommands.NGINX_CONFIG, NginxDump::parse);
        if (dump == null) {
            return new NginxFacts(build, List.of(), null);
        }
        NginxSites sites = s.interpret(InventoryCommands.NGINX_CONFIG, () -> NginxSites.from(dump.effective()));
        return new NginxFacts(build, dump.files().stream().map(f -> f.path()).toList(), sites);
    }

    private static PhpFacts php(Session s) {
        PhpVersion cli = s.parse(InventoryCommands.PHP_VERSION, PhpVersion::parse);
        PhpModules modules = s.parse(InventoryCommands.PHP_MODULES, PhpModules::parse);
        PhpIni ini = s.parse(InventoryCommands.PHP_INI, PhpIni::parse);
        List<String> binaries = Optional.ofNullable(s.output(InventoryCommands.FPM_BINARIES))
                .map(out -> out.lines().map(String::strip).filter(l -> !l.isEmpty()).toList()).orElse(List.of());
        List<FpmService> fpm = new ArrayList<>();
        for (String binary : binaries) {
            fpm.add(new FpmService(binary, s.parse(InventoryCommands.fpmVersion(binary), PhpVersion::parse),
                    s.parse(InventoryCommands.fpmPools(binary), FpmConfig::parseTest)));
        }
        return new PhpFacts(cli, modules, ini, fpm);
    }

    private static DatabaseServer database(Session s) {
        String version = s.output(InventoryCommands.DATABASE_VERSION);
        if (version == null || version.isBlank()) {
            return null;
        }
        String options = s.output(InventoryCommands.DATABASE_OPTIONS);
        return s.interpret(InventoryCommands.DATABASE_VERSION,
                () -> DatabaseServer.parse(version, options == null ? "" : options));
    }

    private static List<RootFacts> roots(Session s, NginxSites sites, List<PoolMapping> mappings,
                                         List<FpmService> fpms) {
        Map<String, PoolUser> users = new HashMap<>();
        List<RootFacts> out = new ArrayList<>();
        for (SiteRoots.Root root : SiteRoots.of(sites)) {
            if (root.path().contains("$")) {
                s.warn("find-root", "root " + root.path() + " of " + root.server() + " depends on a variable; "
                        + "it was not scanned");
                continue;
            }
            PoolUser user = poolUser(s, root.server(), mappings, fpms, users);
            String raw = s.output(InventoryCommands.scanRoot(root.path()));
            if (raw != null) {
                RootFacts facts = s.interpret(InventoryCommands.scanRoot(root.path()),
                        () -> RootScan.parse(root.path(), raw.getBytes(StandardCharsets.UTF_8), user));
                if (facts != null) {
                    out.add(facts);
                }
            }
        }
        return out;
    }

    /** The user of the pool that serves {@code server}'s PHP, whose writable directories the copy must keep. */
    private static PoolUser poolUser(Session s, String server, List<PoolMapping> mappings, List<FpmService> fpms,
                                     Map<String, PoolUser> known) {
        Optional<String> user = mappings.stream()
                .filter(m -> m.server().equals(server) && m.pool() != null)
                .findFirst()
                .flatMap(m -> fpms.stream().filter(f -> f.binary().equals(m.fpm()) && f.config() != null).findFirst()
                        .flatMap(f -> f.config().pools().stream().filter(p -> p.name().equals(m.pool())).findFirst()))
                .map(FpmPool::user)
                .filter(u -> u != null && !u.isEmpty());
        if (user.isEmpty()) {
            return null;
        }
        return known.computeIfAbsent(user.get(),
                u -> s.parse(InventoryCommands.userIds(u), out -> PoolUser.parse(u, out)));
    }

    private static List<AppDatabase> apps(Session s, NginxSites sites) {
        List<AppDatabase> out = new ArrayList<>();
        for (AppConfigs.Candidates candidates : AppConfigs.candidates(sites)) {
            RemoteCommand read = InventoryCommands.readFiles("app-config", candidates.paths());
            String raw = s.output(read);
            if (raw == null) {
                continue;
            }
            Map<String, String> files = s.interpret(read, () -> FilePairs.parse(read.name(), raw));
            if (files != null) {
                List<AppDatabase> found = s.interpret(read, () -> AppConfigs.read(files));
                if (found != null) {
                    out.addAll(found);
                }
            }
        }
        return out.stream().distinct().toList();
    }

    /** Runs commands and turns what goes wrong into warnings. */
    private static final class Session {
        private final RemoteShell shell;
        private final List<InventoryWarning> warnings = new ArrayList<>();

        Session(RemoteShell shell) {
            this.shell = shell;
        }

        /** The command's standard output, or null (and a warning) when it failed, timed out or was cut off. */
        String output(RemoteCommand command) {
            CommandResult r;
            try {
                r = shell.run(command);
            } catch (TransientFailure e) {
                warn(command.name(), e.getMessage());
                return null;
            }
            if (!r.ok()) {
                String err = (r.stderr().isBlank() ? r.stdout() : r.stderr()).strip();
                warn(command.name(), "exited with status " + r.exitCode()
                        + (err.isEmpty() ? "" : ": " + tail(err)));
                return null;
            }
            if (r.truncated()) {
                warn(command.name(), "printed more than the output bound allows; its output was cut off and not "
                        + "used (raise ssh.maxOutputBytes)");
                return null;
            }
            return r.stdout();
        }

        <T> T parse(RemoteCommand command, Function<String, T> parser) {
            String out = output(command);
            return out == null ? null : interpret(command, () -> parser.apply(out));
        }

        <T> T interpret(RemoteCommand command, java.util.function.Supplier<T> reading) {
            return interpret(command.name(), reading);
        }

        <T> T interpret(String command, java.util.function.Supplier<T> reading) {
            try {
                return reading.get();
            } catch (InventoryParseException | NginxParseException e) {
                warn(command, "unexpected output: " + e.getMessage());
                return null;
            }
        }

        void warn(String command, String message) {
            warnings.add(new InventoryWarning(command, message));
        }

        private static String tail(String text) {
            String oneLine = text.replaceAll("\\s*\\n\\s*", " | ");
            return oneLine.length() <= 500 ? oneLine : "..." + oneLine.substring(oneLine.length() - 500);
        }
    }
}
