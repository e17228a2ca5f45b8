package dev.ferry.daemon.ssh;

import dev.ferry.migrations.port.PermanentFailure;
import dev.ferry.migrations.port.RemoteShell;
import dev.ferry.migrations.port.RemoteShells;
import dev.ferry.migrations.port.TransientFailure;
import dev.ferry.state.host.Host;
import dev.ferry.state.host.SshAuth;
import dev.ferry.state.host.HostSpec;
import dev.ferry.state.host.JumpHost;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;
import net.schmizz.sshj.userauth.method.AuthMethod;
import net.schmizz.sshj.userauth.method.AuthPublickey;
import net.schmizz.sshj.userauth.password.PasswordUtils;

/**
 * Opens SSH connections to legacy hosts with sshj: strict host-key checking against the pinned fingerprint
 * (before authentication, so no command can run on a host that changed its key), key files with an optional
 * passphrase file, the ssh-agent, an optional jump host. Failures are classified: what another attempt may fix
 * (timeouts, refused connections) is transient, the rest permanent.
 */
public final class SshRemoteShells implements RemoteShells {

    /** Told when a host registered for trust on first use showed its key for the first time. */
    @FunctionalInterface
    public interface KeyPinning {
        void firstUse(Host host, String fingerprint);
    }

    private final SshSettings settings;
    private final KeyPinning pinning;
    private final CommandTimer timer;

    private final KnownHosts knownHosts;

    public SshRemoteShells(SshSettings settings, KeyPinning pinning, CommandTimer timer) {
        this(settings, pinning, timer, null);
    }

    /**
     * @param knownHosts when given, host keys are checked against it instead of the hosts' pinned fingerprints
     *                   (the one-shot CLI, which has no registered hosts)
     */
    public SshRemoteShells(SshSettings settings, KeyPinning pinning, CommandTimer timer, KnownHosts knownHosts) {
        this.settings = settings;
        this.pinning = pinning;
        this.timer = timer;
        this.knownHosts = knownHosts;
    }

    private HostKeyCheck check(String address, int port, String pinnedFingerprint, boolean trustOnFirstUse) {
        if (knownHosts == null) {
            return new HostKeyCheck(pinnedFingerprint, trustOnFirstUse);
        }
        List<KnownHosts.Key> keys = knownHosts.accepted(address, port);
        return new HostKeyCheck(keys.stream().map(KnownHosts.Key::fingerprint).collect(Collectors.toSet()),
                keys.stream().map(KnownHosts.Key::type).distinct().toList(), trustOnFirstUse);
    }

    @Override
    public RemoteShell open(Host host) {
        HostSpec spec = host.spec();
        List<SSHClient> opened = new ArrayList<>();
        try {
            HostKeyCheck check = check(spec.address(), spec.port(), spec.hostKeyFingerprint(), spec.trustOnFirstUse());
            SSHClient client;
            if (spec.jumpHost() != null) {
                JumpHost jump = spec.jumpHost();
                HostKeyCheck bastionCheck = check(jump.address(), jump.port(), spec.jumpHostKeyFingerprint(), false);
                SSHClient bastion = client(bastionCheck);
                opened.add(bastion);
                connect(bastion, bastionCheck, jump.address(), jump.port(), "jump host " + jump);
                authenticate(bastion, jump.user(), spec, "jump host " + jump);
                client = client(check);
                opened.add(client);
                connectVia(client, check, bastion, spec, host);
            } else {
                client = client(check);
                opened.add(client);
                connect(client, check, spec.address(), spec.port(), "host " + host.name());
            }
            String seen = check.seen();
            authenticate(client, spec.user(), spec, "host " + host.name());
            if (check.pinned() == null) {
                pinning.firstUse(host, seen);
            }
            return new SshRemoteShell(host, client, opened, seen, check.seenKeyLine(), settings, timer);
        } catch (RuntimeException e) {
            closeAll(opened);
            throw e;
        }
    }

    private SSHClient client(HostKeyCheck check) {
        SSHClient c = new SSHClient(new DefaultConfig());
        c.setSocketFactory(NoDelaySockets.INSTANCE);
        c.addHostKeyVerifier(check);
        c.setConnectTimeout((int) settings.connectTimeout().toMillis());
        c.setTimeout((int) settings.connectTimeout().toMillis());
        return c;
    }

    private void connect(SSHClient c, HostKeyCheck check, String address, int port, String what) {
        try {
            c.connect(address, port);
        } catch (TransportException e) {
            throw keyOrTransport(check, what, address, port, e);
        } catch (IOException e) {
            throw network(what, address, port, e);
        }
    }

    private void connectVia(SSHClient client, HostKeyCheck check, SSHClient bastion, HostSpec spec, Host host) {
        try {
            client.connectVia(bastion.newDirectConnection(spec.address(), spec.port()));
        } catch (TransportException e) {
            throw keyOrTransport(check, "host " + host.name(), spec.address(), spec.port(), e);
        } catch (IOException e) {
            throw network("host " + host.name() + " (through " + spec.jumpHost() + ")", spec.address(), spec.port(), e);
        }
    }

