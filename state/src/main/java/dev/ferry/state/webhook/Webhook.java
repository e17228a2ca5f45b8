package dev.ferry.state.webhook;

import dev.ferry.state.Violation;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * An HTTP endpoint told about events: those whose kind matches one of {@code kinds} ({@code phase.*} matches
 * every kind starting with {@code phase.}), signed with {@code secret}. Only events after its creation
 * ({@code afterEventId}) are sent to it.
 */
public record Webhook(long id, String url, List<String> kinds, String secret, boolean enabled, long afterEventId,
        Instant createdAt) {

    /** Phase changes, failures, completion, cutover and rollback. */
    public static final List<String> DEFAULT_KINDS = List.of("phase.*", "migration.*", "cutover.*", "rollback.*");

    private static final Pattern KIND = Pattern.compile("[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)*(\\.\\*)?|\\*");

    public Webhook {
        kinds = List.copyOf(kinds);
    }

    public boolean wants(String kind) {
        return kinds.stream().anyMatch(k -> k.equals("*") || k.equals(kind)
                || (k.endsWith(".*") && kind.startsWith(k.substring(0, k.length() - 1))));
    }

    /** Everything wrong with a webhook an operator asked for. */
    public static List<Violation> violations(String url, List<String> kinds, String secret) {
        List<Violation> out = new ArrayList<>();
        try {
            URI u = URI.create(url == null ? "" : url);
            if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null
                    || u.getUserInfo() != null || url.length() > 2000) {
                out.add(new Violation("url", "must be an http or https URL with a host and no user:password part"));
            }
        } catch (IllegalArgumentException e) {
            out.add(new Violation("url", "is not a URL: " + e.getMessage()));
        }
        if (kinds != null) {
            if (kinds.isEmpty() || kinds.size() > 50) {
                out.add(new Violation("events", "must list 1 to 50 event kinds or patterns"));
            }
            kinds.stream().filter(k -> k == null || !KIND.matcher(k).matches()).findFirst().ifPresent(k ->
                    out.add(new Violation("events", "'" + k + "' is not an event kind or a pattern like phase.*")));
        }
        if (secret != null && (secret.length() < 16 || secret.length() > 200)) {
            out.add(new Violation("secret", "must be 16 to 200 characters"));
        }
        return out;
    }

    @Override
    public String toString() {
        return "Webhook[id=" + id + ", url=" + url + ", kinds=" + kinds + ", secret=***, enabled=" + enabled + "]";
    }
}
