package dev.ferry.migrations.inventory.files;

import dev.ferry.migrations.inventory.OrderedMaps;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a web root holds, from one {@code find} over it.
 *
 * @param path                 the root, as scanned
 * @param uid                  owner of the root directory itself
 * @param gid                  group of the root directory itself
 * @param owner                owner's name, or the number when the host has no name for it
 * @param group                group's name, or the number
 * @param files                regular files, each name counted (hard links count once per name)
 * @param directories          directories, the root included
 * @param symlinks             symbolic links
 * @param bytes                size of the regular files, each inode once
 * @param hardLinkedFiles      regular file names whose inode has more than one link
 * @param filesByOwner         entries of every type by {@code "uid:gid"}, sorted by key
 * @param writableDirectories  directories the pool user may create files in, relative ({@code "."} is the root),
 *                             sorted, at most {@value RootScan#WRITABLE_LIMIT}; empty when no user was given
 * @param writableTruncated    more directories were writable than listed
 * @param symlinksOutsideRoot  links whose target resolves outside the root, in scan order
 * @param unreadableFiles      regular files the pool user may not read; 0 when no user was given
 * @param sampleFiles          a few regular files a verification can request, relative, sorted: for each of
 *                             {@link RootScan#SAMPLE_EXTENSIONS}, the first {@value RootScan#SAMPLES_PER_EXTENSION}
 *                             by name in the root's top two levels; empty in an inventory taken before they were
 *                             recorded
 */
public record RootFacts(String path, int uid, int gid, String owner, String group, long files, long directories,
                        long symlinks, long bytes, long hardLinkedFiles, Map<String, Long> filesByOwner,
                        List<String> writableDirectories, boolean writableTruncated,
                        List<Symlink> symlinksOutsideRoot, long unreadableFiles,
                        List<String> sampleFiles) {

    public RootFacts {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(group, "group");
        filesByOwner = OrderedMaps.copyOf(filesByOwner);
        writableDirectories = List.copyOf(writableDirectories);
        symlinksOutsideRoot = List.copyOf(symlinksOutsideRoot);
        sampleFiles = sampleFiles == null ? List.of() : List.copyOf(sampleFiles);
    }
}
