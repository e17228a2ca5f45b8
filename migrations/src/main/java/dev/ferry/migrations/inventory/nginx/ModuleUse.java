package dev.ferry.migrations.inventory.nginx;

/**
 * A directive that only works with a module nginx does not have built in.
 *
 * @param module the module's short name, as the plan maps it to a package ({@code brotli}, {@code lua},
 *               {@code headers-more})
 */
public record ModuleUse(String directive, String module) {
}
