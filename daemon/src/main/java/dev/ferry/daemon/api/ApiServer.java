package dev.ferry.daemon.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.ferry.daemon.engine.MigrationControl;
import dev.ferry.daemon.inventory.HostInventories;
import dev.ferry.daemon.metrics.PrometheusMetrics;
import dev.ferry.state.ConflictException;
import dev.ferry.state.Json;
import dev.ferry.state.NotFoundException;
import dev.ferry.state.Store;
import dev.ferry.state.ValidationException;
import dev.ferry.state.migration.StaleMigrationException;
import dev.ferry.state.workflow.IllegalTransitionException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpStatus;
import io.javalin.json.JavalinJackson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ferryd's REST API under {@code /api/v1}, described by {@code /api/v1/openapi.yaml}. Every route but
 * {@code /healthz} needs the bearer token; every error is an RFC 9457 problem document.
 */
public final class ApiServer implements AutoCloseable {

    public static final String BASE = "/api/v1";
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    /**
     * Open without the token: probes (systemd, Kubernetes, load balancers) have none, and these answer only
     * "up" or "ready", nothing about hosts or migrations.
     */
    private static final Set<String> OPEN_PATHS = Set.of("/healthz", "/readyz");

    private final Javalin app;

    public ApiServer(Store store, MigrationControl control, HostInventories inventories, ApiToken token,
            int maxBodyBytes, PrometheusMetrics metrics, java.util.function.BooleanSupplier ready) {
        Requests requests = new Requests(maxBodyBytes);
        HostRoutes hosts = new HostRoutes(store, requests, inventories);
        MigrationRoutes migrations = new MigrationRoutes(store, control, requests);
        WindowRoutes windows = new WindowRoutes(store, requests);
        WebhookRoutes webhooks = new WebhookRoutes(store, requests);
        byte[] openapi = resource("/openapi.yaml");

        app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.jsonMapper(new JavalinJackson(Json.builder().build(), false));
            config.http.maxRequestSize = maxBodyBytes;
            config.http.prefer405over404 = true;
            config.router.ignoreTrailingSlashes = true;
        });

        app.before(ctx -> authenticate(ctx, token));

        app.get("/healthz", ctx -> ctx.result("ok"));
        app.get("/readyz", ctx -> {
            if (!ready.getAsBoolean()) {
                throw new ApiException(503, "not-ready", "Not ready",
                        "the state database or the scheduler is not usable; see ferryd's log");
            }
            ctx.result("ready");
        });
        app.get("/metrics", ctx -> ctx.contentType(PrometheusMetrics.CONTENT_TYPE).result(metrics.scrape()));
        app.get(BASE + "/openapi.yaml", ctx -> ctx.contentType("application/yaml").result(openapi));

        app.post(BASE + "/hosts", hosts::create);
        app.get(BASE + "/hosts", hosts::list);
        app.get(BASE + "/hosts/{id}", hosts::show);
        app.delete(BASE + "/hosts/{id}", hosts::delete);
        app.get(BASE + "/hosts/{id}/inventory", hosts::inventory);
        app.post(BASE + "/hosts/{id}/inventory", hosts::takeInventory);

        app.post(BASE + "/migrations", migrations::create);
        app.get(BASE + "/migrations", migrations::list);
        app.get(BASE + "/migrations/{id}", migrations::show);
        app.get(BASE + "/migrations/{id}/events", migrations::events);
        app.get(BASE + "/migrations/{id}/plan", migrations::plan);
        app.post(BASE + "/migrations/{id}/pause", migrations::pause);
        app.post(BASE + "/migrations/{id}/resume", migrations::resume);
        app.post(BASE + "/migrations/{id}/cancel", migrations::cancel);
        app.post(BASE + "/migrations/{id}/retry", migrations::retry);
        app.post(BASE + "/migrations/{id}/approve", migrations::approve);
        app.get(BASE + "/migrations/{id}/verification", migrations::verification);
        app.post(BASE + "/migrations/{id}/verification/accept", migrations::acceptDifferences);
        app.post(BASE + "/migrations/{id}/rollback", migrations::rollback);
        app.get(BASE + "/queue", migrations::queue);

        app.post(BASE + "/windows", windows::create);
        app.get(BASE + "/windows", windows::list);
        app.get(BASE + "/windows/{name}", windows::show);
        app.delete(BASE + "/windows/{name}", windows::delete);

        app.post(BASE + "/webhooks", webhooks::create);
        app.get(BASE + "/webhooks", webhooks::list);
        app.get(BASE + "/webhooks/{id}", webhooks::show);
        app.delete(BASE + "/webhooks/{id}", webhooks::delete);
        app.get(BASE + "/webhooks/{id}/deliveries", webhooks::deliveries);

        app.exception(ApiException.class, (e, ctx) -> problem(ctx, e.status, e.type, e.title, e.getMessage(), e.errors));
        app.exception(ValidationException.class, (e, ctx) -> problem(ctx, 422, "validation", "Invalid input",
                e.getMessage(), e.violations()));
        app.exception(NotFoundException.class, (e, ctx) -> problem(ctx, 404, "not-found", "Not found",
                e.getMessage(), List.of()));
        app.exception(ConflictException.class, (e, ctx) -> problem(ctx, 409, "conflict", "Conflict",
                e.getMessage(), List.of()));
        app.exception(IllegalTransitionException.class, (e, ctx) -> problem(ctx, 409, "illegal-transition",
                "Not allowed in this state", e.getMessage(), List.of()));
        app.exception(StaleMigrationException.class, (e, ctx) -> problem(ctx, 409, "conflict", "Conflict",
                e.getMessage() + "; read it again and retry", List.of()));
        app.exception(Exception.class, (e, ctx) -> {
            LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
            problem(ctx, 500, "internal", "Internal error", "the request failed inside ferryd; see its log",
                    List.of());
        });
        app.error(404, ctx -> {
            if (!isProblem(ctx)) {
                problem(ctx, 404, "not-found", "Not found", "no such resource: " + ctx.method() + " " + ctx.path(),
                        List.of());
            }
        });
        app.error(405, ctx -> {
            if (!isProblem(ctx)) {
                problem(ctx, 405, "method-not-allowed", "Method not allowed", ctx.method() + " is not allowed on "
                        + ctx.path(), List.of());
            }
        });
        app.error(413, ctx -> {
            if (!isProblem(ctx)) {
                problem(ctx, 413, "body-too-large", "Body too large", "request bodies are limited to "
                        + maxBodyBytes + " bytes", List.of());
            }
        });
    }

    public ApiServer start(String bind, int port) {
        app.start(bind, port);
        return this;
    }

    public int port() {
        return app.port();
    }

    /** Method and path of every route, as registered (the OpenAPI test compares them with the document). */
    public List<String> routes() {
        return app.unsafeConfig().pvt.internalRouter.allHttpHandlers().stream()
                .map(e -> e.getEndpoint())
                .filter(e -> e.getMethod().isHttpMethod() && e.getMethod() != HandlerType.HEAD)
                .map(e -> e.getMethod().name() + " " + e.getPath())
                .sorted().toList();
    }

    @Override
    public void close() {
        app.stop();
    }

    private static void authenticate(Context ctx, ApiToken token) {
        if (OPEN_PATHS.contains(ctx.path())) {
            return;
        }
        String header = ctx.header("Authorization");
        String presented = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                ? header.substring(7).strip() : null;
        if (!token.matches(presented)) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"ferryd\"");
            throw new ApiException(401, "unauthorized", "Unauthorized", header == null
                    ? "send the API token as 'Authorization: Bearer <token>' (see <data>/api-token)"
                    : "the bearer token is not valid");
        }
    }

    private static void problem(Context ctx, int status, String type, String title, String detail,
            List<dev.ferry.state.Violation> errors) {
        Problem p = new Problem(Problem.type(type), title, status, detail, ctx.path(),
                errors == null || errors.isEmpty() ? null : errors);
        try {
            ctx.status(HttpStatus.forStatus(status)).contentType(Problem.MEDIA_TYPE)
                    .result(Json.mapper().writeValueAsString(p));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isProblem(Context ctx) {
        return Problem.MEDIA_TYPE.equals(ctx.res().getContentType());
    }

    private static byte[] resource(String name) {
        try (InputStream in = ApiServer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
