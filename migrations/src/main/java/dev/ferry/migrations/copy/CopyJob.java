package dev.ferry.migrations.copy;

import dev.ferry.migrations.plan.Manifests;
import dev.ferry.migrations.plan.Plan;
import dev.ferry.migrations.plan.SitePlan;
import dev.ferry.migrations.port.Shell;
import io.fabric8.kubernetes.api.model.EnvVar;
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

    private CopyJob() {
    }

    /**
     * @param name      the Job's name, deterministic so a restarted phase finds its own Job
     * @param user      the legacy login; a non-root one reads through {@code sudo -n rsync}
     * @param sshSecret the Secret holding the private key ({@code id}) and known_hosts ({@code known_hosts})
     */
    public static Job render(Plan plan, String name, String address, int port, String user, String sshSecret,
                             int uid, int gid, CopySettings settings) {
        return new JobBuilder().withNewMetadata().withName(name).withNamespace(plan.namespace())
                .withLabels(Map.of("app.kubernetes.io/name", "copy", "app.kubernetes.io/managed-by", "ferry"))
                .endMetadata().withNewSpec().withBackoffLimit(2).withTtlSecondsAfterFinished(86400)
                .withNewTemplate().withNewSpec().withRestartPolicy("Never")
                .addNewContainer().withName("copy").withImage(settings.image())
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

    public static String yaml(Job job) {
        return Manifests.yaml(job);
    }

    /** One rsync per directory the sites serve from, each into its place on the volume. */
    public static String script(Plan plan, String address, int port, String user, int uid, int gid, CopySettings s) {
        String rsync = "rsync -aH --numeric-ids --chown=" + uid + ":" + gid + " --delete --partial "
                + "--partial-dir=.rsync-partial" + (s.bandwidthLimit() > 0 ? " --bwlimit=" + s.bandwidthLimit() : "")
                + (user.equals("root") ? "" : " --rsync-path='sudo -n rsync'")
                + " -e \"ssh -i /tmp/ferry-copy-key -p " + port + " -o BatchMode=yes"
                + " -o StrictHostKeyChecking=yes -o UserKnownHostsFile=$SSH_DIR/known_hosts\"";
        List<String> lines = new ArrayList<>(List.of("set -eu",
                "command -v rsync >/dev/null && command -v ssh >/dev/null "
                        + "|| apk add --no-cache rsync openssh-client findutils coreutils",
                // ssh refuses keys that others can read; the Secret's mode is not always honoured.
                "cp \"$SSH_DIR/id\" /tmp/ferry-copy-key && chmod 600 /tmp/ferry-copy-key",
                "FILES=0 BYTES=0 DIFFERENCES=0 TRANSFERRED=0 START=$(date +%s)",
                "copy() {",
                "  mkdir -p \"$WEB/$2\"",
                "  rc=0",
                "  " + rsync + " --info=stats2 \"$1/\" \"$WEB/$2/\" > /tmp/ferry-copy-stats || rc=$?",
                "  cat /tmp/ferry-copy-stats",
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
        String remote = user + "@" + (address.contains(":") ? "[" + address + "]" : address) + ":";
        for (SitePlan site : plan.sites()) {
            for (SitePlan.PathMapping p : site.paths()) {
                // A directory inside another of the site's comes along with it.
                if (site.paths().stream().anyMatch(o -> p.legacy().startsWith(o.legacy() + "/"))) {
                    continue;
                }
                String relative = p.target().substring("/srv/web/".length());
                lines.add("copy " + Shell.quote(remote + p.legacy()) + " " + Shell.quote(relative));
            }
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
