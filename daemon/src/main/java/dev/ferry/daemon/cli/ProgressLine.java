package dev.ferry.daemon.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.state.workflow.Lifecycle;
import dev.ferry.state.workflow.Phase;

/**
 * One migration as one line: host, id, each phase marked done, current or to come, then the status, e.g.
 * {@code web1  #12  inventory ✔ plan ✔ build ▶ storage · ...  running (attempt 2)}. Plain ASCII marks when the
 * terminal is not UTF-8.
 */
final class ProgressLine {

    private ProgressLine() {
    }

    static String render(JsonNode m, boolean unicode) {
        Phase current = Phase.fromId(m.get("phase").asText());
        String status = m.get("status").asText();
        StringBuilder line = new StringBuilder();
        line.append(String.format("%-20s #%-5d", m.get("hostName").asText(), m.get("id").asLong()));
        for (Phase p : Lifecycle.PIPELINE) {
            line.append(' ').append(p.id()).append(' ').append(mark(p, current, status, unicode));
        }
        line.append("  ").append(status);
        if (m.path("attempt").asInt(1) > 1 && !status.equals("completed")) {
            line.append(" (attempt ").append(m.get("attempt").asInt()).append(')');
        }
        if (m.hasNonNull("holdReason")) {
            line.append(": ").append(m.get("holdReason").asText());
        } else if (m.hasNonNull("lastError") && (status.equals("failed") || status.equals("retrying"))) {
            line.append(": ").append(m.get("lastError").asText());
        }
        return line.toString();
    }

    private static String mark(Phase p, Phase current, String status, boolean unicode) {
        boolean done = current == Phase.DONE || current == Phase.ROLLBACK || p.ordinal() < current.ordinal();
        if (done) {
            return unicode ? "✔" : "[x]";
        }
        if (p != current) {
            return unicode ? "·" : "[ ]";
        }
        return switch (status) {
            case "failed" -> unicode ? "✖" : "[!]";
            case "paused" -> unicode ? "⏸" : "[=]";
            case "scheduled", "queued" -> unicode ? "…" : "[.]";
            default -> unicode ? "▶" : "[>]";
        };
    }
}
