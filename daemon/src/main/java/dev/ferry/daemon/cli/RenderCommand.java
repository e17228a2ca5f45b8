package dev.ferry.daemon.cli;

import dev.ferry.migrations.copy.CopyJob;
import dev.ferry.migrations.copy.CopySettings;
import dev.ferry.migrations.inventory.Inventory;
import dev.ferry.migrations.inventory.InventoryCollector;
import dev.ferry.migrations.plan.ClusterSettings;
import dev.ferry.migrations.plan.Plan;
import dev.ferry.migrations.plan.PlanFiles;
import dev.ferry.migrations.plan.Planner;
import dev.ferry.migrations.plan.Problem;
import dev.ferry.migrations.port.PortFailure;
import dev.ferry.state.Json;
import dev.ferry.state.host.Host;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code ferry render}: one host's plan as files (image build contexts, manifests, plan.json) for review,
 * without a daemon or a cluster. Rendering the same inventory again gives the same tree, so the directory can
 * live in git and a diff shows what a change of the host or of Ferry would do.
 */
@Command(name = "render", mixinStandardHelpOptions = true,
        description = {"Render one host's plan into a directory: image build contexts and Kubernetes manifests.",
                "SOURCE is an inventory document as `ferry inventory` prints it (a file, or - for stdin), or "
                        + "USER@HOST[:PORT] to take the inventory now."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:rendered; the plan has no blocking problem",
                "1:rendered, but the plan has blocking problems (printed), or the host could not be reached",
                "2:wrong usage, or DIR holds files that are not a rendered plan"})
