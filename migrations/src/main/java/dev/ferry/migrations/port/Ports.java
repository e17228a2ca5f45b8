package dev.ferry.migrations.port;

import java.time.Clock;

/**
 * The outside world as steps see it. Adapters live in the daemon; steps never touch sshj, the Kubernetes
 * client, an HTTP client or the database directly.
 *
 * @param clock   the time, injected so that tests control it
 * @param shells  shells on legacy hosts
 * @param cluster the target Kubernetes cluster
 * @param prober  HTTP requests to sites, on the legacy host or in the cluster
 */
public record Ports(Clock clock, RemoteShells shells, Cluster cluster, Prober prober) {
}
