package dev.ferry.daemon.engine;

import dev.ferry.state.window.Window;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;
import org.quartz.CronExpression;

/**
 * When a maintenance window is open. Its cron expression is the classic five fields (minute hour day-of-month
 * month day-of-week, e.g. {@code 0 22 * * SAT} for Saturdays at 22:00) or Quartz's six or seven (seconds first,
 * e.g. {@code 0 0/30 * * * ?}); each match opens the window for its duration, in its time zone.
 */
public final class WindowSchedule {

    private static final Map<String, String> DAY_NAMES = Map.of("0", "SUN", "1", "MON", "2", "TUE", "3", "WED",
            "4", "THU", "5", "FRI", "6", "SAT", "7", "SUN");

    private final CronExpression cron;
    private final Duration duration;

    private WindowSchedule(CronExpression cron, Duration duration) {
        this.cron = cron;
        this.duration = duration;
    }

    public static WindowSchedule of(Window window) {
        return of(window.cron(), window.duration(), window.timeZone());
    }

    /** @throws IllegalArgumentException saying what is wrong with the expression */
    public static WindowSchedule of(String expression, Duration duration, String timeZone) {
        try {
            CronExpression cron = new CronExpression(toQuartz(expression));
            cron.setTimeZone(TimeZone.getTimeZone(java.time.ZoneId.of(timeZone)));
            if (cron.getNextValidTimeAfter(new Date()) == null) {
                throw new IllegalArgumentException("cron expression '" + expression + "' never matches again");
            }
            return new WindowSchedule(cron, duration);
        } catch (ParseException e) {
            throw new IllegalArgumentException("invalid cron expression '" + expression + "': " + e.getMessage());
        }
    }

    public boolean isOpen(Instant now) {
        return openedAt(now) != null;
    }

    /** The start of the occurrence that is open at {@code now}, or null when the window is closed. */
    public Instant openedAt(Instant now) {
        // An occurrence that started within the last `duration` is still open.
        Date candidate = cron.getNextValidTimeAfter(Date.from(now.minus(duration).minusMillis(1)));
        return candidate != null && !candidate.toInstant().isAfter(now) ? candidate.toInstant() : null;
    }

    /** The next time the window opens after {@code now}, or null if it never does. */
    public Instant nextOpening(Instant now) {
        Date next = cron.getNextValidTimeAfter(Date.from(now));
        return next == null ? null : next.toInstant();
    }

    /** The next {@code count} openings after {@code now}, for showing to operators. */
    public List<Instant> openings(Instant now, int count) {
        List<Instant> out = new ArrayList<>();
        Instant t = now;
        for (int i = 0; i < count; i++) {
            Instant next = nextOpening(t);
            if (next == null) {
                break;
            }
            out.add(next);
            t = next;
        }
        return out;
    }

    static String toQuartz(String expression) {
        String[] f = expression.trim().split("\\s+");
        if (f.length == 6 || f.length == 7) {
            return String.join(" ", f);
        }
        if (f.length != 5) {
            throw new IllegalArgumentException("a cron expression has 5 fields (minute hour day-of-month month "
                    + "day-of-week) or Quartz's 6-7 (seconds first); '" + expression + "' has " + f.length);
        }
        String dom = f[2];
        String dow = dayNames(f[4]);
        if (!dom.equals("*") && !dow.equals("*")) {
            throw new IllegalArgumentException("cron expression '" + expression + "' restricts both day of month and "
                    + "day of week; use one of them (or two windows)");
        }
        if (dow.equals("*")) {
            dow = "?";
        } else {
            dom = "?";
        }
        return "0 " + f[0] + " " + f[1] + " " + dom + " " + f[3] + " " + dow;
    }

    /** Classic cron numbers days 0-7 from Sunday; Quartz 1-7. Names mean the same in both. */
    private static String dayNames(String field) {
        StringBuilder out = new StringBuilder();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\d+").matcher(field);
        while (m.find()) {
            String name = DAY_NAMES.get(m.group());
            if (name == null) {
                throw new IllegalArgumentException("day of week " + m.group() + " is not 0-7");
            }
            m.appendReplacement(out, name);
        }
        m.appendTail(out);
        return out.toString().toUpperCase(Locale.ROOT);
    }
}
