package dev.ferry.daemon.api;

import dev.ferry.state.event.Event;
import dev.ferry.state.migration.Migration;
import dev.ferry.state.migration.MigrationOptions;
import dev.ferry.state.migration.StepOutput;
import dev.ferry.state.workflow.MigrationStatus;
import dev.ferry.state.workflow.Phase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A migration as the API shows it. In single views {@code phases} lists each phase entered so far with its
 * timings and the summary and content hash of its output; listings leave it out.
 */
record MigrationView(long id, long hostId, String hostName, Phase phase, MigrationStatus status, int attempt,
        Instant nextRunAt, String lastError, String holdReason, Instant heldSince, MigrationOptions options,
        Instant createdAt, Instant updatedAt, long version, List<PhaseView> phases, VerificationView verification) {

    /**
     * The verify phase's last report in short: its counts and each probe that differs (or differed and was
     * accepted), with what differs. The whole report is at {@code /migrations/{id}/verification}.
     */
    record VerificationView(int probes, int matched, int mismatched, int accepted, List<ProbeView> differing) {

        static VerificationView of(dev.ferry.migrations.verify.VerifyReport r) {
            return new VerificationView(r.probes(), r.matched(), r.mismatched(), r.accepted(), r.results().stream()
                    .filter(p -> p.verdict() != dev.ferry.migrations.verify.ProbeResult.Verdict.MATCH)
                    .map(p -> new ProbeView(p.probe().id(), p.verdict().name().toLowerCase(java.util.Locale.ROOT),
                            p.differences())).toList());
        }
    }

    /** One probe that differs: its id (what to accept), whether it blocks, and how it differs. */
    record ProbeView(String probe, String verdict, List<String> differences) {
    }

    /** One phase's timings and output. */
    record PhaseView(Phase phase, Instant startedAt, Instant completedAt, Long durationMillis, String summary,
            String contentHash) {
    }

    static MigrationView summary(Migration m) {
        return of(m, null, null);
    }

    /** @param verification the verify phase's last report, or null before it ran */
    static MigrationView detailed(Migration m, List<Event> phaseEvents, List<StepOutput> outputs,
            dev.ferry.migrations.verify.VerifyReport verification) {
        Map<Phase, Instant> started = new LinkedHashMap<>();
        Map<Phase, Instant> completed = new LinkedHashMap<>();
        for (Event e : phaseEvents) {
            if (e.kind().equals("phase.started")) {
                started.putIfAbsent(e.phase(), e.at());
            } else if (e.kind().equals("phase.completed")) {
                completed.put(e.phase(), e.at());
            }
        }
        Map<Phase, StepOutput> byPhase = new LinkedHashMap<>();
        outputs.forEach(o -> byPhase.put(o.phase(), o));
        List<PhaseView> phases = new ArrayList<>();
        for (Phase p : Phase.values()) {
            if (p == Phase.DONE || (!started.containsKey(p) && !byPhase.containsKey(p))) {
                continue;
            }
            Instant s = started.get(p);
            Instant c = completed.get(p);
            StepOutput o = byPhase.get(p);
            phases.add(new PhaseView(p, s, c, s != null && c != null ? Duration.between(s, c).toMillis() : null,
                    o == null ? null : o.summary(), o == null ? null : o.contentHash()));
        }
        return of(m, phases, verification == null ? null : VerificationView.of(verification));
    }

    private static MigrationView of(Migration m, List<PhaseView> phases, VerificationView verification) {
        return new MigrationView(m.id(), m.hostId(), m.hostName(), m.phase(), m.status(), m.attempt(), m.nextRunAt(),
                m.lastError(), m.holdReason(), m.heldSince(), m.options(), m.createdAt(), m.updatedAt(), m.version(),
                phases, verification);
    }
}
