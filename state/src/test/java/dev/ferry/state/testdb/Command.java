package dev.ferry.state.testdb;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs an external program for a test fixture and collects its output; a program that outlives its
 * time limit is killed (with its descendants) and reported as a failure.
 */
public final class Command {
    private final List<String> argv;
    private Duration timeout = Duration.ofSeconds(60);
    private byte[] stdin = new byte[0];
    private final Map<String, String> environment = new LinkedHashMap<>();

    private Command(List<String> argv) {
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("a command needs at least a program name");
        }
        this.argv = List.copyOf(argv);
    }

    public static Command of(String... argv) {
        return new Command(List.of(argv));
    }

    public static Command of(List<String> argv) {
        return new Command(argv);
    }

    public Command timeout(Duration limit) {
        this.timeout = limit;
        return this;
    }

    public Command stdin(String text) {
        this.stdin = text.getBytes(StandardCharsets.UTF_8);
        return this;
    }

    public Command env(String name, String value) {
        environment.put(name, value);
        return this;
    }

    /** Runs the program to its end; a non-zero exit is a result, not an exception. */
    public CommandResult run() {
        Process process;
        try {
            ProcessBuilder builder = new ProcessBuilder(argv);
            builder.environment().putAll(environment);
            process = builder.start();
        } catch (IOException e) {
            throw new FixtureException("cannot start " + argv + ": " + e.getMessage(), e);
        }
        CompletableFuture<String> out = drain(process.getInputStream());
        CompletableFuture<String> err = drain(process.getErrorStream());
        try (var in = process.getOutputStream()) {
            in.write(stdin);
        } catch (IOException e) {
            // The program exited without reading its input; its exit code tells the story.
        }
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
                throw new FixtureException("command " + argv + " did not finish within " + timeout
                        + "\n--- stdout so far ---\n" + out.getNow("") + "\n--- stderr so far ---\n" + err.getNow(""));
            }
            return new CommandResult(argv, process.exitValue(), out.join(), err.join());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new FixtureException("interrupted while running " + argv, e);
        }
    }

    /** Runs the program and returns its output, throwing when it fails. */
    public CommandResult runOrThrow() {
        return run().orThrow();
    }

    private static CompletableFuture<String> drain(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, runnable -> {
            Thread thread = new Thread(runnable, "command-output");
            thread.setDaemon(true);
            thread.start();
        });
    }

    @Override
    public String toString() {
        return String.join(" ", argv);
    }
}
