package dev.ferry.migrations.inventory.files;

import dev.ferry.migrations.inventory.InventoryParseException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads one {@code find} over a web root. The collector runs, as root, {@code find <root> -xdev -printf} with
 * {@link #FIND_PRINTF}: eleven NUL-terminated fields an entry, because NUL is the one byte a file name cannot hold
 * (names may contain newlines and bytes that are not UTF-8).
 */
public final class RootScan {

    /** The {@code -printf} format: type, uid, gid, owner, group, octal mode, size, links, inode, path, link target. */
    public static final String FIND_PRINTF = "%y\\0%U\\0%G\\0%u\\0%g\\0%m\\0%s\\0%n\\0%i\\0%p\\0%l\\0";
    /** At most this many writable directories are listed; {@link RootFacts#writableTruncated()} says when more were. */
    public static final int WRITABLE_LIMIT = 1000;

    /** The extensions {@link RootFacts#sampleFiles()} has examples of: what a verification can request. */
    public static final List<String> SAMPLE_EXTENSIONS = List.of("css", "js", "png", "jpg", "gif", "svg", "txt",
            "html", "php");
    /** Examples kept per extension. */
    public static final int SAMPLES_PER_EXTENSION = 2;

    private static final String COMMAND = "find";
    private static final int FIELDS = 11;

    private RootScan() {
    }

    /**
     * @param root       the directory given to find
     * @param findOutput its standard output, unmodified
     * @param user       the pool's user, or null to skip the access analysis
     */
    public static RootFacts parse(String root, byte[] findOutput, PoolUser user) {
        if (root == null || !root.startsWith("/")) {
            throw new IllegalArgumentException("root must be an absolute path: " + root);
        }
        String base = stripTrailingSlashes(root);
        List<Entry> entries = entries(findOutput);
        if (entries.isEmpty()) {
            throw new InventoryParseException(COMMAND, "no entries for " + root + " (missing root or find failed)");
        }
        Entry rootEntry = null;
        long files = 0;
        long directories = 0;
        long symlinks = 0;
        long bytes = 0;
        long hardLinked = 0;
        long unreadable = 0;
        Set<Long> linkedInodes = new HashSet<>();
        Map<String, Long> byOwner = new TreeMap<>();
        List<String> writable = new ArrayList<>();
        List<Symlink> outside = new ArrayList<>();
        Map<String, List<String>> samples = new TreeMap<>();
        for (Entry e : entries) {
            String path = stripTrailingSlashes(e.path);
            String relative = relative(base, path);
            if (relative.equals(".")) {
                rootEntry = e;
            }
            byOwner.merge(e.uid + ":" + e.gid, 1L, Long::sum);
            switch (e.type) {
                case 'f' -> {
                    files++;
                    if (e.links > 1) {
                        hardLinked++;
                        if (linkedInodes.add(e.inode)) {
                            bytes += e.size;
                        }
                    } else {
                        bytes += e.size;
                    }
                    if (user != null && !allowed(user, e, 0400, 0040, 0004)) {
                        unreadable++;
                    }
                    String extension = sampleExtension(relative);
                    if (extension != null) {
                        samples.computeIfAbsent(extension, k -> new ArrayList<>()).add(relative);
                    }
                }
                case 'd' -> {
                    directories++;
                    if (user != null && allowed(user, e, 0200, 0020, 0002)) {
                        writable.add(relative);
                    }
                }
                case 'l' -> {
                    symlinks++;
                    if (e.target.isEmpty()) {
                        throw new InventoryParseException(COMMAND, "symlink without a target: " + relative);
                    }
                    String parent = path.substring(0, path.lastIndexOf('/'));
                    String resolved = normalize(e.target.startsWith("/") ? e.target : parent + "/" + e.target);
                    if (!inside(base, resolved)) {
                        outside.add(new Symlink(relative, e.target, resolved));
                    }
                }
                default -> {
                    // Sockets, pipes and devices are counted by owner only; a web root rarely has any.
                }
            }
        }
        if (rootEntry == null) {
            throw new InventoryParseException(COMMAND, "no entry for the root " + root + " itself");
        }
        if (rootEntry.type == 'l') {
            throw new InventoryParseException(COMMAND, root + " is a symlink to " + rootEntry.target
                    + "; scan the target instead");
        }
        if (rootEntry.type != 'd') {
            throw new InventoryParseException(COMMAND, root + " is not a directory (type " + rootEntry.type + ")");
        }
        Collections.sort(writable);
        boolean truncated = writable.size() > WRITABLE_LIMIT;
        List<String> listed = truncated ? writable.subList(0, WRITABLE_LIMIT) : writable;
        List<String> sampleFiles = new ArrayList<>();
        for (List<String> names : samples.values()) {
            Collections.sort(names);
            sampleFiles.addAll(names.subList(0, Math.min(SAMPLES_PER_EXTENSION, names.size())));
        }
        Collections.sort(sampleFiles);
        return new RootFacts(root, rootEntry.uid, rootEntry.gid, rootEntry.owner, rootEntry.group, files,
                directories, symlinks, bytes, hardLinked, byOwner, listed, truncated, outside, unreadable,
                sampleFiles);
    }

    /**
     * The extension of a file worth requesting in a verification, or null: in the root's top two levels (deeper
     * files are mostly vendored code), not hidden (nginx setups often deny dot files), and with a name a URL can
     * carry unchanged (no control characters, no bytes that were not UTF-8).
     */
    private static String sampleExtension(String relative) {
        String[] parts = relative.split("/", -1);
        if (parts.length > 2) {
            return null;
        }
        for (String part : parts) {
            if (part.isEmpty() || part.startsWith(".")) {
                return null;
            }
        }
        if (relative.indexOf('\uFFFD') >= 0 || relative.chars().anyMatch(c -> c < 0x20 || c == 0x7F)) {
            return null;
        }
        String name = parts[parts.length - 1];
        int dot = name.lastIndexOf('.');
        if (dot <= 0) {
            return null;
        }
        String extension = name.substring(dot + 1);
        return SAMPLE_EXTENSIONS.contains(extension) ? extension : null;
    }

    // Owner bits apply to the owner even when group or other bits would allow more: that is how the kernel checks.
    private static boolean allowed(PoolUser user, Entry e, int ownerBit, int groupBit, int otherBit) {
        if (user.uid() == 0) {
            return true;
        }
        if (user.uid() == e.uid) {
            return (e.mode & ownerBit) != 0;
        }
        if (user.gids().contains(e.gid)) {
            return (e.mode & groupBit) != 0;
        }
        return (e.mode & otherBit) != 0;
    }

    private record Entry(char type, int uid, int gid, String owner, String group, int mode, long size, long links,
                         long inode, String path, String target) {
    }

    private static List<Entry> entries(byte[] output) {
        if (output == null) {
            throw new InventoryParseException(COMMAND, "no output");
        }
        List<Entry> entries = new ArrayList<>();
        String[] fields = new String[FIELDS];
        int field = 0;
        int start = 0;
        for (int i = 0; i < output.length; i++) {
            if (output[i] != 0) {
                continue;
            }
            // Malformed UTF-8 becomes U+FFFD: names stay readable and the parse never fails on them.
            fields[field++] = new String(output, start, i - start, StandardCharsets.UTF_8);
            start = i + 1;
            if (field == FIELDS) {
                entries.add(entry(entries.size() + 1, fields));
                field = 0;
            }
        }
        if (field != 0 || start != output.length) {
            throw new InventoryParseException(COMMAND, "incomplete last entry after " + entries.size()
                    + " entries (output truncated?)");
        }
        return entries;
    }

    private static Entry entry(int number, String[] f) {
        String where = "entry " + number;
        if (f[0].length() != 1 || "fdlbcpsD".indexOf(f[0].charAt(0)) < 0) {
            throw new InventoryParseException(COMMAND, where + ": unknown file type '" + shorten(f[0]) + "'");
        }
        if (!f[5].matches("[0-7]{1,4}")) {
            throw new InventoryParseException(COMMAND, where + ": mode is not octal: '" + shorten(f[5]) + "'");
        }
        if (!f[9].startsWith("/")) {
            throw new InventoryParseException(COMMAND, where + ": path is not absolute: '" + shorten(f[9]) + "'");
        }
        long links = number(where, "link count", f[7]);
        if (links < 1) {
            throw new InventoryParseException(COMMAND, where + ": link count 0");
        }
        return new Entry(f[0].charAt(0), id(where, "uid", f[1]), id(where, "gid", f[2]), f[3], f[4],
                Integer.parseInt(f[5], 8), number(where, "size", f[6]), links, number(where, "inode", f[8]),
                f[9], f[10]);
    }

    private static int id(String where, String what, String value) {
        long id = number(where, what, value);
        if (id > 0xFFFF_FFFEL) {
            throw new InventoryParseException(COMMAND, where + ": " + what + " out of range");
        }
        return (int) id;
    }

    private static long number(String where, String what, String value) {
        if (!value.matches("\\d{1,18}")) {
            throw new InventoryParseException(COMMAND, where + ": " + what + " is not a number: '"
                    + shorten(value) + "'");
        }
        return Long.parseLong(value);
    }

    private static String shorten(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }

    private static String relative(String base, String path) {
        if (path.equals(base)) {
            return ".";
        }
        if (base.equals("/")) {
            return path.substring(1);
        }
        if (path.startsWith(base + "/")) {
            return path.substring(base.length() + 1);
        }
        throw new InventoryParseException(COMMAND, "entry outside the root " + base + ": " + shorten(path));
    }

    private static boolean inside(String base, String resolved) {
        return base.equals("/") || resolved.equals(base) || resolved.startsWith(base + "/");
    }

    private static String stripTrailingSlashes(String path) {
        String p = path;
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    /** Lexical: "." and ".." are applied to the text; ".." at "/" stays at "/", as the kernel does. */
    static String normalize(String absolute) {
        Deque<String> parts = new ArrayDeque<>();
        for (String part : absolute.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                parts.pollLast();
            } else {
                parts.addLast(part);
            }
        }
        return "/" + String.join("/", parts);
    }
}
