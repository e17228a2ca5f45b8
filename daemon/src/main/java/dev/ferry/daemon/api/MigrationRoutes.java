package dev.ferry.daemon.api;

import dev.ferry.migrations.plan.PlanStep;
import dev.ferry.migrations.verify.VerifyStep;
import dev.ferry.daemon.engine.MigrationControl;
import dev.ferry.state.NotFoundException;
import dev.ferry.state.Page;
import dev.ferry.state.Store;
import dev.ferry.state.Violation;
import dev.ferry.state.host.LabelSelector;
import dev.ferry.state.migration.Migration;
import dev.ferry.state.migration.MigrationFilter;
import dev.ferry.state.migration.MigrationOptions;
import dev.ferry.state.workflow.MigrationStatus;
import dev.ferry.state.workflow.Phase;
import io.javalin.http.Context;
import java.util.List;
import java.util.function.Function;
import java.util.function.LongFunction;

/** {@code /api/v1/migrations}: start migrations, follow them, and act on them. */
final class MigrationRoutes {

    private static final List<String> PHASE_EVENTS = List.of("phase.started", "phase.completed");

    private final Store store;
    private final MigrationControl control;
    private final Requests requests;

    MigrationRoutes(Store store, MigrationControl control, Requests requests) {
        this.store = store;
        this.control = control;
        this.requests = requests;
    }

    /** One host ({@code hostId}) answers with the migration; a {@code selector} with the whole batch. */
    void create(Context ctx) {
        MigrationRequest req = requests.body(ctx, MigrationRequest.class);
        if ((req.hostId() == null) == (req.selector() == null)) {
            throw invalid("hostId", "give either hostId (one host) or selector (a batch by labels), not both");
        }
        if (req.cluster() != null && !req.cluster().matches("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?")) {
            throw invalid("cluster", "must be a DNS label (lower-case letters, digits, inner hyphens)");
        }
        MigrationOptions options = new MigrationOptions(req.startAt(), Boolean.TRUE.equals(req.approveCutover()),
                req.window(), req.cluster());
        if (req.selector() != null) {
            LabelSelector selector;
            try {
                selector = LabelSelector.parse(req.selector());
            } catch (IllegalArgumentException e) {
                throw invalid("selector", e.getMessage());
            }
            MigrationControl.Batch batch = control.createBatch(selector, options);
            ctx.status(201).json(new BatchView(batch.created().stream().map(MigrationView::summary).toList(),
                    batch.skipped()));
            return;
        }
        boolean known = store.inTransaction(tx -> tx.hosts().find(req.hostId()).isPresent());
        if (!known) {
            throw invalid("hostId", "no host with id " + req.hostId());
        }
        Migration m = control.create(req.hostId(), options);
        ctx.status(201).header("Location", "/api/v1/migrations/" + m.id()).json(MigrationView.summary(m));
    }

    /** What a batch request created and left out. */
    record BatchView(List<MigrationView> created, List<MigrationControl.Skipped> skipped) {
    }

    /** The migrations held back, in the order they will go: queued for a slot, or waiting for a copy slot or a window. */
    void queue(Context ctx) {
        ctx.json(store.inTransaction(tx -> {
            List<Migration> held = tx.migrations().active().stream()
                    .filter(m -> m.holdReason() != null || m.status() == MigrationStatus.QUEUED)
                    .sorted(dev.ferry.daemon.engine.QueueOrder.COMPARATOR).toList();
            java.util.ArrayList<QueueEntry> out = new java.util.ArrayList<>();
            for (int i = 0; i < held.size(); i++) {
                out.add(new QueueEntry(i + 1, MigrationView.summary(held.get(i))));
            }
            return out;
        }));
    }

    /** One held migration and its place among all held ones. */
    record QueueEntry(int position, MigrationView migration) {
    }

    private static ApiException invalid(String field, String message) {
        return new ApiException(422, "validation", "Invalid migration", field + ": " + message,
                List.of(new Violation(field, message)));
    }

