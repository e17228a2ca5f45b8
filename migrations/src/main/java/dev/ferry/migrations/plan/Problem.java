package dev.ferry.migrations.plan;

/**
 * Something the planner found that an operator must know: {@link Severity#BLOCKING} ones stop the migration
 * before anything changes in the cluster.
 *
 * @param site    the site it concerns; null for the host as a whole
 * @param code    stable, for scripts ({@code symlink-outside-root})
 * @param message what is wrong and what to do about it
 */
public record Problem(Severity severity, String site, String code, String message) {

    public enum Severity { BLOCKING, WARNING }
}
