package dev.ferry.migrations.inventory;

import dev.ferry.migrations.inventory.nginx.NginxBuild;
import dev.ferry.migrations.inventory.nginx.NginxDump;
import dev.ferry.migrations.inventory.nginx.NginxSites;
import java.util.List;

/**
 * The host's nginx.
 *
 * @param build       from {@code nginx -V}; null when nginx is missing or its output was not understood
 * @param configFiles every file {@code nginx -T} read, main file first, with its text: the plan renders the
 *                    new configuration from it
 * @param config      the effective configuration's server blocks; null when {@code nginx -T} failed
 */
public record NginxFacts(NginxBuild build, List<NginxDump.ConfigFile> configFiles, NginxSites config) {

    public NginxFacts {
        configFiles = List.copyOf(configFiles);
    }
}
