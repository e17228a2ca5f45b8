package dev.ferry.migrations.inventory.files;

import java.util.Objects;

/**
 * A symbolic link under a web root.
 *
 * @param path     relative to the root
 * @param target   the link's content, as written
 * @param resolved the absolute target, resolved lexically from the link's directory (other links on the way are not
 *                 followed: the scan only has text)
 */
public record Symlink(String path, String target, String resolved) {

    public Symlink {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(resolved, "resolved");
    }
}
