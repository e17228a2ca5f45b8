package dev.ferry.daemon.cli;

import dev.ferry.daemon.ssh.CommandTimer;
import dev.ferry.daemon.ssh.KnownHosts;
import dev.ferry.daemon.ssh.SshRemoteShells;
import dev.ferry.daemon.ssh.SshSettings;
import dev.ferry.state.Violation;
import dev.ferry.state.host.AuthMethod;
import dev.ferry.state.host.Host;
import dev.ferry.state.host.HostSpec;
import dev.ferry.state.host.SshAuth;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Option;

/**
 * How the one-shot commands reach hosts that are not registered anywhere: key, sudo, and host keys checked
 * against an OpenSSH known_hosts file as ssh does.
 */
final class SshTargetOptions {

    @Option(names = {"-i", "--identity"}, paramLabel = "KEY", description = "Private key file; default: the "
            + "ssh-agent at $SSH_AUTH_SOCK, else ~/.ssh/id_ed25519, id_ecdsa or id_rsa.")
    Path identity;

    @Option(names = "--passphrase-file", paramLabel = "FILE", description = "File holding the key's passphrase.")
    Path passphraseFile;

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

    /** Host records (never stored) for the targets, checked before anything connects. */
    List<Host> hosts(List<String> targets) {
        if (connectTimeout < 1 || commandTimeout < 1) {
            throw new FerryCommand.UsageError("timeouts must be at least 1 second");
        }
        SshAuth auth = auth();
        return targets.stream().map(t -> host(t, auth)).toList();
    }

    SshRemoteShells shells(PrintWriter err) {
        Path home = Path.of(System.getProperty("user.home"));
        KnownHosts known = KnownHosts.load(knownHosts != null ? knownHosts : home.resolve(".ssh/known_hosts"));
        return new SshRemoteShells(
                new SshSettings(Duration.ofSeconds(connectTimeout), Duration.ofSeconds(commandTimeout),
                        SshSettings.defaults().maxOutputBytes(), System.getenv("SSH_AUTH_SOCK")),
                (host, fingerprint) -> {
                    synchronized (err) {
                        err.println("ferry: " + host.spec().name() + ": accepted new host key " + fingerprint);
                        err.flush();
                    }
                },
                CommandTimer.NONE, known);
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
