package dev.ferry.daemon.ssh;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The keys an OpenSSH {@code known_hosts} file holds for a host, for the one-shot CLI that has no registered
 * hosts: plain and hashed ({@code |1|salt|hash}) names, {@code [host]:port} for other ports than 22, wildcards
 * and negations. {@code @revoked} keys are never accepted; {@code @cert-authority} lines are ignored (Ferry
 * does not check host certificates).
 */
public final class KnownHosts {

    /** One host key line that applies to a host. */
    public record Key(String type, String fingerprint) {
    }

    private record Line(String marker, String hosts, String type, byte[] blob) {
    }

    private final List<Line> lines;

    private KnownHosts(List<Line> lines) {
        this.lines = List.copyOf(lines);
    }

    /** Reads the file; a missing file is an empty one, as for ssh. */
    public static KnownHosts load(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return new KnownHosts(List.of());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    public static KnownHosts parse(String text) {
        List<Line> out = new ArrayList<>();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\\s+");
            int at = 0;
            String marker = null;
            if (f[0].startsWith("@")) {
                marker = f[0];
                at = 1;
            }
            if (f.length < at + 3) {
                continue; // ssh skips lines it cannot read, too
            }
            try {
                out.add(new Line(marker, f[at], f[at + 1], Base64.getDecoder().decode(f[at + 2])));
            } catch (IllegalArgumentException notBase64) {
                // skipped like ssh does
            }
        }
        return new KnownHosts(out);
    }

    /** The keys accepted for {@code host:port}, in file order; none when the file does not know it. */
    public List<Key> accepted(String host, int port) {
        String name = port == 22 ? host : "[" + host + "]:" + port;
        Set<Key> keys = new LinkedHashSet<>();
        Set<String> revoked = new LinkedHashSet<>();
        for (Line l : lines) {
            if ("@cert-authority".equals(l.marker) || !matches(l.hosts, name)) {
                continue;
            }
            String fp = fingerprint(l.blob);
            if ("@revoked".equals(l.marker)) {
                revoked.add(fp);
            } else if (l.marker == null) {
                keys.add(new Key(l.type, fp));
            }
        }
        keys.removeIf(k -> revoked.contains(k.fingerprint()));
        return List.copyOf(keys);
    }

    static boolean matches(String patterns, String name) {
        if (patterns.startsWith("|1|")) {
            return hashedMatches(patterns, name);
        }
        boolean matched = false;
        for (String p : patterns.split(",")) {
            boolean negated = p.startsWith("!");
            String pattern = negated ? p.substring(1) : p;
            if (glob(pattern.toLowerCase(), name.toLowerCase())) {
                if (negated) {
                    return false;
                }
                matched = true;
            }
        }
        return matched;
    }

    private static boolean hashedMatches(String field, String name) {
        String[] parts = field.split("\\|");
        if (parts.length != 4) {
            return false;
        }
        try {
            byte[] salt = Base64.getDecoder().decode(parts[2]);
            byte[] expected = Base64.getDecoder().decode(parts[3]);
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(salt, "HmacSHA1"));
            return MessageDigest.isEqual(expected, mac.doFinal(name.getBytes(StandardCharsets.UTF_8)));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return false;
        }
    }

    /** ssh's wildcards: {@code *} any run, {@code ?} one character. */
    private static boolean glob(String pattern, String text) {
        int p = 0;
        int t = 0;
        int star = -1;
        int mark = 0;
        while (t < text.length()) {
            if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == text.charAt(t))) {
                p++;
                t++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                mark = t;
            } else if (star >= 0) {
                p = star + 1;
                t = ++mark;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    static String fingerprint(byte[] blob) {
        try {
            return "SHA256:" + Base64.getEncoder().withoutPadding()
                    .encodeToString(MessageDigest.getInstance("SHA-256").digest(blob));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
