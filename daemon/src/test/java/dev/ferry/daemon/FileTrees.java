package dev.ferry.daemon;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Directory trees as comparable values: what a copy must reproduce. */
public final class FileTrees {

    private FileTrees() {
    }

    /** Every entry below {@code root}: type and content hash (or link target), by relative path. */
    public static Map<String, String> tree(Path root) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.toList()) {
                String rel = root.relativize(p).toString();
                if (rel.startsWith(".rsync-partial")) {
                    continue;
                }
                out.put(rel, Files.isSymbolicLink(p) ? "link " + Files.readSymbolicLink(p)
                        : Files.isDirectory(p) ? "dir"
                        : "file " + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                                .digest(Files.readAllBytes(p))));
            }
        }
        return out;
    }
}
