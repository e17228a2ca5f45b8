package dev.ferry.daemon.ssh;

import java.time.Duration;

/** Told how long each remote command took, by its stable name (for latency metrics). */
@FunctionalInterface
public interface CommandTimer {

    void record(String command, Duration took, boolean ok);

    CommandTimer NONE = (command, took, ok) -> { };
}
