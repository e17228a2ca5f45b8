package dev.ferry.state.window;

import dev.ferry.state.Violation;
import dev.ferry.state.host.HostRules;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * A named, recurring maintenance window: it opens at every time its cron expression names, in its time zone,
 * and stays open for {@code duration}. Phases that touch users run only while a migration's window is open.
 * The cron syntax is checked where cron is evaluated (the daemon); this record checks the rest.
 */
public record Window(String name, String cron, Duration duration, String timeZone, Instant createdAt) {

    public static final Duration LONGEST = Duration.ofDays(7);

    public List<Violation> violations() {
        List<Violation> out = new ArrayList<>();
        if (name == null || name.length() > 63 || HostRules.checkHostName(name).isPresent() || name.contains(".")) {
            out.add(new Violation("name", "must be 1-63 letters, digits and inner hyphens"));
        }
        if (cron == null || cron.isBlank() || cron.length() > 200) {
            out.add(new Violation("cron", "is required (at most 200 characters)"));
        }
        if (duration == null || duration.isNegative() || duration.isZero() || duration.compareTo(LONGEST) > 0) {
            out.add(new Violation("durationMinutes", "must be more than 0 and at most " + LONGEST.toDays() + " days"));
        }
        try {
            ZoneId.of(timeZone);
        } catch (DateTimeException | NullPointerException e) {
            out.add(new Violation("timeZone", "must be an IANA time zone such as Europe/Paris or UTC"));
        }
        return out;
    }
}
