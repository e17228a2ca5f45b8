package dev.ferry.migrations.port;

import dev.ferry.state.host.Host;

/** Opens shells on registered hosts: how, with which key and through which bastion, is the adapter's business. */
@FunctionalInterface
public interface RemoteShells {

    /**
     * Connects and authenticates. A host key that differs from the pinned one fails here, before any command;
     * a host registered for trust on first use has its key pinned (and an event recorded) by the adapter.
     */
    RemoteShell open(Host host);

    /**
     * The private key Ferry logs in to {@code host} with, for a client in the cluster (the copier) that must
     * reach the host the same way. Never logged, never stored outside the cluster's Secret.
     */
    default byte[] privateKey(Host host) {
        throw new PermanentFailure("these shells cannot hand out a key for " + host.name(), null);
    }
}
