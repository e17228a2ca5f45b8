package dev.ferry.daemon.ssh;

import dev.ferry.migrations.port.CommandResult;
import dev.ferry.migrations.port.PermanentFailure;
import dev.ferry.migrations.port.RemoteCommand;
import dev.ferry.migrations.port.RemoteShell;
import dev.ferry.migrations.port.Shell;
import dev.ferry.migrations.port.TransientFailure;
import dev.ferry.state.host.Host;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.direct.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One authenticated connection to a legacy host; every command runs on its own session channel over it, so
 * several may run at once. Scripts run under {@code sh -c} whatever the login shell, privileged ones through
 * {@code sudo -n} when the login is not root.
 */
final class SshRemoteShell implements RemoteShell {

    private static final Logger LOG = LoggerFactory.getLogger(SshRemoteShell.class);
    /**
     * Platform threads for reading command output: sshj blocks inside synchronized blocks, which would pin
     * virtual threads on Java 21, and the common pool is too small for blocking reads.
     */
    private static final ExecutorService READERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "ssh-output");
        t.setDaemon(true);
        return t;
    });

    private final Host host;
    private final SSHClient client;
    private final List<SSHClient> chain;
    private final String fingerprint;
    private final String publicKey;
    private final SshSettings settings;
    private final CommandTimer timer;

    SshRemoteShell(Host host, SSHClient client, List<SSHClient> chain, String fingerprint, String publicKey,
            SshSettings settings, CommandTimer timer) {
        this.host = host;
        this.client = client;
        this.chain = List.copyOf(chain);
        this.fingerprint = fingerprint;
        this.publicKey = publicKey;
        this.settings = settings;
        this.timer = timer;
    }

    @Override
    public CommandResult run(RemoteCommand command) {
        Outcome o = execute(command, settings.maxOutputBytes(), true);
        return new CommandResult(o.status(), o.stdout().text(), o.stderr().text(),
                o.stdout().truncated() || o.stderr().truncated(), o.took());
    }

    /**
     * Runs the commands in one session per privilege level (see {@link CommandBatch}); falls back to one session
     * each when the batch's output is cut off or not understood.
     */
    @Override
    public List<CommandResult> runAll(List<RemoteCommand> commands) {
        if (!host.spec().sudo()) {
            return batch(commands, commands.stream().anyMatch(RemoteCommand::privileged));
        }
        List<RemoteCommand> privileged = commands.stream().filter(RemoteCommand::privileged).toList();
        List<RemoteCommand> plain = commands.stream().filter(c -> !c.privileged()).toList();
        java.util.Iterator<CommandResult> asRoot = batch(privileged, true).iterator();
        java.util.Iterator<CommandResult> asUser = batch(plain, false).iterator();
        return commands.stream().map(c -> c.privileged() ? asRoot.next() : asUser.next()).toList();
    }

    private List<CommandResult> batch(List<RemoteCommand> group, boolean privileged) {
        if (group.size() <= 1) {
            return group.stream().map(this::run).toList();
        }
        Duration timeout = group.stream().map(c -> c.timeout() == null ? settings.commandTimeout() : c.timeout())
                .reduce(Duration.ZERO, Duration::plus);
        RemoteCommand batch = new RemoteCommand("batch", CommandBatch.script(group), privileged, timeout);
        // several commands share the bound
        int bound = (int) Math.min(Integer.MAX_VALUE - 16L, 2L * settings.maxOutputBytes());
        Outcome r = execute(batch, bound, false);
        var parsed = r.status() == 0 && !r.stdout().truncated()
                ? CommandBatch.parse(group, r.stdout().bytes(), settings.maxOutputBytes(), r.took())
                : java.util.Optional.<List<CommandResult>>empty();
        if (parsed.isEmpty()) {
            LOG.debug("batch of {} commands on {} not usable (exit {}); running them one by one", group.size(),
                    host.name(), r.status());
            return group.stream().map(this::run).toList();
        }
        for (int i = 0; i < group.size(); i++) {
            timer.record(group.get(i).name(), parsed.get().get(i).took(), parsed.get().get(i).ok());
        }
        return parsed.get();
    }

    private record Outcome(int status, Captured stdout, Captured stderr, Duration took) {
    }

    private Outcome execute(RemoteCommand command, int maxBytes, boolean timed) {
        Duration timeout = command.timeout() == null ? settings.commandTimeout() : command.timeout();
        String line = commandLine(command);
        long started = System.nanoTime();
        try (Session session = client.startSession()) {
            Session.Command cmd = session.exec(line);
            // Nothing is sent to a command: EOF at once, so one that reads its input does not wait forever.
            cmd.getOutputStream().close();
            CompletableFuture<Captured> out = CompletableFuture.supplyAsync(() -> capture(cmd.getInputStream(), maxBytes), READERS);
            CompletableFuture<Captured> err = CompletableFuture.supplyAsync(() -> capture(cmd.getErrorStream(), maxBytes), READERS);
            long deadline = started + timeout.toNanos();
            Captured stdout = out.get(remaining(deadline), TimeUnit.NANOSECONDS);
            Captured stderr = err.get(remaining(deadline), TimeUnit.NANOSECONDS);
            cmd.join(remaining(deadline), TimeUnit.NANOSECONDS);
            Integer status = cmd.getExitStatus();
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            if (status == null) {
                throw new TransientFailure("command " + command.name() + " on " + host.name() + " ended without an "
                        + "exit status" + (cmd.getExitSignal() == null ? "" : " (killed by " + cmd.getExitSignal() + ")"));
            }
            String errText = stderr.text();
            if (command.privileged() && host.spec().sudo() && status == 1
                    && errText.contains("sudo:") && errText.contains("password is required")) {
                throw new PermanentFailure("sudo -n on " + host.name() + " wants a password for " + host.spec().user()
                        + "; allow it passwordless sudo for Ferry's commands");
            }
            if (timed) {
                timer.record(command.name(), took, status == 0);
            }
            LOG.debug("{} on {}: exit {} in {} ms", command.name(), host.name(), status, took.toMillis());
            return new Outcome(status, stdout, stderr, took);
        } catch (TimeoutException e) {
            timer.record(command.name(), Duration.ofNanos(System.nanoTime() - started), false);
            throw new TransientFailure("command " + command.name() + " on " + host.name() + " did not finish within "
                    + timeout.toSeconds() + " s", e);
        } catch (ExecutionException e) {
            throw new TransientFailure("reading the output of " + command.name() + " on " + host.name() + " failed: "
                    + e.getCause().getMessage(), e.getCause());
        } catch (IOException e) {
            throw new TransientFailure("SSH session to " + host.name() + " failed during " + command.name() + ": "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientFailure("interrupted while running " + command.name() + " on " + host.name(), e);
        }
    }

    String commandLine(RemoteCommand command) {
        String sh = "sh -c " + Shell.quote(command.script());
        return command.privileged() && host.spec().sudo() ? "sudo -n -- " + sh : sh;
    }

    private static long remaining(long deadline) throws TimeoutException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new TimeoutException();
        }
        return left;
    }

    /** Output as read, up to the bound; the rest is read and dropped so the command can finish. */
    private record Captured(byte[] bytes, boolean truncated) {
        String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private static Captured capture(InputStream in, int maxBytes) {
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        byte[] buf = new byte[64 * 1024];
        boolean truncated = false;
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                int room = maxBytes - kept.size();
                if (room > 0) {
                    kept.write(buf, 0, Math.min(n, room));
                }
                truncated |= n > room;
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return new Captured(kept.toByteArray(), truncated);
    }

    @Override
    public String hostKeyFingerprint() {
        return fingerprint;
    }

    @Override
    public String hostPublicKey() {
        return publicKey;
    }

    @Override
    public void close() {
        SshRemoteShells.closeAll(chain);
    }
}
