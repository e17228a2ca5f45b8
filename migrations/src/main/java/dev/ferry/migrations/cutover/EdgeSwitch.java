package dev.ferry.migrations.cutover;

import dev.ferry.migrations.cutover.LegacyEdge.Edge;
import dev.ferry.migrations.cutover.LegacyEdge.EdgeFile;
import dev.ferry.migrations.cutover.LegacyEdge.EdgeState;
import dev.ferry.migrations.port.CommandResult;
import dev.ferry.migrations.port.PermanentFailure;
import dev.ferry.migrations.port.RemoteCommand;
import dev.ferry.migrations.port.RemoteShell;
import dev.ferry.migrations.port.TransientFailure;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Moves the legacy edge into one of its forms, in one script on the host that can run again at any point: it
 * checks that every file is in one of the forms Ferry knows (else someone changed it and nothing is touched),
 * keeps the originals under the backup directory the first time, writes what differs (each file through a hidden
 * temporary file and a rename, so nginx never reads half a file), runs {@code nginx -t} and puts every file back
 * if nginx refuses, then reloads nginx and waits until workers with the new configuration run.
 */
public final class EdgeSwitch {

    static final int CHANGED = 3;
    static final int REFUSED = 4;
    static final int NO_BACKUP = 5;
    static final int NOT_RUNNING = 6;
    static final int NO_NEW_WORKERS = 7;

    private EdgeSwitch() {
    }

    /**
     * @throws PermanentFailure when a file was changed by someone else, nginx refuses the configuration (the
     *                          files are back as they were) or nginx does not run
     * @throws TransientFailure when nginx did not take the configuration in time, or the command did not finish
     */
    public static void apply(RemoteShell shell, Edge edge, EdgeState target) {
        CommandResult r = shell.run(RemoteCommand.asRoot("edge-" + target.name().toLowerCase(java.util.Locale.ROOT),
                script(edge, target)).withTimeout(Duration.ofSeconds(60)));
        String said = (r.stderr().strip() + "\n" + r.stdout().strip()).strip();
        switch (r.exitCode()) {
            case 0 -> {
            }
            case CHANGED, REFUSED, NO_BACKUP, NOT_RUNNING -> throw new PermanentFailure(
                    "moving the legacy nginx to " + target + " failed: " + said, null);
            default -> throw new TransientFailure("moving the legacy nginx to " + target + " failed (exit "
                    + r.exitCode() + "): " + said, null);
        }
    }

