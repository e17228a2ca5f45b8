package dev.ferry.migrations.verify;

import java.util.Objects;

/**
 * One request a verification sends to the legacy host and to the cluster alike.
 *
 * @param id       names the probe in reports and in the operator's list of accepted differences
 *                 ({@code php.example.test http GET /index.php}; the port follows the scheme when it is not the
 *                 scheme's default: {@code http:8080})
 * @param site     the plan's site ({@link dev.ferry.migrations.plan.SitePlan#name()})
 * @param scheme   {@code http} or {@code https}
 * @param hostName the Host header and, over TLS, the SNI name
 * @param port     the port the legacy host serves this site on
 * @param path     the request target, percent-encoded
 * @param kind     how the bodies are compared
 */
public record Probe(String id, String site, String scheme, String hostName, int port, String path, Kind kind) {

    /** What a page is, for comparing it. */
    public enum Kind {
        /** A file served as it is: the bodies must be the same bytes. */
        STATIC,
        /** A page a program renders: the bodies must be the same once volatile parts are removed. */
        DYNAMIC
    }

    public Probe {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(site, "site");
        Objects.requireNonNull(hostName, "hostName");
        Objects.requireNonNull(kind, "kind");
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("scheme must be http or https: " + scheme);
        }
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with /: " + path);
        }
    }

    public static Probe of(String site, String scheme, String hostName, int port, String path, Kind kind) {
        boolean defaultPort = port == ("https".equals(scheme) ? 443 : 80);
        String id = hostName + " " + scheme + (defaultPort ? "" : ":" + port) + " GET " + path;
        return new Probe(id, site, scheme, hostName, port, path, kind);
    }
}
