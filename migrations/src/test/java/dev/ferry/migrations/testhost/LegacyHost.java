package dev.ferry.migrations.testhost;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real legacy LNMP host for integration tests: sshd, nginx with dynamic modules, php-fpm with two pools and
 * MariaDB from Debian's packages, on a loopback address of its own, in its own mount and PID namespaces (see
 * {@code testhost/README.md}). Needs root and the packages of {@code scripts/install-test-deps.sh}; anything
 * missing fails with a message saying what, never skips.
 */
public final class LegacyHost implements AutoCloseable {

    public static final int SSH_PORT = 2222;
    public static final String DB_PASSWORD = "app-db-secret-never-stored";
    private static final AtomicInteger NEXT = new AtomicInteger(20 + (int) (ProcessHandle.current().pid() % 50) * 4);

    /** A site as the fixture set it up: what an inventory of this host must find. */
    public record Site(String serverName, List<String> otherNames, String root, int port, boolean tls, String pool) {
    }

    /** What a command run inside the host printed. */
    public record Result(int exitCode, String stdout, String stderr) {
    }

    private final Path root;
    private final String address;
    private final Process namespace;
    private final long initPid;

    private LegacyHost(Path root, String address, Process namespace, long initPid) {
        this.root = root;
        this.address = address;
        this.namespace = namespace;
        this.initPid = initPid;
    }

