package dev.ferry.migrations.verify;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/** Whether the cluster answered a probe as the legacy host did, and if not, how not: readable sentences. Pure. */
public final class Comparison {

    private Comparison() {
    }

    /** The differences, most telling first; empty when the answers match. */
    public static List<String> differences(Probe probe, Observed legacy, Observed cluster) {
        if (!legacy.answered() || !cluster.answered()) {
            if (Objects.equals(legacy.error(), cluster.error())) {
                return List.of();
            }
            return List.of("no answer " + (legacy.answered() ? "in the cluster (" + cluster.error()
                    + "); the legacy host answered " + legacy.status()
                    : "from the legacy host (" + legacy.error() + "); " + (cluster.answered()
                    ? "the cluster answered " + cluster.status() : "the cluster: " + cluster.error())));
        }
        List<String> out = new ArrayList<>();
        if (legacy.status() != cluster.status()) {
            out.add("status " + legacy.status() + " on the legacy host, " + cluster.status() + " in the cluster");
        }
        if (!mediaType(legacy.contentType()).equals(mediaType(cluster.contentType()))) {
            out.add("content type " + shown(legacy.contentType()) + " on the legacy host, "
                    + shown(cluster.contentType()) + " in the cluster");
        }
        if (!Objects.equals(legacy.location(), cluster.location())) {
            out.add("redirect to " + shown(legacy.location()) + " on the legacy host, " + shown(cluster.location())
                    + " in the cluster");
        }
        if (exact(probe, legacy, cluster)) {
            if (!legacy.bodySha256().equals(cluster.bodySha256())) {
                out.add("body differs: legacy sha256 " + abbreviated(legacy.bodySha256()) + " (" + legacy.bodyBytes()
                        + " bytes), cluster " + abbreviated(cluster.bodySha256()) + " (" + cluster.bodyBytes()
                        + " bytes)");
            }
        } else if (!legacy.normalizedSha256().equals(cluster.normalizedSha256())) {
            out.add("normalised body differs: legacy sha256 " + abbreviated(legacy.normalizedSha256()) + " ("
                    + legacy.bodyBytes() + " bytes), cluster " + abbreviated(cluster.normalizedSha256()) + " ("
                    + cluster.bodyBytes() + " bytes)");
        }
        return List.copyOf(out);
    }

    /**
     * A file served as it is must be the same bytes. Anything else (a rendered page, or an error or redirect page,
     * which is the server's, not the site's) is compared normalised.
     */
    private static boolean exact(Probe probe, Observed legacy, Observed cluster) {
        return probe.kind() == Probe.Kind.STATIC && legacy.status() == 200 && cluster.status() == 200;
    }

    /** {@code Text/HTML; charset=UTF-8} and {@code text/html;charset=utf-8} are the same type. */
    static String mediaType(String contentType) {
        return contentType == null ? "" : contentType.replaceAll("\\s+", "").toLowerCase(Locale.ROOT);
    }

    private static String shown(String value) {
        return value == null ? "none" : value;
    }

    private static String abbreviated(String sha) {
        return sha.substring(0, 12) + "…";
    }
}