    private RuntimeException keyOrTransport(HostKeyCheck check, String what, String address, int port,
            TransportException e) {
        if (check.rejected()) {
            return new PermanentFailure(check.pinned() == null
                    ? what + " (" + address + ":" + port + ") showed host key " + check.seen() + " but "
                            + (knownHosts == null ? "no key is pinned and trust on first use is off; pin it"
                                    : "the known_hosts file has no key for it; add it (ssh-keyscan) or accept it")
                            + " if it is the right one"
                    : "host key of " + what + " (" + address + ":" + port + ") changed: expected " + check.pinned()
                            + ", got " + check.seen() + "; no command was run. If the change is expected, update the "
                            + "host's pinned fingerprint", e);
        }
        return new TransientFailure("SSH handshake with " + what + " (" + address + ":" + port + ") failed: "
                + e.getMessage(), e);
    }

    private static RuntimeException network(String what, String address, int port, IOException e) {
        String why = e instanceof ConnectException ? "connection refused"
                : e instanceof SocketTimeoutException ? "timed out"
                : e instanceof NoRouteToHostException ? "no route to host"
                : e instanceof UnknownHostException ? "unknown host name"
                : e.getMessage();
        return new TransientFailure("cannot reach " + what + " at " + address + ":" + port + ": " + why, e);
    }

    private void authenticate(SSHClient c, String user, HostSpec spec, String what) {
        try {
            c.auth(user, methods(c, spec));
        } catch (UserAuthException e) {
            throw new PermanentFailure(what + " refused " + user + "'s " + spec.auth().method().id()
                    + " authentication: " + e.getMessage(), e);
        } catch (TransportException e) {
            throw new TransientFailure("connection to " + what + " broke during authentication: " + e.getMessage(), e);
        }
    }

    private List<AuthMethod> methods(SSHClient c, HostSpec spec) {
        if (spec.auth().method() == dev.ferry.state.host.AuthMethod.KEY) {
            Path keyFile = Path.of(spec.auth().keyFile());
            if (!Files.isReadable(keyFile)) {
                throw new PermanentFailure("cannot read the SSH key file " + keyFile + " for host " + spec.name());
            }
            try {
                KeyProvider key = spec.auth().passphraseFile() == null ? c.loadKeys(keyFile.toString())
                        : c.loadKeys(keyFile.toString(), PasswordUtils.createOneOff(passphrase(spec)));
                key.getPrivate();
                return List.of(new AuthPublickey(key));
            } catch (IOException e) {
                throw new PermanentFailure("cannot load the SSH key " + keyFile + " for host " + spec.name()
                        + (spec.auth().passphraseFile() == null ? " (is it encrypted? give a passphraseFile)"
                                : " (wrong passphrase?)") + ": " + e.getMessage(), e);
            }
        }
        if (settings.agentSocket() == null || settings.agentSocket().isBlank()) {
            throw new PermanentFailure("host " + spec.name() + " authenticates with the ssh-agent, but ferryd has none "
                    + "(set SSH_AUTH_SOCK or ssh.agentSocket)");
        }
        try {
            SshAgent agent = SshAgent.connect(settings.agentSocket());
            List<AuthMethod> out = new ArrayList<>();
            for (SshAgent.Identity identity : agent.identities()) {
                out.add(new AgentAuth(agent, identity));
            }
            if (out.isEmpty()) {
                agent.close();
                throw new PermanentFailure("the ssh-agent at " + settings.agentSocket() + " holds no keys");
            }
            return out;
        } catch (IOException e) {
            throw new TransientFailure("cannot talk to the ssh-agent at " + settings.agentSocket() + ": "
                    + e.getMessage(), e);
        }
    }

    private static char[] passphrase(HostSpec spec) throws IOException {
        String text = Files.readString(Path.of(spec.auth().passphraseFile()), StandardCharsets.UTF_8);
        // A trailing newline from `echo secret > file` is not part of the passphrase.
        return text.replaceFirst("\\r?\\n$", "").toCharArray();
    }

    static void closeAll(List<SSHClient> clients) {
        for (int i = clients.size() - 1; i >= 0; i--) {
            try {
                clients.get(i).close();
            } catch (IOException | RuntimeException ignored) {
                // closing is best effort
            }
        }
    }

    /** The key file Ferry logs in with, for the copier that must log in the same way. */
    @Override
    public byte[] privateKey(Host host) {
        SshAuth auth = host.spec().auth();
        if (auth.keyFile() == null) {
            throw new PermanentFailure("host " + host.name() + " logs in through the ssh-agent; the copy Job needs "
                    + "a key file: register the host with one", null);
        }
        if (auth.passphraseFile() != null) {
            throw new PermanentFailure("host " + host.name() + "'s key has a passphrase; the copy Job cannot type "
                    + "it: give Ferry a key without one for copying", null);
        }
        try {
            return Files.readAllBytes(Path.of(auth.keyFile()));
        } catch (IOException e) {
            throw new PermanentFailure("cannot read the key file of host " + host.name() + ": " + e.getMessage(), e);
        }
    }
}