    public static LegacyHost start() {
        requirePrerequisites();
        String address = freeAddress();
        Path root;
        try {
            root = Files.createTempDirectory("ferry-legacy-");
            Path scripts = root.resolve("fixture");
            Files.createDirectories(scripts);
            for (String name : List.of("make-host.sh", "init.sh", "dhparam.pem")) {
                try (InputStream in = LegacyHost.class.getResourceAsStream("/testhost/" + name)) {
                    Files.copy(in, scripts.resolve(name), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            root = root.resolve("host");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the legacy host's directory", e);
        }
        Path scripts = root.getParent().resolve("fixture");
        run(Duration.ofSeconds(60), "bash", scripts.resolve("make-host.sh").toString(), root.toString(), address,
                Integer.toString(SSH_PORT));
        Process ns;
        try {
            ns = new ProcessBuilder("unshare", "--mount", "--pid", "--uts", "--fork", "--kill-child", "--mount-proc",
                    "--propagation", "private", "bash", scripts.resolve("init.sh").toString(), root.toString(), address)
                    .redirectErrorStream(true)
                    .redirectOutput(root.getParent().resolve("init.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the legacy host's namespace (util-linux unshare)", e);
        }
        LegacyHost host = null;
        try {
            long pid = initPid(ns);
            host = new LegacyHost(root, address, ns, pid);
            host.awaitReady();
            host.seedDatabase();
            return host;
        } catch (RuntimeException e) {
            String logs = logsOf(root);
            if (host != null) {
                host.close();
            } else {
                ns.destroyForcibly();
            }
            throw new IllegalStateException("the legacy host on " + address + " did not start: " + e.getMessage()
                    + "\n" + logs, e);
        }
    }

    public String address() {
        return address;
    }

    public int sshPort() {
        return SSH_PORT;
    }

    /** The root directory of the host's files on this machine (its /var/www is {@code root().resolve("var/www")}). */
    public Path root() {
        return root;
    }

    /** The unencrypted client key authorized for root and ferryops. */
    public Path clientKey() {
        return root.resolve("keys/client");
    }

    /** A client key encrypted with the passphrase in {@link #passphraseFile()}. */
    public Path protectedClientKey() {
        return root.resolve("keys/client-protected");
    }

    public Path passphraseFile() {
        return root.resolve("keys/client-passphrase.txt");
    }

    /** The non-root login with passwordless sudo. */
    public String sudoUser() {
        return "ferryops";
    }

    /** The host key's OpenSSH SHA256 fingerprint, as ssh-keygen prints it. */
    public String hostKeyFingerprint() {
        String line = run(Duration.ofSeconds(10), "ssh-keygen", "-lf",
                root.resolve("etc/ssh/ssh_host_ed25519_key.pub").toString()).stdout();
        return line.split(" ")[1];
    }

    /** A known_hosts line for OpenSSH's client. */
    public String knownHostsLine() {
        try {
            String key = Files.readString(root.resolve("etc/ssh/ssh_host_ed25519_key.pub")).strip();
            return "[" + address + "]:" + SSH_PORT + " " + key.substring(0, key.lastIndexOf(' '));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<Site> sites() {
        return List.of(
                new Site("static.example.test", List.of("www.static.example.test"), "/var/www/static", 80, false, null),
                new Site("php.example.test", List.of(), "/var/www/php", 80, false, "www"),
                new Site("app.example.test", List.of(), "/var/www/app", 80, false, "api"),
                new Site("secure.example.test", List.of(), "/var/www/secure", 443, true, null),
                new Site("secure.example.test", List.of(), null, 80, false, null));
    }

    /**
     * How many logins sshd has accepted so far: a test that expects no command to have run checks that this
     * did not grow. Waits a moment first, so that a login under way has reached the log.
     */
    public long acceptedLogins() {
        try {
            Thread.sleep(200);
            return Files.readAllLines(root.resolve("var/log/sshd.log")).stream()
                    .filter(l -> l.contains("Accepted publickey")).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs a bash script inside the host (its namespaces), as root. */
    public Result exec(String script) {
        return run(Duration.ofSeconds(120), "nsenter", "-t", Long.toString(initPid), "-m", "-p", "-u", "--",
                "bash", "-c", script);
    }

    /** Gives the host a new SSH host key, as a reinstalled or impersonated host would have. */
    public void regenerateHostKey() {
        Result r = exec("rm -f /etc/ssh/ssh_host_ed25519_key* && ssh-keygen -q -t ed25519 -N '' -f /etc/ssh/ssh_host_ed25519_key"
                + " && kill -HUP $(cat /run/sshd.pid)");
        if (r.exitCode() != 0) {
            throw new IllegalStateException("cannot regenerate the host key: " + r.stderr());
        }
        awaitPort(SSH_PORT, Instant.now().plusSeconds(20));
    }

    private void awaitReady() {
        Instant deadline = Instant.now().plusSeconds(90);
        awaitPort(SSH_PORT, deadline);
        awaitPort(80, deadline);
        awaitPort(443, deadline);
        awaitPort(9001, deadline);
        awaitPort(3306, deadline);
        while (exec("test -S /run/php/php8.2-fpm.sock").exitCode() != 0) {
            pause(deadline, "php-fpm's socket");
        }
    }

    private void awaitPort(int port, Instant deadline) {
        while (true) {
            if (!namespace.isAlive()) {
                throw new IllegalStateException("the host's init exited (" + namespace.exitValue() + ")");
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(address, port), 500);
                return;
            } catch (IOException e) {
                pause(deadline, address + ":" + port);
            }
        }
    }

    private void seedDatabase() {
        Result r = exec("mariadb -uroot <<'SQL'\n"
                + "CREATE DATABASE appdb;\n"
                + "CREATE USER 'appuser'@'%' IDENTIFIED BY '" + DB_PASSWORD + "';\n"
                + "GRANT ALL ON appdb.* TO 'appuser'@'%';\n"
                + "CREATE TABLE appdb.wp_posts (id INT PRIMARY KEY, title VARCHAR(200) NOT NULL);\n"
                + "INSERT INTO appdb.wp_posts VALUES (1, 'Hello legacy world'), (2, 'Second post');\n"
                + "SQL");
        if (r.exitCode() != 0) {
            throw new IllegalStateException("cannot create the app's database: " + r.stderr());
        }
    }

    @Override
    public void close() {
        namespace.destroyForcibly();
        try {
            namespace.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // The namespace's init dies with unshare (--kill-child), and every process of the host with it; wait for it.
        ProcessHandle.of(initPid).ifPresent(ProcessHandle::destroyForcibly);
        Instant deadline = Instant.now().plusSeconds(30);
        while (!isGone(initPid) && Instant.now().isBefore(deadline)) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        run(Duration.ofSeconds(60), "rm", "-rf", "--one-file-system", root.getParent().toString());
    }

    /** No such process, or only its zombie (dead, waiting for its new parent to reap it). */
    static boolean isGone(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException e) {
            return true;
        }
    }

    private static void requirePrerequisites() {
        if (!run(Duration.ofSeconds(5), "id", "-u").stdout().strip().equals("0")) {
            throw new IllegalStateException("LegacyHost needs root (it uses mount and PID namespaces); run the tests "
                    + "as root, as CI does (.ci/run)");
        }
        for (String[] need : new String[][] {
                {"/usr/sbin/sshd", "openssh-server"}, {"/usr/sbin/nginx", "nginx"}, {"/usr/sbin/php-fpm8.2", "php-fpm"},
                {"/usr/sbin/mariadbd", "mariadb-server"}, {"/usr/bin/unshare", "util-linux"},
                {"/usr/bin/nsenter", "util-linux"}, {"/usr/bin/ps", "procps"}, {"/usr/bin/curl", "curl"},
                {"/usr/bin/rsync", "rsync"}, {"/usr/share/nginx/modules-available/mod-http-lua.conf",
                        "libnginx-mod-http-lua"},
                {"/usr/share/nginx/modules-available/mod-http-brotli-filter.conf", "libnginx-mod-http-brotli-filter"}}) {
            if (!Files.exists(Path.of(need[0]))) {
                throw new IllegalStateException("LegacyHost needs " + need[0] + " from the Debian package " + need[1]
                        + ": run scripts/install-test-deps.sh as root");
            }
        }
    }

    private static String freeAddress() {
        for (int i = 0; i < 200; i++) {
            int n = NEXT.getAndIncrement() % 240 + 10;
            String candidate = "127.0.0." + n;
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(candidate, SSH_PORT), 200);
            } catch (IOException free) {
                return candidate;
            }
        }
        throw new IllegalStateException("no free loopback address for a legacy host");
    }

    private static long initPid(Process unshare) {
        Path children = Path.of("/proc", Long.toString(unshare.pid()), "task", Long.toString(unshare.pid()), "children");
        Instant deadline = Instant.now().plusSeconds(10);
        while (true) {
            try {
                String text = Files.readString(children).strip();
                if (!text.isEmpty()) {
                    return Long.parseLong(text.split(" ")[0]);
                }
            } catch (IOException e) {
                // not there yet
            }
            pause(deadline, "the namespace's init process");
        }
    }

    private static void pause(Instant deadline, String what) {
        if (Instant.now().isAfter(deadline)) {
            throw new IllegalStateException("timed out waiting for " + what);
        }
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String logsOf(Path root) {
        StringBuilder out = new StringBuilder();
        List<Path> logs = new ArrayList<>(List.of(root.getParent().resolve("init.log")));
        for (String name : List.of("var/log/sshd.log", "var/log/mariadb.log", "var/log/mariadb-install.log",
                "var/log/php-fpm.out", "var/log/php8.2-fpm.log", "var/log/nginx/stdout.log", "var/log/nginx/error.log")) {
            logs.add(root.resolve(name));
        }
        for (Path log : logs) {
            try {
                List<String> lines = Files.readAllLines(log);
                out.append("--- ").append(log).append('\n')
                        .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()))).append('\n');
            } catch (IOException ignored) {
                // absent: the daemon did not get that far
            }
        }
        return out.toString();
    }

    private static Result run(Duration timeout, String... argv) {
        try {
            Process p = new ProcessBuilder(argv).start();
            var out = p.getInputStream();
            var err = p.getErrorStream();
            var outText = new java.util.concurrent.FutureTask<>(() -> read(out));
            var errText = new java.util.concurrent.FutureTask<>(() -> read(err));
            Thread.ofPlatform().daemon().start(outText);
            Thread.ofPlatform().daemon().start(errText);
            if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", argv) + " did not finish within " + timeout);
            }
            Result r = new Result(p.exitValue(), outText.get(), errText.get());
            if (argv[0].equals("bash") && r.exitCode() != 0) {
                throw new IllegalStateException(String.join(" ", argv) + " failed (" + r.exitCode() + "): " + r.stderr());
            }
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + argv[0], e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("cannot read the output of " + argv[0], e.getCause());
        }
    }

    private static String read(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "LegacyHost[" + address + ", " + root + "]";
    }
}
