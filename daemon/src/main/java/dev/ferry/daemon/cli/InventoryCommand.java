package dev.ferry.daemon.cli;

import dev.ferry.daemon.ssh.CommandTimer;
import dev.ferry.daemon.ssh.KnownHosts;
import dev.ferry.daemon.ssh.SshRemoteShells;
import dev.ferry.daemon.ssh.SshSettings;
import dev.ferry.migrations.inventory.Inventory;
import dev.ferry.migrations.inventory.InventoryCollector;
import dev.ferry.migrations.port.PortFailure;
import dev.ferry.migrations.port.RemoteShell;
import dev.ferry.state.Json;
import dev.ferry.state.Violation;
import dev.ferry.state.host.AuthMethod;
import dev.ferry.state.host.Host;
import dev.ferry.state.host.HostSpec;
import dev.ferry.state.host.SshAuth;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code ferry inventory}: the inventory of hosts that are not registered anywhere, without a daemon, one JSON
 * document per host and line on stdout (the same document the daemon stores). Host keys are checked against
 * an OpenSSH known_hosts file, as ssh does.
 */
@Command(name = "inventory", mixinStandardHelpOptions = true,
        description = {"Take the inventory of legacy hosts over SSH, without a daemon.",
                "Prints one JSON document per host, one per line, as each host finishes. Failures go to stderr."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every host was inventoried (documents may still carry warnings)",
                "1:at least one host could not be inventoried", "2:wrong usage"})
