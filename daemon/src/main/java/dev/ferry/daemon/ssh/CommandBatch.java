package dev.ferry.daemon.ssh;

import dev.ferry.migrations.port.CommandResult;
import dev.ferry.migrations.port.RemoteCommand;
import dev.ferry.migrations.port.Shell;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Several commands in one sh script, so that they share one SSH session and its start-up (the login shell's rc
 * files, which on some hosts cost more than the commands). Each command runs in its own subshell with stdin
 * closed, its output going to files; at the end one {@code wc -c} gives every file's size and one {@code cat}
 * every file's bytes, so any bytes (NULs from {@code find -printf}) come back intact, with only three extra
 * processes however many commands there are. When the output is not what this expects, the caller runs the
 * commands one by one.
 */
final class CommandBatch {

    static final String MARK = "--ferry-batch--";
    private static final Pattern SIZE = Pattern.compile("\\s*(\\d+) (\\d{3})\\.([oe])");
    private static final Pattern STATUS = Pattern.compile("(\\d{3}) (\\d+)");

    private CommandBatch() {
    }

    static String script(List<RemoteCommand> commands) {
        if (commands.size() > 999) {
            throw new IllegalArgumentException("a batch holds at most 999 commands");
        }
        StringBuilder s = new StringBuilder("""
                d=$(mktemp -d 2>/dev/null) || exit 97
                trap 'cd /; rm -rf "$d"' EXIT
                r() { ( eval "$2" ) >"$d/$1.o" 2>"$d/$1.e" </dev/null; echo "$1 $?" >>"$d/status"; }
                """);
        for (int i = 0; i < commands.size(); i++) {
            s.append("r ").append(index(i)).append(' ').append(Shell.quote(commands.get(i).script())).append('\n');
        }
        s.append("cd \"$d\" && wc -c -- *.o *.e && echo ").append(MARK).append(" && cat status && echo ").append(MARK)
                .append(" && cat -- *.o *.e || exit 98\n");
        return s.toString();
    }

    private static String index(int i) {
        return String.format("%03d", i);
    }

    /**
     * The results of the batch's commands, or empty when the output is not what the script prints (then the
     * batch could not run as such on this host).
     *
     * @param maxBytes the bound on each command's output, as when it runs alone
     */
    static Optional<List<CommandResult>> parse(List<RemoteCommand> commands, byte[] output, int maxBytes,
                                               Duration took) {
        byte[] mark = ("\n" + MARK + "\n").getBytes(StandardCharsets.US_ASCII);
        int first = indexOf(output, mark, 0);
        int second = first < 0 ? -1 : indexOf(output, mark, first + mark.length);
        if (second < 0) {
            return Optional.empty();
        }
        String sizes = new String(output, 0, first, StandardCharsets.US_ASCII);
        String statuses = new String(output, first + mark.length, second - first - mark.length,
                StandardCharsets.US_ASCII);
        int n = commands.size();
        long[] outSize = new long[n];
        long[] errSize = new long[n];
        int files = 0;
        for (String line : sizes.split("\n")) {
            Matcher m = SIZE.matcher(line);
            if (m.matches()) {
                int i = Integer.parseInt(m.group(2));
                if (i >= n) {
                    return Optional.empty();
                }
                (m.group(3).equals("o") ? outSize : errSize)[i] = Long.parseLong(m.group(1));
                files++;
            }
        }
        Map<Integer, Integer> exit = new HashMap<>();
        for (String line : statuses.split("\n")) {
            Matcher m = STATUS.matcher(line);
            if (m.matches()) {
                exit.put(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
            }
        }
        long total = Arrays.stream(outSize).sum() + Arrays.stream(errSize).sum();
        int at = second + mark.length;
        if (files != 2 * n || exit.size() != n || output.length - at != total) {
            return Optional.empty();
        }
        // cat prints every .o file in index order, then every .e file.
        String[] out = new String[n];
        boolean[] cut = new boolean[n];
        for (int i = 0; i < n; i++) {
            out[i] = text(output, at, outSize[i], maxBytes);
            cut[i] = outSize[i] > maxBytes;
            at += (int) outSize[i];
        }
        Duration each = took.dividedBy(Math.max(1, n));
        List<CommandResult> results = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String err = text(output, at, errSize[i], maxBytes);
            at += (int) errSize[i];
            results.add(new CommandResult(exit.get(i), out[i], err, cut[i] || errSize[i] > maxBytes, each));
        }
        return Optional.of(List.copyOf(results));
    }

    private static String text(byte[] bytes, int from, long length, int max) {
        return new String(bytes, from, (int) Math.min(length, max), StandardCharsets.UTF_8);
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
