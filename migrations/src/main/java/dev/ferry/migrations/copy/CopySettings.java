package dev.ferry.migrations.copy;

/**
 * How site files are copied into the cluster.
 *
 * @param image          the copier's image; rsync and an ssh client are installed at start when it lacks them
 * @param bandwidthLimit rsync's --bwlimit in KiB/s, 0 for none (keep the legacy host's sites responsive)
 */
public record CopySettings(String image, int bandwidthLimit) {

    public static CopySettings defaults() {
        return new CopySettings("alpine:3.20", 0);
    }
}
