package dev.ferry.migrations.cutover;

import dev.ferry.migrations.verify.Ingress;

/**
 * @param ingress           where the legacy edge sends traffic once it is cut over
 * @param maintenance       the legacy sites answer 503 with Retry-After while the final delta copy runs
 * @param retryAfterSeconds the Retry-After of those answers
 */
public record CutoverSettings(Ingress ingress, boolean maintenance, int retryAfterSeconds) {
}
