package dev.ferry.migrations.verify;

import java.util.List;

/**
 * One probe's answers on both sides and the verdict.
 *
 * @param differences what differs, as sentences; also kept for an accepted probe, so the report says what was
 *                    accepted
 */
public record ProbeResult(Probe probe, Observed legacy, Observed cluster, Verdict verdict, List<String> differences) {

    public enum Verdict {
        MATCH,
        /** The answers differ and no operator accepted it: the phase fails. */
        MISMATCH,
        /** The answers differ and an operator accepted the difference. */
        ACCEPTED
    }

    public ProbeResult {
        differences = List.copyOf(differences);
        if ((verdict == Verdict.MATCH) != differences.isEmpty()) {
            throw new IllegalArgumentException("a match has no differences and a difference is no match");
        }
    }
}
