package dev.ferry.migrations.copy;

import dev.ferry.migrations.plan.Manifests;
import dev.ferry.migrations.plan.Plan;
import dev.ferry.migrations.plan.SitePlan;
import dev.ferry.migrations.port.Shell;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Job that copies a host's site files into the web-data volume: rsync over SSH from the legacy host, with
 * the host key checked against the pinned one. Archive mode with hard links, numeric ids owned by the shared
 * UID/GID, deletions mirrored (so a second run is a delta), partial transfers kept for resuming. The script
 * takes its places from the environment ({@code WEB}, {@code SSH_DIR}), so that a test can run the very same
 * script on a machine without a cluster.
 */
public final class CopyJob {

    /** rsync's exit code when some files vanished during the transfer: normal on a live site. */
    static final int VANISHED = 24;
    /** The copier's container: its log carries the progress. */
    public static final String CONTAINER = "copy";
    /** Where, in node mode, the legacy paths are mounted: {@code /legacy/var/www/site}. */
    static final String LEGACY_MOUNT = "/legacy";

    private CopyJob() {
    }

    /**
     * The Job for the mode the settings choose: over SSH from the host, or, with {@link CopySettings#fromNode},
     * from the node the legacy host is (its site roots mounted read-only).
     *
     * @param name      the Job's name, deterministic so a restarted phase finds its own Job
     * @param user      the legacy login; a non-root one reads through {@code sudo -n rsync}
     * @param sshSecret the Secret holding the private key ({@code id}) and known_hosts ({@code known_hosts})
     */
    public static Job render(Plan plan, String name, String address, int port, String user, String sshSecret,
                             int uid, int gid, CopySettings settings) {
        if (settings.fromNode()) {
            return renderFromNode(plan, name, uid, gid, settings);
        }
        return new JobBuilder().withNewMetadata().withName(name).withNamespace(plan.namespace())
                .withLabels(Map.of("app.kubernetes.io/name", "copy", "app.kubernetes.io/managed-by", "ferry"))
                .endMetadata().withNewSpec().withBackoffLimit(2).withTtlSecondsAfterFinished(86400)
                .withNewTemplate().withNewSpec().withRestartPolicy("Never")
                .addNewContainer().withName(CONTAINER).withImage(settings.image())
                .withCommand("sh", "-c", script(plan, address, port, user, uid, gid, settings))
                .withEnv(new EnvVar("WEB", "/srv/web", null), new EnvVar("SSH_DIR", "/ssh", null))
                .addNewVolumeMount().withName("web-data").withMountPath("/srv/web").endVolumeMount()
                .addNewVolumeMount().withName("ssh").withMountPath("/ssh").withReadOnly(true).endVolumeMount()
                // Root, to give every file the shared owner; nothing else runs in this pod.
                .withNewSecurityContext().withRunAsUser(0L).endSecurityContext()
                .endContainer()
                .addNewVolume().withName("web-data").withNewPersistentVolumeClaim().withClaimName("web-data")
                .endPersistentVolumeClaim().endVolume()
                .addNewVolume().withName("ssh").withNewSecret().withSecretName(sshSecret).withDefaultMode(0400)
                .endSecret().endVolume()
                .endSpec().endTemplate().endSpec().build();
    }

