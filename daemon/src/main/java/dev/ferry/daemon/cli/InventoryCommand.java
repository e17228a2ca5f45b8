package dev.ferry.daemon.cli;

import dev.ferry.daemon.ssh.SshRemoteShells;
import dev.ferry.migrations.inventory.Inventory;
import dev.ferry.migrations.inventory.InventoryCollector;
import dev.ferry.migrations.port.PortFailure;
import dev.ferry.state.Json;
import dev.ferry.state.host.Host;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code ferry inventory}: the inventory of hosts that are not registered anywhere, without a daemon, one JSON
 * document per host and line on stdout (the same document the daemon stores).
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

    @Mixin
    SshTargetOptions ssh;

    @Option(names = {"-p", "--parallel"}, paramLabel = "N", defaultValue = "10",
            description = "Hosts inventoried at once (default ${DEFAULT-VALUE}).")
    int parallel;

    @Override
    public Integer call() {
        if (parallel < 1 || parallel > 1000) {
            throw new FerryCommand.UsageError("--parallel must be from 1 to 1000");
        }
        List<Host> hosts = ssh.hosts(targets);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        SshRemoteShells shells = ssh.shells(err);
        InventoryCollector collector = new InventoryCollector(Clock.systemUTC());
        Semaphore slots = new Semaphore(parallel);
        List<Future<Boolean>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Host host : hosts) {
                results.add(pool.submit(() -> {
                    slots.acquire();
                    try {
                        Inventory inventory = collector.collect(host, shells);
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
}
