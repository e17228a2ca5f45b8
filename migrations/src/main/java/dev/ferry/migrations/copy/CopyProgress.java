package dev.ferry.migrations.copy;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How far a running copy is, read from the end of its Job's log. The copy script prints, while rsync runs,
 * lines such as
 * <pre>ferry-copy progress root=1/3 target=php.example.test/root earlier=0 rsync=   3,000,000  74%  804.91kB/s    0:00:03 (xfr#1, to-chk=34/36)</pre>
 * where the part after {@code rsync=} is rsync's own {@code --info=progress2} update for the root being copied
 * and {@code earlier} what the roots before it transferred. rsync's raw output (updates separated by carriage
 * returns) is read too, without the root.
 *
 * @param target          the root's place on the volume ({@code <site>/<slot>}); null from raw rsync output
 * @param root            which root is being copied, from 1; 0 when unknown
 * @param roots           how many roots the copy has; 0 when unknown
 * @param bytes           bytes this run has transferred so far, over all its roots
 * @param percent         how much of the current root's data rsync has been through
 * @param bytesPerSecond  rsync's current rate
 * @param filesTransferred files of the current root transferred so far
 * @param filesChecked    files of the current root rsync has been through; 0 when not said yet
 * @param filesTotal      files of the current root; 0 when not said yet
 */
public record CopyProgress(String target, int root, int roots, long bytes, int percent, long bytesPerSecond,
                           long filesTransferred, long filesChecked, long filesTotal) {

    private static final Pattern SCRIPT = Pattern.compile(
            "ferry-copy progress root=(\\d+)/(\\d+) target=(\\S*) earlier=(\\d+) rsync=(.*)");
    /** rsync 3.x's progress2 update; {@code ir-chk} while an incremental recursion still finds files. */
    private static final Pattern RSYNC = Pattern.compile("\\s*([\\d,]+)\\s+(\\d{1,3})%\\s+([\\d.]+)([kMGT]?)B/s"
            + "\\s+\\d+:\\d{2}:\\d{2}(?:\\s+\\(xfr#(\\d+),\\s+(to|ir)-chk=(\\d+)/(\\d+)\\))?\\s*");
    private static final String UNITS = "kMGT";

    /** The newest progress in a log's tail; empty when it has none (a copy that has not begun, say). */
    public static Optional<CopyProgress> parse(String logTail) {
        if (logTail == null) {
            return Optional.empty();
        }
        List<String> lines = List.of(logTail.split("[\r\n]+"));
        for (int i = lines.size() - 1; i >= 0; i--) {
            Optional<CopyProgress> p = line(lines.get(i));
            if (p.isPresent()) {
                return p;
            }
        }
        return Optional.empty();
    }

    private static Optional<CopyProgress> line(String line) {
        Matcher s = SCRIPT.matcher(line);
        if (s.matches()) {
            return rsync(s.group(5)).map(r -> new CopyProgress(s.group(3), Integer.parseInt(s.group(1)),
                    Integer.parseInt(s.group(2)), Long.parseLong(s.group(4)) + r.bytes, r.percent,
                    r.bytesPerSecond, r.filesTransferred, r.filesChecked, r.filesTotal));
        }
        return rsync(line);
    }

    private static Optional<CopyProgress> rsync(String update) {
        Matcher m = RSYNC.matcher(update);
        if (!m.matches()) {
            return Optional.empty();
        }
        // rsync's units are binary: "800.00kB/s" is --bwlimit=800.
        double rate = Double.parseDouble(m.group(3))
                * Math.pow(1024, m.group(4).isEmpty() ? 0 : UNITS.indexOf(m.group(4)) + 1);
        long total = m.group(8) == null ? 0 : Long.parseLong(m.group(8));
        return Optional.of(new CopyProgress(null, 0, 0, Long.parseLong(m.group(1).replace(",", "")),
                Integer.parseInt(m.group(2)), Math.round(rate),
                m.group(5) == null ? 0 : Long.parseLong(m.group(5)),
                m.group(7) == null ? 0 : total - Long.parseLong(m.group(7)), total));
    }
}