    /**
     * The copy for a legacy host that is itself a node of the cluster: the pod is pinned to that node, each
     * site root is mounted read-only from it ({@code hostPath}, which must be a directory) at {@code /legacy}
     * followed by its own path, and rsync copies locally; no SSH and no Secret.
     */
    static Job renderFromNode(Plan plan, String name, int uid, int gid, CopySettings settings) {
        List<Volume> volumes = new ArrayList<>(List.of(new VolumeBuilder().withName("web-data")
                .withNewPersistentVolumeClaim().withClaimName("web-data").endPersistentVolumeClaim().build()));
        List<VolumeMount> mounts = new ArrayList<>(List.of(new VolumeMountBuilder().withName("web-data")
                .withMountPath("/srv/web").build()));
        List<String> roots = roots(plan).stream().map(SitePlan.PathMapping::legacy).distinct().toList();
        for (int i = 0; i < roots.size(); i++) {
            volumes.add(new VolumeBuilder().withName("legacy-" + i).withNewHostPath().withPath(roots.get(i))
                    .withType("Directory").endHostPath().build());
            mounts.add(new VolumeMountBuilder().withName("legacy-" + i).withMountPath(LEGACY_MOUNT + roots.get(i))
                    .withReadOnly(true).build());
        }
        return new JobBuilder().withNewMetadata().withName(name).withNamespace(plan.namespace())
                .withLabels(Map.of("app.kubernetes.io/name", "copy", "app.kubernetes.io/managed-by", "ferry"))
                .endMetadata().withNewSpec().withBackoffLimit(2).withTtlSecondsAfterFinished(86400)
                .withNewTemplate().withNewSpec().withRestartPolicy("Never")
                .withNodeSelector(Map.of("kubernetes.io/hostname", settings.node()))
                .addNewContainer().withName(CONTAINER).withImage(settings.image())
                .withCommand("sh", "-c", nodeScript(plan, uid, gid, settings))
                .withEnv(new EnvVar("WEB", "/srv/web", null), new EnvVar("LEGACY", LEGACY_MOUNT, null))
                .withVolumeMounts(mounts)
                // Root, to read every legacy file and give every copy the shared owner.
                .withNewSecurityContext().withRunAsUser(0L).endSecurityContext()
                .endContainer()
                .withVolumes(volumes)
                .endSpec().endTemplate().endSpec().build();
    }

    public static String yaml(Job job) {
        return Manifests.yaml(job);
    }

    /** One rsync per directory the sites serve from, each into its place on the volume. */
    public static String script(Plan plan, String address, int port, String user, int uid, int gid, CopySettings s) {
        String rsync = rsync(uid, gid, s) + (user.equals("root") ? "" : " --rsync-path='sudo -n rsync'")
                + " -e \"ssh -i /tmp/ferry-copy-key -p " + port + " -o BatchMode=yes"
                + " -o StrictHostKeyChecking=yes -o UserKnownHostsFile=$SSH_DIR/known_hosts\"";
        String remote = user + "@" + (address.contains(":") ? "[" + address + "]" : address) + ":";
        return script(plan, rsync, List.of(
                "command -v rsync >/dev/null && command -v ssh >/dev/null "
                        + "|| apk add --no-cache rsync openssh-client findutils coreutils",
                // ssh refuses keys that others can read; the Secret's mode is not always honoured.
                "cp \"$SSH_DIR/id\" /tmp/ferry-copy-key && chmod 600 /tmp/ferry-copy-key"),
                p -> Shell.quote(remote + p.legacy()));
    }

    /** Like {@link #script}, from the site roots mounted under {@code $LEGACY}. */
    public static String nodeScript(Plan plan, int uid, int gid, CopySettings s) {
        return script(plan, rsync(uid, gid, s), List.of(
                "command -v rsync >/dev/null || apk add --no-cache rsync findutils coreutils"),
                p -> "\"$LEGACY\"" + Shell.quote(p.legacy()));
    }

    private static String rsync(int uid, int gid, CopySettings s) {
        return "rsync -aH --numeric-ids --chown=" + uid + ":" + gid + " --delete --partial "
                + "--partial-dir=.rsync-partial" + (s.bandwidthLimit() > 0 ? " --bwlimit=" + s.bandwidthLimit() : "");
    }

    /** The directories to copy: a directory inside another of its site's comes along with that one. */
    static List<SitePlan.PathMapping> roots(Plan plan) {
        List<SitePlan.PathMapping> roots = new ArrayList<>();
        for (SitePlan site : plan.sites()) {
            for (SitePlan.PathMapping p : site.paths()) {
                if (site.paths().stream().noneMatch(o -> p.legacy().startsWith(o.legacy() + "/"))) {
                    roots.add(p);
                }
            }
        }
        return roots;
    }