    void list(Context ctx) {
        MigrationStatus status = enumQuery(ctx, "status", MigrationStatus::fromId);
        Phase phase = enumQuery(ctx, "phase", Phase::fromId);
        String host = ctx.queryParam("hostId");
        Long hostId = host == null ? null : (long) requests.intQuery(ctx, "hostId", 0, 1, Integer.MAX_VALUE);
        int offset = requests.intQuery(ctx, "offset", 0, 0, Integer.MAX_VALUE);
        int limit = requests.intQuery(ctx, "limit", 50, 1, 500);
        Page<Migration> page = store.inTransaction(tx -> tx.migrations().list(
                new MigrationFilter(status, phase, hostId), offset, limit));
        Requests.page(ctx, new Page<>(page.items().stream().map(MigrationView::summary).toList(), page.total(),
                offset, limit));
    }

    void show(Context ctx) {
        long id = requests.pathId(ctx, "id");
        ctx.json(store.inTransaction(tx -> {
            Migration m = tx.migrations().find(id).orElseThrow(() -> new NotFoundException("no migration with id " + id));
            var verification = tx.checkpoints().get(id, Phase.VERIFY, VerifyStep.REPORT)
                    .map(j -> dev.ferry.state.Json.read(j, dev.ferry.migrations.verify.VerifyReport.class))
                    .orElse(null);
            return MigrationView.detailed(m, tx.events().forMigrationOfKinds(id, PHASE_EVENTS),
                    tx.outputs().forMigration(id), verification);
        }));
    }

    /**
     * The migration's plan: the plan phase's output, or the blocked plan it kept when it failed. 404 before the
     * plan phase has run.
     */
    void plan(Context ctx) {
        phaseDocument(ctx, Phase.PLAN, PlanStep.BLOCKED, "has no plan yet");
    }

    /**
     * A phase's output document, or what the phase kept under {@code checkpoint} when it failed; 404 with
     * "migration N {@code missing}" before the phase has run.
     */
    private void phaseDocument(Context ctx, Phase phase, String checkpoint, String missing) {
        long id = requests.pathId(ctx, "id");
        String document = store.inTransaction(tx -> {
            tx.migrations().find(id).orElseThrow(() -> new NotFoundException("no migration with id " + id));
            return tx.outputs().find(id, phase).map(o -> o.document())
                    .or(() -> tx.checkpoints().get(id, phase, checkpoint))
                    .orElseThrow(() -> new NotFoundException("migration " + id + " " + missing));
        });
        ctx.contentType("application/json").result(document);
    }

    void events(Context ctx) {
        long id = requests.pathId(ctx, "id");
        int after = requests.intQuery(ctx, "after", 0, 0, Integer.MAX_VALUE);
        int limit = requests.intQuery(ctx, "limit", 100, 1, 1000);
        ctx.json(store.inTransaction(tx -> {
            tx.migrations().find(id).orElseThrow(() -> new NotFoundException("no migration with id " + id));
            return tx.events().forMigration(id, after, limit);
        }));
    }

    void pause(Context ctx) {
        act(ctx, control::pause);
    }

    void resume(Context ctx) {
        act(ctx, control::resume);
    }

    void cancel(Context ctx) {
        act(ctx, control::cancel);
    }

    void retry(Context ctx) {
        act(ctx, control::retry);
    }

    /** The verify phase's report: its output, or the report of its last failed run. 404 before it has run. */
    void verification(Context ctx) {
        phaseDocument(ctx, Phase.VERIFY, VerifyStep.REPORT, "has not been verified yet");
    }

    /** Body: {@code {"probes": ["<probe id>", ...]}}; no body or no probes accepts every difference found. */
    void acceptDifferences(Context ctx) {
        long id = requests.pathId(ctx, "id");
        AcceptRequest body = requests.optionalBody(ctx, AcceptRequest.class);
        List<String> probes = body == null || body.probes() == null ? List.of() : body.probes();
        ctx.json(MigrationView.summary(control.acceptDifferences(id, probes)));
    }

    /** Which probes' differences an operator accepts. */
    record AcceptRequest(List<String> probes) {
    }

    void approve(Context ctx) {
        act(ctx, control::approve);
    }

    void rollback(Context ctx) {
        act(ctx, control::rollback);
    }

    private void act(Context ctx, LongFunction<Migration> action) {
        ctx.json(MigrationView.summary(action.apply(requests.pathId(ctx, "id"))));
    }

    private static <E> E enumQuery(Context ctx, String name, Function<String, E> parse) {
        String raw = ctx.queryParam(name);
        if (raw == null) {
            return null;
        }
        try {
            return parse.apply(raw);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("query parameter " + name + ": " + e.getMessage());
        }
    }
}
