package dev.ferry.daemon.engine;

import java.util.Map;

/**
 * How much may run at once.
 *
 * @param maxRunning  migrations holding a slot (started and not paused, failed or finished), over all clusters
 * @param perCluster  a lower limit for some clusters, by name
 * @param maxCopyJobs migrations copying site data at once (each runs a copy Job)
 */
public record Limits(int maxRunning, Map<String, Integer> perCluster, int maxCopyJobs) {

    public Limits {
        perCluster = Map.copyOf(perCluster);
    }

    public int forCluster(String cluster) {
        return Math.min(maxRunning, perCluster.getOrDefault(cluster, maxRunning));
    }
}