final class RenderCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SOURCE", description = "inventory.json, - (stdin) or USER@HOST[:PORT]")
    String source;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Where to write the plan; files "
            + "of an earlier rendering that the plan no longer has are removed.")
    Path out;

    @Option(names = "--registry", paramLabel = "REGISTRY/PATH", defaultValue = "registry.local/ferry",
            description = "Where images are pushed (default ${DEFAULT-VALUE}).")
    String registry;

    @Option(names = "--nginx-base-image", paramLabel = "IMAGE", defaultValue = "nginx",
            description = "The official nginx image or a mirror of it (default ${DEFAULT-VALUE}).")
    String nginxBase;

    @Option(names = "--php-base-image", paramLabel = "IMAGE", defaultValue = "php",
            description = "The official php image or a mirror of it (default ${DEFAULT-VALUE}).")
    String phpBase;

    @Option(names = "--apk-mirror", paramLabel = "URL", description = "An Alpine package mirror for the builds.")
    String apkMirror;

    @Option(names = "--nginx-version", paramLabel = "X.Y.Z", description = "Build on this nginx version instead "
            + "of the legacy host's.")
    String nginxVersion;

    @Option(names = "--storage-class", defaultValue = "longhorn", description = "Default ${DEFAULT-VALUE}.")
    String storageClass;

    @Option(names = "--ingress-class", defaultValue = "nginx", description = "Default ${DEFAULT-VALUE}.")
    String ingressClass;

    @Option(names = "--copy-user", paramLabel = "USER", defaultValue = "root", description = "The login the copy "
            + "Job uses on the legacy host (default ${DEFAULT-VALUE}); another than root reads through sudo -n.")
    String copyUser;

    @Option(names = "--copy-port", paramLabel = "PORT", defaultValue = "22", description = "The legacy host's sshd "
            + "port for the copy Job (default ${DEFAULT-VALUE}).")
    int copyPort;

    @Mixin
    SshTargetOptions ssh;

    @Override
    public Integer call() {
        if (copyPort < 1 || copyPort > 65535 || !copyUser.matches("[a-z_][a-z0-9_.-]{0,31}")) {
            throw new FerryCommand.UsageError("--copy-port must be 1-65535 and --copy-user a plain login name");
        }
        PrintWriter err = spec.commandLine().getErr();
        Inventory inventory;
        try {
            inventory = inventory(err);
        } catch (PortFailure e) {
            err.println("ferry: " + source + ": " + e.getMessage());
            return CliFailure.REFUSED;
        }
        ClusterSettings defaults = ClusterSettings.defaults();
        Plan plan = Planner.plan(inventory, new ClusterSettings(defaults.namespacePrefix(), registry, nginxBase,
                phpBase, apkMirror, nginxVersion, storageClass, ingressClass, defaults.uid(), defaults.gid()));
        Map<String, String> files = new java.util.LinkedHashMap<>(PlanFiles.of(plan));
        // What the copy Job will run, for review (and for bench/copy, which runs it by hand).
        files.put("copy/copy.sh", CopyJob.script(plan, inventory.address(), copyPort, copyUser, defaults.uid(),
                defaults.gid(), CopySettings.defaults()));
        write(files);
        spec.commandLine().getOut().println("rendered " + plan.sites().size() + " sites, "
                + (plan.phpImages().size() + (plan.nginxImage() == null ? 0 : 1)) + " images and "
                + plan.manifests().size() + " manifests of " + plan.host() + " into " + out + " (plan "
                + plan.contentHash().substring(0, 12) + ")");
        for (Problem p : plan.problems()) {
            err.println("ferry: " + p.severity().name().toLowerCase() + ": " + (p.site() == null ? "" : p.site() + ": ")
                    + p.message());
        }
        return plan.blocked() ? CliFailure.REFUSED : 0;
    }

    private Inventory inventory(PrintWriter err) {
        boolean file = source.equals("-") || Files.isRegularFile(Path.of(source));
        if (!file && source.contains("@")) {
            Host host = ssh.hosts(List.of(source)).getFirst();
            return new InventoryCollector(Clock.systemUTC()).collect(host, ssh.shells(err));
        }
        if (!file) {
            throw new FerryCommand.UsageError(source + " is neither an inventory file nor USER@HOST[:PORT]");
        }
        String text;
        try {
            text = source.equals("-") ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                    : Files.readString(Path.of(source));
        } catch (IOException e) {
            throw new FerryCommand.UsageError("cannot read " + source + ": " + e.getMessage());
        }
        if (text.strip().lines().count() > 1 && text.strip().startsWith("{\"")) {
            throw new FerryCommand.UsageError(source + " holds several inventory documents; render one host at a "
                    + "time");
        }
        try {
            Inventory inv = Json.read(text, Inventory.class);
            if (inv == null || inv.nginx() == null || inv.php() == null) {
                throw new IllegalArgumentException("it has no nginx or php part");
            }
            return inv;
        } catch (RuntimeException e) {
            throw new FerryCommand.UsageError(source + " is not an inventory document: " + e.getMessage());
        }
    }

    /** Writes the tree; a file of an earlier rendering that the plan no longer has is removed. */
    private void write(Map<String, String> files) {
        try {
            if (Files.isDirectory(out)) {
                try (Stream<Path> existing = Files.list(out)) {
                    boolean empty = existing.findAny().isEmpty();
                    if (!empty && !Files.isRegularFile(out.resolve("plan.json"))) {
                        throw new FerryCommand.UsageError(out + " is not empty and holds no rendered plan; "
                                + "choose an empty or new directory");
                    }
                }
                for (String dir : List.of("images", "manifests", "copy")) {
                    if (Files.isDirectory(out.resolve(dir))) {
                        try (Stream<Path> old = Files.walk(out.resolve(dir))) {
                            for (Path p : old.sorted(java.util.Comparator.reverseOrder()).toList()) {
                                String rel = out.relativize(p).toString();
                                if (Files.isRegularFile(p) && !files.containsKey(rel)) {
                                    Files.delete(p);
                                } else if (Files.isDirectory(p) && isEmpty(p)) {
                                    Files.delete(p);
                                }
                            }
                        }
                    }
                }
            }
            for (Map.Entry<String, String> f : files.entrySet()) {
                Path target = out.resolve(f.getKey());
                Files.createDirectories(target.getParent());
                Files.writeString(target, f.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the plan into " + out + ": " + e.getMessage(), e);
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }
}
