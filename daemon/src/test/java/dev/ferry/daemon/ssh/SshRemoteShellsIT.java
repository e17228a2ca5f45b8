package dev.ferry.daemon.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.migrations.port.CommandResult;
import dev.ferry.migrations.port.PermanentFailure;
import dev.ferry.migrations.port.RemoteCommand;
import dev.ferry.migrations.port.RemoteShell;
import dev.ferry.migrations.port.Shell;
import dev.ferry.migrations.port.TransientFailure;
import dev.ferry.migrations.testhost.LegacyHost;
import dev.ferry.state.host.Host;
import dev.ferry.state.host.HostSpec;
import dev.ferry.state.host.JumpHost;
import dev.ferry.state.host.SshAuth;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sshj adapter against a real OpenSSH sshd on the test legacy host. */
class SshRemoteShellsIT {

    static LegacyHost host;
    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        host = LegacyHost.start();
    }

    @AfterAll
    static void stop() {
        host.close();
    }

    static SshSettings settings() {
        return new SshSettings(Duration.ofSeconds(10), Duration.ofSeconds(30), 1024 * 1024, null);
    }

    static Host hostRecord(LegacyHost h, String user, SshAuth auth, boolean sudo, String fingerprint, boolean tofu) {
        return new Host(1, new HostSpec("legacy", h.address(), h.sshPort(), user, auth, sudo, null, null, fingerprint,
                tofu, null), Instant.EPOCH, Instant.EPOCH);
    }

    static Host root(LegacyHost h) {
        return hostRecord(h, "root", SshAuth.key(h.clientKey().toString()), false, h.hostKeyFingerprint(), false);
    }

    final SshRemoteShells shells = new SshRemoteShells(settings(), (h, fp) -> { }, CommandTimer.NONE);

    @Test
    void aCommandRunsWithItsOutputAndExitStatus() {
        try (RemoteShell shell = shells.open(root(host))) {
            CommandResult r = shell.run(RemoteCommand.of("probe", "echo out; echo err >&2; exit 3"));
            assertThat(r.exitCode()).isEqualTo(3);
            assertThat(r.stdout()).isEqualTo("out\n");
            assertThat(r.stderr()).isEqualTo("err\n");
            assertThat(r.truncated()).isFalse();
            assertThat(shell.hostKeyFingerprint()).isEqualTo(host.hostKeyFingerprint());
            // One connection, many commands, also at once.
            List<CommandResult> parallel = java.util.stream.IntStream.range(0, 8).parallel()
                    .mapToObj(i -> shell.run(RemoteCommand.of("n", "echo " + i))).toList();
            assertThat(parallel).allMatch(CommandResult::ok);
        }
    }

    @Test
    void commandsRunTogetherGiveTheSameResultsAsOneByOne() {
        List<RemoteCommand> commands = List.of(
                RemoteCommand.of("out", "printf 'a\\0b\\nc'"),
                RemoteCommand.of("err", "echo oops >&2; exit 7"),
                RemoteCommand.of("quote", "printf %s " + Shell.quote("it's $(id) `x`")),
                RemoteCommand.asRoot("who", "id -un"),
                RemoteCommand.of("stdin", "cat; echo done"),
                RemoteCommand.of("exit", "exit 0; echo never"));
        Host ops = hostRecord(host, host.sudoUser(), SshAuth.key(host.clientKey().toString()), true,
                host.hostKeyFingerprint(), false);
        for (Host h : List.of(root(host), ops)) {
            try (RemoteShell shell = shells.open(h)) {
                List<CommandResult> together = shell.runAll(commands);
                List<CommandResult> alone = commands.stream().map(shell::run).toList();
                assertThat(together).hasSize(commands.size());
                for (int i = 0; i < commands.size(); i++) {
                    assertThat(together.get(i).exitCode()).as(commands.get(i).name()).isEqualTo(alone.get(i).exitCode());
                    assertThat(together.get(i).stdout()).as(commands.get(i).name()).isEqualTo(alone.get(i).stdout());
                    assertThat(together.get(i).stderr()).as(commands.get(i).name()).isEqualTo(alone.get(i).stderr());
                }
                assertThat(together.get(0).stdout()).isEqualTo("a\0b\nc");
                assertThat(together.get(3).stdout().strip()).isEqualTo("root");
            }
        }
    }

    @Test
    void hostileWordsArriveUnchangedThroughSsh() {
        try (RemoteShell shell = shells.open(root(host))) {
            for (String word : List.of("it's", "$(reboot)", "`id`", "a; rm -rf /", "new\nline", "${HOME}", "-rf")) {
                assertThat(shell.run(RemoteCommand.of("echo", "printf %s " + Shell.quote(word))).stdout()).isEqualTo(word);
            }
        }
    }

    @Test
    void aNonRootLoginRunsPrivilegedCommandsThroughSudo() {
        Host ops = hostRecord(host, host.sudoUser(), SshAuth.key(host.clientKey().toString()), true,
                host.hostKeyFingerprint(), false);
        try (RemoteShell shell = shells.open(ops)) {
            assertThat(shell.run(RemoteCommand.of("who", "id -un")).stdout().strip()).isEqualTo("ferryops");
            assertThat(shell.run(RemoteCommand.asRoot("who", "id -un")).stdout().strip()).isEqualTo("root");
        }
    }

    @Test
    void anEncryptedKeyIsOpenedWithThePassphraseFromItsFile() {
        Host h = hostRecord(host, "root", new SshAuth(dev.ferry.state.host.AuthMethod.KEY,
                host.protectedClientKey().toString(), host.passphraseFile().toString()), false, host.hostKeyFingerprint(), false);
        try (RemoteShell shell = shells.open(h)) {
            assertThat(shell.run(RemoteCommand.of("true", "true")).ok()).isTrue();
        }
        Host noPassphrase = hostRecord(host, "root", SshAuth.key(host.protectedClientKey().toString()), false,
                host.hostKeyFingerprint(), false);
        assertThatThrownBy(() -> shells.open(noPassphrase)).isInstanceOf(PermanentFailure.class)
                .hasMessageContaining("give a passphraseFile");
    }

    @Test
    void theSshAgentAuthenticates() throws Exception {
        Path socket = dir.resolve("agent.sock");
        Process agent = new ProcessBuilder("ssh-agent", "-D", "-a", socket.toString()).start();
        try {
            Instant deadline = Instant.now().plusSeconds(10);
            while (!Files.exists(socket)) {
                assertThat(Instant.now()).isBefore(deadline);
                Thread.sleep(50);
            }
            ProcessBuilder addWithSock = new ProcessBuilder("ssh-add", host.clientKey().toString()).redirectErrorStream(true);
            addWithSock.environment().put("SSH_AUTH_SOCK", socket.toString());
            assertThat(addWithSock.start().waitFor()).isZero();
            SshRemoteShells viaAgent = new SshRemoteShells(new SshSettings(Duration.ofSeconds(10), Duration.ofSeconds(30),
                    1024 * 1024, socket.toString()), (h, fp) -> { }, CommandTimer.NONE);
            Host h = hostRecord(host, "root", SshAuth.agent(), false, host.hostKeyFingerprint(), false);
            try (RemoteShell shell = viaAgent.open(h)) {
                assertThat(shell.run(RemoteCommand.of("who", "id -un")).stdout().strip()).isEqualTo("root");
            }
        } finally {
            agent.destroy();
        }
    }

    @Test
    void anUnpinnedKeyIsRefusedUnlessTrustOnFirstUseWasAskedForAndThenItIsPinned() {
        Host unpinned = hostRecord(host, "root", SshAuth.key(host.clientKey().toString()), false, null, false);
        assertThatThrownBy(() -> shells.open(unpinned)).isInstanceOf(PermanentFailure.class)
                .hasMessageContaining("no key is pinned");
        AtomicReference<String> pinned = new AtomicReference<>();
        SshRemoteShells tofu = new SshRemoteShells(settings(), (h, fp) -> pinned.set(fp), CommandTimer.NONE);
        try (RemoteShell shell = tofu.open(hostRecord(host, "root", SshAuth.key(host.clientKey().toString()), false,
                null, true))) {
            assertThat(shell.run(RemoteCommand.of("true", "true")).ok()).isTrue();
        }
        assertThat(pinned.get()).isEqualTo(host.hostKeyFingerprint());
    }

    @Test
    void aChangedHostKeyFailsBeforeAnyCommandRuns() throws Exception {
        try (LegacyHost changing = LegacyHost.start()) {
            Host pinned = root(changing);
            try (RemoteShell shell = shells.open(pinned)) {
                assertThat(shell.run(RemoteCommand.of("true", "true")).ok()).isTrue();
            }
            changing.regenerateHostKey();
            long acceptedBefore = changing.acceptedLogins();
            assertThatThrownBy(() -> shells.open(pinned))
                    .isInstanceOf(PermanentFailure.class)
                    .hasMessageContaining("host key of host legacy")
                    .hasMessageContaining("changed: expected " + pinned.spec().hostKeyFingerprint())
                    .hasMessageContaining("got " + changing.hostKeyFingerprint())
                    .hasMessageContaining("no command was run");
            assertThat(changing.acceptedLogins()).as("no login was accepted after the key changed").isEqualTo(acceptedBefore);
        }
    }

    @Test
    void aJumpHostIsCheckedAndUsed() throws Exception {
        try (LegacyHost bastion = LegacyHost.start()) {
            HostSpec spec = new HostSpec("behind", host.address(), host.sshPort(), "root", SshAuth.key(host.clientKey().toString()),
                    false, new JumpHost("root", bastion.address(), bastion.sshPort()), bastion.hostKeyFingerprint(),
                    host.hostKeyFingerprint(), false, null);
            // One Ferry key for both hops, as an operator would set it up.
            authorize(bastion, host.clientKey());
            try (RemoteShell shell = shells.open(new Host(1, spec, Instant.EPOCH, Instant.EPOCH))) {
                assertThat(shell.run(RemoteCommand.of("where", "hostname")).stdout().strip())
                        .isEqualTo("legacy-" + host.address().replace('.', '-'));
            }
            HostSpec wrongBastionKey = new HostSpec("behind", host.address(), host.sshPort(), "root",
                    SshAuth.key(host.clientKey().toString()), false, new JumpHost("root", bastion.address(), bastion.sshPort()),
                    host.hostKeyFingerprint(), host.hostKeyFingerprint(), false, null);
            assertThatThrownBy(() -> shells.open(new Host(1, wrongBastionKey, Instant.EPOCH, Instant.EPOCH)))
                    .isInstanceOf(PermanentFailure.class).hasMessageContaining("jump host root@" + bastion.address());
        }
    }

    static void authorize(LegacyHost on, Path key) throws Exception {
        String pub = Files.readString(Path.of(key + ".pub")).strip();
        LegacyHost.Result r = on.exec("cat >> /etc/ssh/authorized_keys/root <<'KEY'\n" + pub + "\nKEY");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
    }

    @Test
    void outputBeyondTheBoundIsCutAndSaidSo() {
        SshRemoteShells small = new SshRemoteShells(new SshSettings(Duration.ofSeconds(10), Duration.ofSeconds(30),
                1000, null), (h, fp) -> { }, CommandTimer.NONE);
        try (RemoteShell shell = small.open(root(host))) {
            CommandResult r = shell.run(RemoteCommand.of("big", "head -c 100000 /dev/zero | tr '\\\\0' x"));
            assertThat(r.stdout()).hasSize(1000);
            assertThat(r.truncated()).isTrue();
            assertThat(r.exitCode()).isZero();
        }
    }

    @Test
    void slowCommandsTimeOutAndUnreachableHostsAreTransient() {
        try (RemoteShell shell = shells.open(root(host))) {
            assertThatThrownBy(() -> shell.run(RemoteCommand.of("slow", "sleep 20").withTimeout(Duration.ofSeconds(1))))
                    .isInstanceOf(TransientFailure.class).hasMessageContaining("did not finish within 1 s");
        }
        Host nobody = hostRecord(host, "root", SshAuth.key(host.clientKey().toString()), false, host.hostKeyFingerprint(), false);
        Host closedPort = new Host(1, new HostSpec("legacy", host.address(), 2299, "root", nobody.spec().auth(), false, null,
                null, host.hostKeyFingerprint(), false, null), Instant.EPOCH, Instant.EPOCH);
        assertThatThrownBy(() -> shells.open(closedPort)).isInstanceOf(TransientFailure.class)
                .hasMessageContaining("connection refused");
        Host wrongUser = hostRecord(host, "siteuser", SshAuth.key(host.clientKey().toString()), false,
                host.hostKeyFingerprint(), false);
        assertThatThrownBy(() -> shells.open(wrongUser)).isInstanceOf(PermanentFailure.class)
                .hasMessageContaining("refused siteuser's key authentication");
    }
}
