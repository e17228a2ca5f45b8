package dev.ferry.migrations.port;

import java.time.Clock;

/**
 * The outside world as steps see it. Adapters live in the daemon; steps never touch sshj, the Kubernetes
 * client or the database directly.
 *
 * @param clock   the time, injected so that tests control it
 * @param shells  shells on legacy hosts
 * @param cluster the target Kubernetes cluster
 */
public record Ports(Clock clock, RemoteShells shells, Cluster cluster) {
}
