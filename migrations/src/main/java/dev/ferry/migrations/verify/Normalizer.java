package dev.ferry.migrations.verify;

import dev.ferry.migrations.plan.SitePlan.PathMapping;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Makes one side's answers comparable with the other's. What it removes differs between the sides for reasons
 * that are no fault of the migration: the address the site was reached at, where the files now live, and what a
 * program renders differently on every request (timestamps, nonces, CSRF tokens, session ids).
 *
 * <p>Bodies are worked on as ISO-8859-1 text, one char per byte, so that any body (also binary or not UTF-8)
 * survives unchanged outside what is replaced; the paths and addresses are matched as their UTF-8 bytes.
 *
 * @param addresses where this side was reached, and any other address its pages may name (the cluster's copy
 *                  of the files still names the legacy host), each replaced by {@value #ADDRESS}
 * @param paths     the cluster's directories written back as the legacy ones ({@code target} -> {@code legacy});
 *                  empty for the legacy side
 * @param httpPort  the port this side serves plain HTTP on: a redirect to it is a redirect to the site
 * @param httpsPort the port this side serves HTTPS on
 */
public record Normalizer(List<String> addresses, List<PathMapping> paths, int httpPort, int httpsPort) {

    public static final String ADDRESS = "<address>";
    public static final String VOLATILE = "<volatile>";

    private static final List<Replacement> VOLATILE_PARTS = List.of(
            // Form fields and meta tags that carry a token: name/id first, then value/content.
            new Replacement("(?i)((?:name|id)\\s*=\\s*[\"'][^\"'<>]*(?:token|csrf|xsrf|nonce)[^\"'<>]*[\"']"
                    + "[^<>]*?(?:value|content)\\s*=\\s*[\"'])[^\"']*"),
            // name=value pairs (cookies, query strings, JSON, JavaScript) whose name says what they are.
            new Replacement("(?i)(\\b[\\w-]*(?:token|nonce|csrf|xsrf|sessid|session)[\\w-]*[\"']?\\s*[:=]\\s*[\"']?)"
                    + "[^\"'&\\s<>;,]+"),
            // ISO-8601 date and time, optionally with fractions and a zone.
            new Replacement("\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}(?::\\d{2}(?:[.,]\\d+)?)?(?:Z|[+-]\\d{2}:?\\d{2})?"),
            // RFC 1123 (HTTP and cookie dates): Tue, 05 Mar 2024 10:01:02 GMT.
            new Replacement("(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d{1,2}[ -](?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct"
                    + "|Nov|Dec)[ -]\\d{2,4} \\d{2}:\\d{2}:\\d{2}(?: (?:GMT|UTC|[+-]\\d{4}))?"),
            // A time of day on its own, as date('H:i:s') writes it.
            new Replacement("(?<![\\d:])\\d{1,2}:\\d{2}:\\d{2}(?:\\.\\d+)?(?![\\d:])"),
            // Unix epochs in seconds or milliseconds, optionally with microtime's fraction.
            new Replacement("(?<![\\w.])\\d{10}(?:\\d{3})?(?:\\.\\d+)?(?![\\w.])"),
            // The server's version in its own error pages: the cluster's nginx need not be the legacy one.
            new Replacement("(?<=\\bnginx/)\\d+(?:\\.\\d+)+"),
            // Long hex runs: nonces, hashes of random values, request ids.
            new Replacement("(?i)(?<![0-9a-z])[0-9a-f]{16,}(?![0-9a-z])"),
            // Long base64 runs holding both letters and digits: random tokens. Words and paths rarely qualify.
            new Replacement("(?<![A-Za-z0-9+/_-])(?=[A-Za-z0-9+/_-]*\\d)(?=[A-Za-z0-9+/_-]*[A-Za-z])"
                    + "[A-Za-z0-9+/_-]{24,}={0,2}"));

    private record Replacement(Pattern pattern) {
        Replacement(String regex) {
            this(Pattern.compile(regex));
        }

        String apply(String text) {
            // A capturing group keeps what names the value; only the value becomes the placeholder.
            return pattern.matcher(text).replaceAll(m -> m.groupCount() > 0
                    ? java.util.regex.Matcher.quoteReplacement(m.group(1)) + VOLATILE : VOLATILE);
        }
    }

    public Normalizer {
        addresses = addresses.stream().filter(a -> a != null && !a.isEmpty())
                .sorted(Comparator.comparingInt(String::length).reversed()).toList();
        // Longest first: a directory inside another is rewritten before its parent would match.
        paths = paths.stream().sorted(Comparator.comparingInt((PathMapping p) -> p.target().length()).reversed())
                .toList();
    }

    /** The legacy side: reached at its own address on the probe's port; its files are where they always were. */
    public static Normalizer legacy(String address, Probe probe) {
        return new Normalizer(List.of(address), List.of(), probe.scheme().equals("http") ? probe.port() : 80,
                probe.scheme().equals("https") ? probe.port() : 443);
    }

    /** {@link #cluster(Ingress, String, List)} with the file paths of every site of the plan. */
    public static Normalizer cluster(Ingress ingress, String legacyAddress, dev.ferry.migrations.plan.Plan plan) {
        return cluster(ingress, legacyAddress, plan.sites().stream().flatMap(s -> s.paths().stream()).toList());
    }

    /** The cluster's side: reached through the ingress; its pages still name the legacy address of copied files. */
    public static Normalizer cluster(Ingress ingress, String legacyAddress, List<PathMapping> paths) {
        return new Normalizer(List.of(ingress.address(), legacyAddress), paths, ingress.httpPort(),
                ingress.httpsPort());
    }

    /** The body with addresses, paths and volatile parts replaced: for pages a program renders. */
    public byte[] body(byte[] body) {
        String text = located(text(body));
        for (Replacement r : VOLATILE_PARTS) {
            text = r.apply(text);
        }
        return bytes(text);
    }

    private String located(String text) {
        for (PathMapping p : paths) {
            text = text.replace(text(p.target().getBytes(StandardCharsets.UTF_8)),
                    text(p.legacy().getBytes(StandardCharsets.UTF_8)));
        }
        for (String a : addresses) {
            text = text.replace(text(a.getBytes(StandardCharsets.UTF_8)), ADDRESS);
        }
        return text;
    }

    /**
     * A redirect target as the site's visitor would read it: {@code http://<this side's address>:<its port>/x} and
     * {@code http://name/x} both become {@code http://name/x}. Targets elsewhere, relative ones and ones that do
     * not parse stay as they are, but for the addresses.
     */
    public String location(String location, String hostName) {
        if (location == null) {
            return null;
        }
        try {
            URI uri = new URI(location.trim());
            String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase();
            if (("http".equals(scheme) || "https".equals(scheme)) && uri.getRawAuthority() != null
                    && uri.getHost() != null) {
                String host = uri.getHost();
                boolean ours = host.equalsIgnoreCase(hostName) || addresses.stream()
                        .anyMatch(a -> a.equalsIgnoreCase(host) || ("[" + a + "]").equalsIgnoreCase(host));
                int port = uri.getPort();
                int sidePort = scheme.equals("http") ? httpPort : httpsPort;
                int defaultPort = scheme.equals("http") ? 80 : 443;
                if (ours && (port == -1 || port == sidePort || port == defaultPort)) {
                    return scheme + "://" + hostName.toLowerCase() + (uri.getRawPath() == null ? ""
                            : uri.getRawPath()) + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())
                            + (uri.getRawFragment() == null ? "" : "#" + uri.getRawFragment());
                }
            }
        } catch (URISyntaxException e) {
            // Not a URI nginx or PHP would write; compared as it is.
        }
        String out = location;
        for (String a : addresses) {
            out = out.replace(a, ADDRESS);
        }
        return out;
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
