package dev.ferry.migrations.plan;

import java.util.Locale;

/** The names the plan gives things in the cluster; DNS-1123 labels, deterministic. */
public final class PlanNames {

    private PlanNames() {
    }

    public static String phpService(String pool) {
        return "srv-php-" + label(pool);
    }

    /** A DNS-1123 label from any text: lower case, [a-z0-9-], at most 63 characters, no dash at the ends. */
    public static String label(String text) {
        String s = text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-").replaceAll("-{2,}", "-")
                .replaceAll("^-|-$", "");
        if (s.length() > 63) {
            s = s.substring(0, 63).replaceAll("-$", "");
        }
        return s.isEmpty() ? "x" : s;
    }
}
