package dev.ferry.migrations.inventory;

import dev.ferry.migrations.inventory.apps.AppDatabase;
import dev.ferry.migrations.inventory.files.Accounts;
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
import dev.ferry.migrations.inventory.php.PhpSettings;
import dev.ferry.migrations.inventory.php.PhpVersion;
import dev.ferry.migrations.inventory.system.Cpus;
import dev.ferry.migrations.inventory.system.DatabaseServer;
import dev.ferry.migrations.inventory.system.Memory;
import dev.ferry.migrations.inventory.system.OsRelease;
import dev.ferry.migrations.port.CommandResult;
import dev.ferry.migrations.port.RemoteCommand;
import dev.ferry.migrations.port.RemoteShell;
import dev.ferry.migrations.port.RemoteShells;
import dev.ferry.state.host.Host;
import dev.ferry.migrations.port.TransientFailure;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Takes the inventory of one host through one shell (one SSH connection for all commands), in two rounds of
 * independent commands: what the host runs, then what that tells us to look at (pools, roots, app configs).
 * A command that fails or prints something unexpected becomes a warning and the rest goes on: a partial
 * inventory with warnings is worth more than none. Only losing the connection itself ends it early, as a port
 * failure.
 */
public final class InventoryCollector {

    private final Clock clock;

    public InventoryCollector(Clock clock) {
        this.clock = clock;
    }

    /**
     * Opens a shell on the host (its key checked first), takes the inventory, closes the shell. Failing to
     * connect or authenticate is thrown as the port failure it is; nothing else is.
     */
    public Inventory collect(Host host, RemoteShells shells) {
        try (RemoteShell shell = shells.open(host)) {
            return collect(host.name(), host.spec().address(), shell);
        }
    }

    public Inventory collect(String host, String address, RemoteShell shell) {
        Instant collectedAt = clock.instant();
        List<InventoryWarning> warned = new ArrayList<>();
        Round first = new Round(shell, warned, List.of(InventoryCommands.OS_RELEASE, InventoryCommands.CPUS,
                InventoryCommands.MEMORY, InventoryCommands.NGINX_BUILD, InventoryCommands.NGINX_CONFIG,
                InventoryCommands.PHP_VERSION, InventoryCommands.PHP_MODULES, InventoryCommands.PHP_INI,
                InventoryCommands.FPM_BINARIES, InventoryCommands.DATABASE_VERSION,
                InventoryCommands.DATABASE_OPTIONS, InventoryCommands.USERS, InventoryCommands.GROUPS));
        SystemFacts system = new SystemFacts(first.parse(InventoryCommands.OS_RELEASE, OsRelease::parse),
                first.parse(InventoryCommands.CPUS, Cpus::parse), first.parse(InventoryCommands.MEMORY,
                Memory::totalBytes));
        NginxBuild build = first.parse(InventoryCommands.NGINX_BUILD, NginxBuild::parse);
        NginxDump dump = first.parse(InventoryCommands.NGINX_CONFIG, NginxDump::parse);
        NginxSites sites = dump == null ? null
                : first.interpret(InventoryCommands.NGINX_CONFIG.name(), () -> NginxSites.from(dump.effective()));
        DatabaseServer database = database(first);
        String passwd = first.output(InventoryCommands.USERS);
        String group = first.output(InventoryCommands.GROUPS);
        Accounts accounts = passwd == null || group == null ? null
                : first.interpret(InventoryCommands.USERS.name(), () -> Accounts.parse(passwd, group));
        List<String> binaries = Optional.ofNullable(first.output(InventoryCommands.FPM_BINARIES))
                .map(out -> out.lines().map(String::strip).filter(l -> !l.isEmpty()).toList()).orElse(List.of());

        List<SiteRoots.Root> roots = new ArrayList<>();
        List<AppConfigs.Candidates> candidates = sites == null ? List.of() : AppConfigs.candidates(sites);
        List<String> variableRoots = new ArrayList<>();
        if (sites != null) {
            for (SiteRoots.Root root : SiteRoots.of(sites)) {
                if (root.path().contains("$")) {
                    variableRoots.add(root.path());
                } else {
                    roots.add(root);
                }
            }
        }
        List<RemoteCommand> secondCommands = new ArrayList<>();
        for (String binary : binaries) {
            secondCommands.add(InventoryCommands.fpmVersion(binary));
            secondCommands.add(InventoryCommands.fpmPools(binary));
            secondCommands.add(InventoryCommands.fpmSettings(binary));
            secondCommands.add(InventoryCommands.fpmDefaults(binary));
        }
        roots.forEach(r -> secondCommands.add(InventoryCommands.scanRoot(r.path())));
        candidates.forEach(c -> secondCommands.add(InventoryCommands.readFiles("app-config", c.paths())));
        Round second = new Round(shell, warned, secondCommands);
        for (String variableRoot : variableRoots) {
            second.warn("find-root", "root " + variableRoot + " depends on a variable; it was not scanned");
        }

        List<FpmService> fpm = new ArrayList<>();
        for (String binary : binaries) {
            Map<String, String> withIni = second.parse(InventoryCommands.fpmSettings(binary), PhpSettings::parse);
            Map<String, String> defaults = second.parse(InventoryCommands.fpmDefaults(binary), PhpSettings::parse);
            fpm.add(new FpmService(binary, second.parse(InventoryCommands.fpmVersion(binary), PhpVersion::parse),
                    second.parse(InventoryCommands.fpmPools(binary), FpmConfig::parseTest),
                    withIni == null || defaults == null ? Map.of() : PhpSettings.changed(withIni, defaults)));
        }
        PhpFacts php = new PhpFacts(first.parse(InventoryCommands.PHP_VERSION, PhpVersion::parse),
                first.parse(InventoryCommands.PHP_MODULES, PhpModules::parse),
                first.parse(InventoryCommands.PHP_INI, PhpIni::parse), fpm);
        List<PoolMapping> mappings = sites == null ? List.of() : PoolMappings.of(sites, fpm);
        List<RootFacts> rootFacts = new ArrayList<>();
        for (SiteRoots.Root root : roots) {
            RemoteCommand scan = InventoryCommands.scanRoot(root.path());
            PoolUser user = poolUser(root.server(), mappings, fpm, accounts);
            RootFacts facts = second.parse(scan,
                    out -> RootScan.parse(root.path(), out.getBytes(StandardCharsets.UTF_8), user));
            if (facts != null) {
                rootFacts.add(facts);
            }
        }
        List<AppDatabase> apps = new ArrayList<>();
        for (AppConfigs.Candidates c : candidates) {
            RemoteCommand read = InventoryCommands.readFiles("app-config", c.paths());
            List<AppDatabase> found = second.parse(read, out -> AppConfigs.read(FilePairs.parse(read.name(), out)));
            if (found != null) {
                found.stream().filter(a -> !apps.contains(a)).forEach(apps::add);
            }
        }
        NginxFacts nginx = new NginxFacts(build, dump == null ? List.of() : dump.files(), sites);
        return new Inventory(host, address, collectedAt, shell.hostKeyFingerprint(), system, nginx, php, database,
                mappings, rootFacts, apps, warned);
    }

