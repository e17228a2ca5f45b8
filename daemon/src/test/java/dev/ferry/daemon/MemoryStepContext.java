package dev.ferry.daemon;

import dev.ferry.migrations.port.Ports;
import dev.ferry.migrations.step.StepContext;
import dev.ferry.state.Json;
import dev.ferry.state.host.Host;
import dev.ferry.state.migration.Migration;
import dev.ferry.state.workflow.Phase;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the engine gives a step, kept in memory, with JSON round trips as the store does: for step tests. */
public final class MemoryStepContext implements StepContext {
    private final Migration migration;
    private final Host host;
    public final Map<Phase, String> outputs = new HashMap<>();
    /** This phase's checkpoints by name; another phase's as {@code <phase>/<name>}. */
    public final Map<String, String> checkpoints = new HashMap<>();
    public final List<String> events = new ArrayList<>();
    /** The same events with their details, for tests that check figures. */
    public final List<Event> recorded = new ArrayList<>();
    private final Ports ports;

    public MemoryStepContext(Migration migration, Host host, Ports ports) {
        this.migration = migration;
        this.host = host;
        this.ports = ports;
    }

    @Override
    public Migration migration() {
        return migration;
    }

    @Override
    public Host host() {
        return host;
    }

    @Override
    public <T> Optional<T> output(Phase phase, Class<T> type) {
        return Optional.ofNullable(outputs.get(phase)).map(j -> Json.read(j, type));
    }

    @Override
    public <T> Optional<T> checkpoint(Phase phase, String name, Class<T> type) {
        String json = phase == migration.phase() ? checkpoints.get(name) : checkpoints.get(phase.id() + "/" + name);
        return Optional.ofNullable(json).map(j -> Json.read(j, type));
    }

    @Override
    public void saveCheckpoint(String name, Object value) {
        checkpoints.put(name, Json.write(value));
    }

    @Override
    public void event(String kind, String message, Map<String, ?> details) {
        events.add(kind + ": " + message);
        recorded.add(new Event(kind, message, new java.util.LinkedHashMap<>(details)));
    }

    /** An event as a step appended it. */
    public record Event(String kind, String message, Map<String, ?> details) {

        public long number(String detail) {
            return ((Number) details.get(detail)).longValue();
        }
    }

    @Override
    public Ports ports() {
        return ports;
    }
}
