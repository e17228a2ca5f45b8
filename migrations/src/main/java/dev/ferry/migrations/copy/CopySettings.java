package dev.ferry.migrations.copy;

/**
 * How site files are copied into the cluster.
 *
 * @param image          the copier's image; rsync (and, over SSH, an ssh client) is installed at start when it
 *                       lacks them
 * @param bandwidthLimit rsync's --bwlimit in KiB/s, 0 for none (keep the legacy host's sites responsive)
 * @param node           empty: copy over SSH from the legacy host. Otherwise the legacy host is this node of the
 *                       cluster (its {@code kubernetes.io/hostname} label): the copy runs there, reading the site
 *                       roots through read-only hostPath volumes
 */
public record CopySettings(String image, int bandwidthLimit, String node) {

    public CopySettings {
        node = node == null ? "" : node;
    }

    public static CopySettings defaults() {
        return new CopySettings("alpine:3.20", 0, "");
    }

    /** Whether the copy reads the roots from a node's file system instead of over SSH. */
    public boolean fromNode() {
        return !node.isEmpty();
    }
}
