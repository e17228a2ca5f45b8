package dev.ferry.migrations.verify;

import java.util.List;

/**
 * The verify phase's output: every probe's answers and verdict, in probe order, with the counts.
 *
 * @param matched    probes whose answers match
 * @param mismatched probes whose answers differ and nobody accepted it
 * @param accepted   probes whose answers differ and an operator accepted it
 */
public record VerifyReport(List<ProbeResult> results, int matched, int mismatched, int accepted) {

    public VerifyReport {
        results = List.copyOf(results);
    }

    public static VerifyReport of(List<ProbeResult> results) {
        return new VerifyReport(results, count(results, ProbeResult.Verdict.MATCH),
                count(results, ProbeResult.Verdict.MISMATCH), count(results, ProbeResult.Verdict.ACCEPTED));
    }

    public int probes() {
        return results.size();
    }

    public List<ProbeResult> mismatches() {
        return results.stream().filter(r -> r.verdict() == ProbeResult.Verdict.MISMATCH).toList();
    }

    /** The first {@code limit} mismatches as {@code probe: first difference}, joined by "; ", "; ..." if more. */
    public String firstMismatches(int limit) {
        List<ProbeResult> all = mismatches();
        return all.stream().limit(limit).map(r -> r.probe().id() + ": " + r.differences().getFirst())
                .collect(java.util.stream.Collectors.joining("; ")) + (all.size() > limit ? "; ..." : "");
    }

    private static int count(List<ProbeResult> results, ProbeResult.Verdict verdict) {
        return (int) results.stream().filter(r -> r.verdict() == verdict).count();
    }
}
