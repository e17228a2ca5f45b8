package dev.ferry.daemon.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WindowScheduleTest {

    // Saturday 2026-11-28, 22:00 in Paris is 21:00 UTC (CET, UTC+1).
    final WindowSchedule saturdayNights = WindowSchedule.of("0 22 * * SAT", Duration.ofHours(4), "Europe/Paris");

    @Test
    void aWindowIsOpenFromEachMatchForItsDurationInItsTimeZone() {
        assertThat(saturdayNights.isOpen(Instant.parse("2026-11-28T20:59:59Z"))).isFalse();
        assertThat(saturdayNights.isOpen(Instant.parse("2026-11-28T21:00:00Z"))).isTrue();
        assertThat(saturdayNights.openedAt(Instant.parse("2026-11-29T00:30:00Z"))).isEqualTo("2026-11-28T21:00:00Z");
        assertThat(saturdayNights.isOpen(Instant.parse("2026-11-29T01:00:01Z"))).isFalse();
    }

    @Test
    void theNextOpeningIsTheNextMatch() {
        assertThat(saturdayNights.nextOpening(Instant.parse("2026-11-24T10:00:00Z"))).isEqualTo("2026-11-28T21:00:00Z");
        assertThat(saturdayNights.openings(Instant.parse("2026-11-24T10:00:00Z"), 2))
                .containsExactly(Instant.parse("2026-11-28T21:00:00Z"), Instant.parse("2026-12-05T21:00:00Z"));
    }

    @Test
    void classicCronNumbersDaysFromSundayAndQuartzSyntaxPassesThrough() {
        assertThat(WindowSchedule.toQuartz("30 1 * * 0")).isEqualTo("0 30 1 ? * SUN");
        assertThat(WindowSchedule.toQuartz("0 2 * * 1-5")).isEqualTo("0 0 2 ? * MON-FRI");
        assertThat(WindowSchedule.toQuartz("0 3 1 * *")).isEqualTo("0 0 3 1 * ?");
        assertThat(WindowSchedule.toQuartz("0 0/20 * * * ?")).isEqualTo("0 0/20 * * * ?");
        WindowSchedule weekdays = WindowSchedule.of("0 2 * * 1-5", Duration.ofHours(1), "UTC");
        assertThat(weekdays.nextOpening(Instant.parse("2026-11-28T00:00:00Z"))).isEqualTo("2026-11-30T02:00:00Z");
    }

    @Test
    void badExpressionsSayWhatIsWrong() {
        assertThatThrownBy(() -> WindowSchedule.of("0 22 * *", Duration.ofHours(1), "UTC")).hasMessageContaining("has 4");
        assertThatThrownBy(() -> WindowSchedule.of("0 22 1 * SAT", Duration.ofHours(1), "UTC"))
                .hasMessageContaining("both day of month and day of week");
        assertThatThrownBy(() -> WindowSchedule.of("0 25 * * *", Duration.ofHours(1), "UTC"))
                .hasMessageContaining("invalid cron expression");
        assertThatThrownBy(() -> WindowSchedule.of("0 2 * * 9", Duration.ofHours(1), "UTC"))
                .hasMessageContaining("day of week 9");
        assertThatThrownBy(() -> WindowSchedule.of("0 0 0 1 1 ? 2001", Duration.ofHours(1), "UTC"))
                .hasMessageContaining("never matches again");
    }
}
