package dev.ferry.daemon.metrics;

import dev.ferry.daemon.engine.EngineListener;
import dev.ferry.daemon.ssh.CommandTimer;
import java.time.Duration;

/**
 * What ferryd measures, as its adapters see it: no metrics library in the signatures, so the engine, the SSH
 * adapter, the cluster adapter and the copy phase record without knowing how it is exposed.
 */
public interface Metrics {

    /** Step durations by phase and outcome, and retries. */
    EngineListener engine();

    /** Remote command latency by command name. */
    CommandTimer sshCommands();

    /** One Kubernetes API call: its verb (get, apply, watch, ...), how long it took, whether it succeeded. */
    void kubernetesCall(String verb, Duration took, boolean ok);

    /** Bytes a copy Job transferred. */
    void copiedBytes(long bytes);
}