    private static DatabaseServer database(Round r) {
        String version = r.output(InventoryCommands.DATABASE_VERSION);
        if (version == null || version.isBlank()) {
            return null;
        }
        String options = r.output(InventoryCommands.DATABASE_OPTIONS);
        return r.interpret(InventoryCommands.DATABASE_VERSION.name(),
                () -> DatabaseServer.parse(version, options == null ? "" : options));
    }

    /** The user of the pool that serves {@code server}'s PHP, whose writable directories the copy must keep. */
    private static PoolUser poolUser(String server, List<PoolMapping> mappings, List<FpmService> fpms,
                                     Accounts accounts) {
        if (accounts == null) {
            return null;
        }
        return mappings.stream()
                .filter(m -> m.server().equals(server) && m.pool() != null)
                .findFirst()
                .flatMap(m -> fpms.stream().filter(f -> f.binary().equals(m.fpm()) && f.config() != null).findFirst()
                        .flatMap(f -> f.config().pools().stream().filter(p -> p.name().equals(m.pool())).findFirst()))
                .map(FpmPool::user)
                .flatMap(accounts::user)
                .orElse(null);
    }

    /**
     * One round of independent commands run together, and what came of each: its output, or a warning naming
     * the command and what was unexpected, added to a list all rounds share.
     */
    private static final class Round {
        private final Map<RemoteCommand, CommandResult> results = new HashMap<>();
        private final List<InventoryWarning> warnings;

        Round(RemoteShell shell, List<InventoryWarning> warnings, List<RemoteCommand> commands) {
            this.warnings = warnings;
            if (commands.isEmpty()) {
                return;
            }
            try {
                List<CommandResult> all = shell.runAll(commands);
                for (int i = 0; i < commands.size(); i++) {
                    results.put(commands.get(i), all.get(i));
                }
            } catch (TransientFailure e) {
                // Every command of the round is then unknown; each says so where it is read.
                commands.forEach(c -> results.put(c, null));
                warn(commands.stream().map(RemoteCommand::name).distinct().reduce((a, b) -> a + ", " + b)
                        .orElse(""), e.getMessage());
            }
        }

        /** The command's standard output, or null (and a warning) when it failed or was cut off. */
        String output(RemoteCommand command) {
            CommandResult r = results.get(command);
            if (r == null) {
                return null;
            }
            if (!r.ok()) {
                String err = (r.stderr().isBlank() ? r.stdout() : r.stderr()).strip();
                warnOnce(command, "exited with status " + r.exitCode() + (err.isEmpty() ? "" : ": " + tail(err)));
                return null;
            }
            if (r.truncated()) {
                warnOnce(command, "printed more than the output bound allows; its output was cut off and not "
                        + "used (raise ssh.maxOutputMegabytes)");
                return null;
            }
            return r.stdout();
        }

        <T> T parse(RemoteCommand command, Function<String, T> parser) {
            String out = output(command);
            return out == null ? null : interpret(command.name(), () -> parser.apply(out));
        }

        <T> T interpret(String command, Supplier<T> reading) {
            try {
                return reading.get();
            } catch (InventoryParseException | NginxParseException e) {
                warn(command, "unexpected output: " + e.getMessage());
                return null;
            }
        }

        private void warnOnce(RemoteCommand command, String message) {
            InventoryWarning w = new InventoryWarning(command.name(), message);
            if (!warnings.contains(w)) {
                warnings.add(w);
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