final class InventoryCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "USER@HOST[:PORT]", arity = "1..*", description = "Hosts to inventory; [IPv6]:PORT "
            + "for IPv6 addresses. The user defaults to root.")
    List<String> targets;

    @Option(names = {"-i", "--identity"}, paramLabel = "KEY", description = "Private key file; default: the "
            + "ssh-agent at $SSH_AUTH_SOCK, else ~/.ssh/id_ed25519, id_ecdsa or id_rsa.")
    Path identity;

    @Option(names = "--passphrase-file", paramLabel = "FILE", description = "File holding the key's passphrase.")
    Path passphraseFile;

    @Option(names = {"-p", "--parallel"}, paramLabel = "N", defaultValue = "10",
            description = "Hosts inventoried at once (default ${DEFAULT-VALUE}).")
    int parallel;

    @Option(names = "--sudo", description = "Run privileged commands through sudo -n (implied for users other than "
            + "root).")
    boolean sudo;

    @Option(names = "--known-hosts", paramLabel = "FILE", description = "Host keys to accept (default "
            + "~/.ssh/known_hosts).")
    Path knownHosts;

    @Option(names = "--accept-new", description = "Accept the key of a host the known_hosts file does not list "
            + "(trust on first use); its fingerprint is printed to stderr. A key that differs from a listed one is "
            + "still refused.")
    boolean acceptNew;

    @Option(names = "--connect-timeout", paramLabel = "SECONDS", defaultValue = "15")
    int connectTimeout;

    @Option(names = "--command-timeout", paramLabel = "SECONDS", defaultValue = "300")
    int commandTimeout;

    @Override
    public Integer call() {
        if (parallel < 1 || parallel > 1000) {
            throw new FerryCommand.UsageError("--parallel must be from 1 to 1000");
        }
        if (connectTimeout < 1 || commandTimeout < 1) {
            throw new FerryCommand.UsageError("timeouts must be at least 1 second");
        }
        SshAuth auth = auth();
        List<Host> hosts = new ArrayList<>();
        for (String target : targets) {
            hosts.add(host(target, auth));
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path home = Path.of(System.getProperty("user.home"));
        KnownHosts known = KnownHosts.load(knownHosts != null ? knownHosts : home.resolve(".ssh/known_hosts"));
        SshRemoteShells shells = new SshRemoteShells(
                new SshSettings(Duration.ofSeconds(connectTimeout), Duration.ofSeconds(commandTimeout),
                        SshSettings.defaults().maxOutputBytes(), System.getenv("SSH_AUTH_SOCK")),
                (host, fingerprint) -> print(err, "ferry: " + host.spec().name() + ": accepted new host key "
                        + fingerprint),
                CommandTimer.NONE, known);
        InventoryCollector collector = new InventoryCollector(Clock.systemUTC());
        Semaphore slots = new Semaphore(parallel);
        List<Future<Boolean>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Host host : hosts) {
                results.add(pool.submit(() -> {
                    slots.acquire();
                    try (RemoteShell shell = shells.open(host)) {
                        Inventory inventory = collector.collect(host.spec().name(), host.spec().address(), shell);
                        print(out, Json.write(inventory));
                        for (var w : inventory.warnings()) {
                            print(err, "ferry: " + host.spec().name() + ": warning: " + w);
                        }
                        return true;
                    } catch (PortFailure e) {
                        print(err, "ferry: " + host.spec().name() + ": " + e.getMessage());
                        return false;
                    } finally {
                        slots.release();
                    }
                }));
            }
        }
        boolean allDone = results.stream().allMatch(f -> f.resultNow());
        return allDone ? 0 : CliFailure.REFUSED;
    }

    private static void print(PrintWriter w, String line) {
        synchronized (w) {
            w.println(line);
            w.flush();
        }
    }

    private SshAuth auth() {
        if (identity != null) {
            if (!Files.isReadable(identity)) {
                throw new FerryCommand.UsageError("cannot read the key file " + identity);
            }
            return new SshAuth(AuthMethod.KEY, identity.toAbsolutePath().toString(),
                    passphraseFile == null ? null : passphraseFile.toAbsolutePath().toString());
        }
        if (passphraseFile != null) {
            throw new FerryCommand.UsageError("--passphrase-file goes with -i KEY");
        }
        String agent = System.getenv("SSH_AUTH_SOCK");
        if (agent != null && !agent.isBlank()) {
            return SshAuth.agent();
        }
        Path ssh = Path.of(System.getProperty("user.home"), ".ssh");
        for (String name : List.of("id_ed25519", "id_ecdsa", "id_rsa")) {
            if (Files.isReadable(ssh.resolve(name))) {
                return SshAuth.key(ssh.resolve(name).toString());
            }
        }
        throw new FerryCommand.UsageError("no key: give -i KEY, run an ssh-agent, or create ~/.ssh/id_ed25519");
    }

    /** {@code user@host:port} as a host record that is never stored; its name is the target as given. */
    private Host host(String target, SshAuth auth) {
        String user = "root";
        String rest = target;
        int at = target.lastIndexOf('@');
        if (at >= 0) {
            user = target.substring(0, at);
            rest = target.substring(at + 1);
        }
        String address = rest;
        Integer port = null;
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            if (close < 0) {
                throw new FerryCommand.UsageError(target + ": unclosed [ in the address");
            }
            address = rest.substring(1, close);
            if (rest.length() > close + 1) {
                if (rest.charAt(close + 1) != ':') {
                    throw new FerryCommand.UsageError(target + ": expected :PORT after ]");
                }
                port = port(target, rest.substring(close + 2));
            }
        } else if (rest.indexOf(':') >= 0 && rest.indexOf(':') == rest.lastIndexOf(':')) {
            address = rest.substring(0, rest.indexOf(':'));
            port = port(target, rest.substring(rest.indexOf(':') + 1));
        }
        HostSpec spec = new HostSpec("inventory", address, port, user, auth, sudo || !user.equals("root"), null, null,
                null, acceptNew, null);
        // Host keys come from the known_hosts file here, not from a pinned fingerprint.
        List<Violation> wrong = spec.violations().stream().filter(v -> !v.field().equals("hostKeyFingerprint"))
                .toList();
        if (!wrong.isEmpty()) {
            throw new FerryCommand.UsageError(target + ": " + wrong.stream().map(v -> v.field() + " " + v.message())
                    .collect(Collectors.joining("; ")));
        }
        HostSpec named = new HostSpec(target, spec.address(), spec.port(), spec.user(), spec.auth(), spec.sudo(),
                null, null, null, acceptNew, null);
        return new Host(0, named, Instant.EPOCH, Instant.EPOCH);
    }

    private static Integer port(String target, String raw) {
        try {
            int p = Integer.parseInt(raw);
            if (p >= 1 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw new FerryCommand.UsageError(target + ": the port must be a number from 1 to 65535");
    }
}