    /** The script, as data: every path and content enters it quoted. */
    static String script(Edge edge, EdgeState target) {
        StringBuilder s = new StringBuilder();
        s.append("set -u\numask 077\n");
        s.append("backup=").append(q(edge.backupDir())).append("\n");
        s.append("""
                fail() { echo "$1" >&2; exit "$2"; }
                state_of() { if [ -e "$1" ]; then sha256sum < "$1" | cut -d' ' -f1; else echo missing; fi; }
                mkdir -p "$backup/original" "$backup/previous" || fail "cannot create $backup" %d
                """.formatted(NO_BACKUP));
        // 1. Every file must be in a form Ferry wrote or read, or nothing is touched.
        int i = 0;
        for (EdgeFile f : edge.files()) {
            i++;
            s.append("h").append(i).append("=$(state_of ").append(q(f.path())).append(")\n");
            s.append("case \"$h").append(i).append("\" in ").append(sha(f.original())).append('|')
                    .append(sha(f.maintenance())).append('|').append(sha(f.proxy())).append(") ;; *) fail ")
                    .append(q(f.path() + " was changed on the host since the inventory (it is none of the forms "
                            + "Ferry knows); nothing was changed"))
                    .append(' ').append(CHANGED).append(";; esac\n");
        }
        // 2. Keep the originals, once, while they still are the originals.
        i = 0;
        for (EdgeFile f : edge.files()) {
            i++;
            String kept = "\"$backup/original\"" + q(f.path());
            s.append("if [ ! -e ").append(kept).append(" ] && [ \"$h").append(i).append("\" = ")
                    .append(sha(f.original())).append(" ]; then mkdir -p \"$(dirname ").append(kept)
                    .append(")\" && cp -p \"$(readlink -f ").append(q(f.path())).append(")\" ").append(kept)
                    .append(" || fail ").append(q("cannot keep the original of " + f.path())).append(' ')
                    .append(NO_BACKUP).append("; fi\n");
        }
        // 3. Write what differs; keep the previous form for an undo.
        i = 0;
        for (EdgeFile f : edge.files()) {
            i++;
            String content = f.content(target);
            s.append("w").append(i).append("=\n");
            s.append("if [ \"$h").append(i).append("\" != ").append(sha(content)).append(" ]; then\n");
            s.append("  real=$(readlink -f ").append(q(f.path())).append(")\n");
            s.append("  prev=\"$backup/previous\"").append(q(f.path())).append("\n");
            s.append("  mkdir -p \"$(dirname \"$prev\")\" && cp -p \"$real\" \"$prev\" || fail ")
                    .append(q("cannot keep the current form of " + f.path())).append(' ').append(NO_BACKUP)
                    .append('\n');
            // Hidden: nginx's include globs do not match names starting with a dot.
            s.append("  tmp=\"$(dirname \"$real\")/.ferry-new-$(basename \"$real\")\"\n");
            s.append("  cp -p \"$real\" \"$tmp\" && printf '%s' ").append(q(base64(content)))
                    .append(" | base64 -d > \"$tmp\" && mv -f \"$tmp\" \"$real\" || { rm -f \"$tmp\"; fail ")
                    .append(q("cannot write " + f.path())).append(' ').append(NO_BACKUP).append("; }\n");
            s.append("  w").append(i).append("=\"$real\"\nfi\n");
        }
        // 4. nginx must accept it; if not, every file goes back to its previous form.
        s.append("if ! tested=$(").append(q(edge.nginx())).append(" -t 2>&1); then\n");
        i = 0;
        for (EdgeFile f : edge.files()) {
            i++;
            s.append("  [ -n \"$w").append(i).append("\" ] && cp -p \"$backup/previous\"").append(q(f.path()))
                    .append(" \"$w").append(i).append("\"\n");
        }
        s.append("  fail \"nginx -t refused the configuration (the files are back as they were): $tested\" ")
                .append(REFUSED).append("\nfi\n");
        // 5. Reload, and wait until workers started by the new configuration serve.
        s.append("pidfile=").append(q(edge.pidFile())).append("\n");
        s.append("""
                master=$(cat "$pidfile" 2>/dev/null) || fail "nginx writes no pid file at $pidfile: is it running?" %1$d
                kill -0 "$master" 2>/dev/null || fail "nginx (pid $master from $pidfile) is not running" %1$d
                workers() { ps -o pid=,args= --ppid "$master" | awk '/worker process$/ {print $1}'; }
                before=" $(workers | tr '\\n' ' ') "
                kill -HUP "$master"
                n=0
                while [ $n -lt 150 ]; do
                  fresh=0 stale=0
                  for p in $(workers); do
                    case "$before" in *" $p "*) stale=1 ;; *) fresh=1 ;; esac
                  done
                  if [ $fresh = 1 ] && [ $stale = 0 ]; then echo "nginx reloaded"; exit 0; fi
                  sleep 0.1
                  n=$((n + 1))
                done
                fail "nginx did not start workers with the new configuration within 15 s; see its error log" %2$d
                """.formatted(NOT_RUNNING, NO_NEW_WORKERS));
        return s.toString();
    }

    static String sha(String content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(content.getBytes(StandardCharsets.ISO_8859_1)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String base64(String content) {
        return Base64.getEncoder().encodeToString(content.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String q(String word) {
        return dev.ferry.migrations.port.Shell.quote(word);
    }
}
