package dev.ferry.daemon.cluster;

import java.util.function.Consumer;

/**
 * Watches the objects whose state steps wait on (Jobs, Deployments) for a change, so that a migration waiting on
 * one looks at once instead of at its next poll. The polls stay as timeouts: a missed event costs a poll
 * interval, never correctness.
 */
public interface ManagedObjects {

    /**
     * Calls {@code changed} with the namespace of every Job or Deployment Ferry manages that is added, changed or
     * deleted, from a background thread, until the returned handle is closed.
     */
    AutoCloseable watch(Consumer<String> changed);
}
