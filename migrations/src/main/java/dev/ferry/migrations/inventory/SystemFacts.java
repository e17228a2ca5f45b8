package dev.ferry.migrations.inventory;

import dev.ferry.migrations.inventory.system.OsRelease;

/** The machine: null parts could not be read (a warning says why). */
public record SystemFacts(OsRelease os, Integer cpus, Long memoryBytes) {
}
