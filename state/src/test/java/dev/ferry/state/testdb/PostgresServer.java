package dev.ferry.state.testdb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL server from Debian's packages, for tests: initdb into a temporary
 * directory, started with pg_ctl on 127.0.0.1 and a free port, with one database and a password
 * user ready; stopped and deleted on close. PostgreSQL refuses to run as root, so as root the server
 * runs as the {@code postgres} system user. If the JVM dies, a watchdog process stops the server.
 */
public final class PostgresServer implements AutoCloseable {
    private static final String FIXTURE = "PostgresServer";
    private static final Path POSTGRES_LIB = Path.of("/usr/lib/postgresql");
    private static final Pattern SQL_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final int START_ATTEMPTS = 3;

    private final Path directory;
    private final Path dataDirectory;
    private final Path log;
    private final int port;
    private final String user;
    private final String password;
    private final String database;
    private final Process watchdog;

    private PostgresServer(Path directory, Path dataDirectory, Path log, int port, String user, String password,
            String database, Process watchdog) {
        this.directory = directory;
        this.dataDirectory = dataDirectory;
        this.log = log;
        this.port = port;
        this.user = user;
        this.password = password;
        this.database = database;
        this.watchdog = watchdog;
    }

    /** Starts a server with a database named {@code ferry} owned by the user {@code ferry}. */
    public static PostgresServer start() {
        return start("ferry");
    }

    public static PostgresServer start(String database) {
        requireSqlName(database);
        Path bin = newestBinDirectory();
        boolean asRoot = Prerequisites.runningAsRoot();
        Path directory;
        try {
            directory = Files.createTempDirectory("ferry-postgres-");
        } catch (IOException e) {
            throw new FixtureException(FIXTURE + ": cannot create a temporary directory: " + e.getMessage(), e);
        }
        try {
            return startIn(directory, bin, asRoot, database);
        } catch (RuntimeException e) {
            deleteQuietly(directory);
            throw e;
        }
    }