    /**
     * The copy, the check and the summary, whatever the source. While rsync runs, a watcher prints its newest
     * progress update once a second when it changed, as a {@code ferry-copy progress} line (see
     * {@link CopyProgress}): rsync's own updates end in a carriage return, which log readers keep on one line.
     */
    private static String script(Plan plan, String rsync, List<String> prepare,
                                 java.util.function.Function<SitePlan.PathMapping, String> source) {
        List<SitePlan.PathMapping> roots = roots(plan);
        List<String> lines = new ArrayList<>(List.of("set -eu"));
        lines.addAll(prepare);
        lines.addAll(List.of(
                "FILES=0 BYTES=0 DIFFERENCES=0 TRANSFERRED=0 START=$(date +%s) ROOT=0 ROOTS=" + roots.size()
                        + " TARGET=",
                // Only the end of rsync's output: an update per file makes it long. A complete update ends in
                // its time left (h:mm:ss); one being written may not.
                "latest() {",
                "  tail -c 1000 /tmp/ferry-copy-stats | tr '\\r' '\\n' "
                        + "| grep '/s  *[0-9]*:[0-9][0-9]:[0-9][0-9]' | tail -n 1",
                "}",
                "report() {",
                "  p=$(latest)",
                "  if [ -n \"$p\" ] && [ \"$p\" != \"$1\" ]; then",
                "    printf 'ferry-copy progress root=%s/%s target=%s earlier=%s rsync=%s\\n' "
                        + "\"$ROOT\" \"$ROOTS\" \"$TARGET\" \"$TRANSFERRED\" \"$p\"",
                "  fi",
                "  LAST=$p",
                "}",
                "copy() {",
                "  mkdir -p \"$WEB/$2\"",
                "  ROOT=$((ROOT + 1)) TARGET=$2",
                "  : > /tmp/ferry-copy-stats",
                "  ( LAST=; while sleep 1; do report \"$LAST\"; done ) &",
                "  watcher=$!",
                "  rc=0",
                "  " + rsync + " --info=stats2,progress2 --no-inc-recursive \"$1/\" \"$WEB/$2/\" "
                        + "> /tmp/ferry-copy-stats || rc=$?",
                "  kill \"$watcher\" 2>/dev/null || true",
                "  wait \"$watcher\" 2>/dev/null || true",
                "  report ''",
                "  sed -n '/^Number of files:/,$p' /tmp/ferry-copy-stats",
                "  [ \"$rc\" -eq 0 ] || [ \"$rc\" -eq " + VANISHED + " ] || exit \"$rc\"",
                "  t=$(sed -n 's/^Total transferred file size: \\([0-9,]*\\).*/\\1/p' /tmp/ferry-copy-stats | tr -d ,)",
                "  TRANSFERRED=$((TRANSFERRED + ${t:-0}))",
                // The check: a dry run comparing contents finds nothing left to transfer or delete.
                "  if [ \"${VERIFY:-1}\" = 1 ]; then",
                "    d=$(" + rsync + " -n -c --out-format='%i %n' \"$1/\" \"$WEB/$2/\" | grep -c -v '^\\.d' || true)",
                "    DIFFERENCES=$((DIFFERENCES + d))",
                "  fi",
                "  FILES=$((FILES + $(find \"$WEB/$2\" -type f | wc -l)))",
                "  BYTES=$((BYTES + $(find \"$WEB/$2\" -type f -printf '%s\\n' | awk '{ s += $1 } END { print s + 0 }')))",
                "}"));
        for (SitePlan.PathMapping p : roots) {
            lines.add("copy " + source.apply(p) + " " + Shell.quote(p.target().substring("/srv/web/".length())));
        }
        // The outcome, as the Job's termination message: what the copy phase records.
        lines.add("printf 'files=%s bytes=%s differences=%s transferred=%s seconds=%s\\n' \"$FILES\" \"$BYTES\" "
                + "\"$DIFFERENCES\" \"$TRANSFERRED\" \"$(( $(date +%s) - START ))\" "
                + "| tee \"${TERMINATION_LOG:-/dev/termination-log}\"");
        return String.join("\n", lines) + "\n";
    }

    /** Reads what {@link #script} leaves as the termination message; null when it is not that. */
    static Verification verification(String message) {
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("files=(\\d+) bytes=(\\d+) differences=(\\d+) transferred=(\\d+) seconds=(\\d+)")
                .matcher(message);
        return m.find() ? new Verification(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)),
                Long.parseLong(m.group(3)), Long.parseLong(m.group(4)), Long.parseLong(m.group(5))) : null;
    }

    /**
     * What the copy left on the volume, what a dry run with checksums found still different from the legacy
     * host (zero for a complete copy), and what this run moved: a second (warm) run's delta.
     *
     * @param transferred bytes of the files this run transferred (rsync's "total transferred file size")
     * @param seconds     how long the copy took, the check included
     */
    public record Verification(long files, long bytes, long differences, long transferred, long seconds) {
    }
}