    private static PostgresServer startIn(Path directory, Path bin, boolean asRoot, String database) {
        String user = "ferry";
        byte[] secret = new byte[12];
        new SecureRandom().nextBytes(secret);
        String password = HexFormat.of().formatHex(secret);
        Path data = directory.resolve("data");
        Path sockets = directory.resolve("run");
        Path passwordFile = directory.resolve("password");
        Path log = directory.resolve("postgres.log");
        try {
            Files.createDirectories(sockets);
            Files.writeString(passwordFile, password + "\n");
            Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new FixtureException(FIXTURE + ": cannot prepare " + directory + ": " + e.getMessage(), e);
        }
        if (asRoot) {
            Command.of("chown", "-R", "postgres:postgres", directory.toString()).runOrThrow();
        }
        Command.of(asServerUser(asRoot, bin.resolve("initdb").toString(), "-D", data.toString(), "-U", user,
                        "--pwfile=" + passwordFile, "--auth-host=scram-sha-256", "--auth-local=trust", "-E", "UTF8",
                        "--no-locale", "--no-sync"))
                .timeout(Duration.ofSeconds(120)).run().orThrow();

        List<String> failures = new ArrayList<>();
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            int port = freePort();
            String options = "-c listen_addresses=127.0.0.1 -p " + port + " -k " + sockets
                    + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
            CommandResult started = Command.of(asServerUser(asRoot, bin.resolve("pg_ctl").toString(), "start",
                            "-D", data.toString(), "-w", "-t", "60", "-l", log.toString(), "-o", options))
                    .timeout(Duration.ofSeconds(90)).run();
            if (started.succeeded()) {
                Process watchdog = startWatchdog(asRoot, bin, data);
                PostgresServer server = new PostgresServer(directory, data, log, port, user, password, database, watchdog);
                try {
                    server.createDatabase(database);
                } catch (RuntimeException e) {
                    server.close();
                    throw e;
                }
                return server;
            }
            failures.add(started.describe() + "\n--- " + log + " ---\n" + tail(log));
        }
        throw new FixtureException(FIXTURE + ": the server did not start after " + START_ATTEMPTS + " attempts:\n"
                + String.join("\n\n", failures));
    }

    /** Creates another database owned by this server's user and returns its JDBC URL. */
    public String createDatabase(String name) {
        requireSqlName(name);
        try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), user, password);
                var statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name + " OWNER " + user);
        } catch (SQLException e) {
            throw new FixtureException(FIXTURE + ": cannot create database " + name + ": " + e.getMessage(), e);
        }
        return jdbcUrl(name);
    }

    public String jdbcUrl() {
        return jdbcUrl(database);
    }

    public String jdbcUrl(String databaseName) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + databaseName;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    public String database() {
        return database;
    }

    public int port() {
        return port;
    }

    /** The server's log, for failure messages. */
    public Path log() {
        return log;
    }

    /** Stops the server at once (its data is thrown away) and deletes its directory. */
    @Override
    public void close() {
        try {
            watchdog.getOutputStream().close();
            if (!watchdog.waitFor(60, TimeUnit.SECONDS)) {
                watchdog.destroyForcibly();
                throw new FixtureException(FIXTURE + ": the server in " + dataDirectory + " did not stop within 60s");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FixtureException(FIXTURE + ": interrupted while stopping the server", e);
        } finally {
            deleteQuietly(directory);
        }
    }

    /**
     * A process that waits for its standard input to end (on close, or when the JVM dies) and then
     * stops the server, so no server outlives the tests that started it.
     */
    private static Process startWatchdog(boolean asRoot, Path bin, Path data) {
        String script = "while read -r _; do :; done; exec " + bin.resolve("pg_ctl")
                + " stop -D " + data + " -m immediate -w -t 60 >/dev/null 2>&1";
        try {
            return new ProcessBuilder(asServerUser(asRoot, "/bin/bash", "-c", script))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            Command.of(asServerUser(asRoot, bin.resolve("pg_ctl").toString(), "stop", "-D", data.toString(),
                    "-m", "immediate")).run();
            throw new FixtureException(FIXTURE + ": cannot start the watchdog process: " + e.getMessage(), e);
        }
    }

    private static List<String> asServerUser(boolean asRoot, String... argv) {
        List<String> command = new ArrayList<>();
        if (asRoot) {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.addAll(List.of(argv));
        return command;
    }

    private static Path newestBinDirectory() {
        if (!Files.isDirectory(POSTGRES_LIB)) {
            throw new FixtureException(FIXTURE + " needs PostgreSQL from the Debian package postgresql, which is"
                    + " not installed (no " + POSTGRES_LIB + "): run scripts/install-test-deps.sh (as root).");
        }
        try (Stream<Path> versions = Files.list(POSTGRES_LIB)) {
            return versions.map(version -> version.resolve("bin"))
                    .filter(bin -> Files.isExecutable(bin.resolve("initdb")) && Files.isExecutable(bin.resolve("pg_ctl")))
                    .max(Comparator.comparingInt(bin -> majorVersion(bin.getParent())))
                    .orElseThrow(() -> new FixtureException(FIXTURE + ": no PostgreSQL server binaries (initdb, pg_ctl)"
                            + " under " + POSTGRES_LIB + "/*/bin; install the Debian package postgresql"
                            + " (scripts/install-test-deps.sh)."));
        } catch (IOException e) {
            throw new FixtureException(FIXTURE + ": cannot list " + POSTGRES_LIB + ": " + e.getMessage(), e);
        }
    }

    private static int majorVersion(Path versionDirectory) {
        String name = versionDirectory.getFileName().toString();
        return name.matches("\\d+") ? Integer.parseInt(name) : -1;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new FixtureException(FIXTURE + ": cannot find a free port on 127.0.0.1: " + e.getMessage(), e);
        }
    }

    private static void requireSqlName(String name) {
        if (!SQL_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("database name must match " + SQL_NAME + ": " + name);
        }
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    private static void deleteQuietly(Path directory) {
        Command.of("rm", "-rf", "--one-file-system", directory.toString()).run();
    }

    @Override
    public String toString() {
        return "PostgresServer[" + jdbcUrl() + ", data " + dataDirectory + "]";
    }
}
