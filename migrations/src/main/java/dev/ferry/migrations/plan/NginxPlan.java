package dev.ferry.migrations.plan;

import java.util.List;

/**
 * The new nginx's configuration: one file per site, the upstreams they share, the dynamic modules to load.
 *
 * @param upstreams the {@code upstream} blocks the sites use, rewritten to the PHP Services (empty if none)
 * @param modules   the legacy {@code load_module} file names, in order (the image maps them to packages)
 * @param problems  what the operator must know or fix first
 */
public record NginxPlan(List<SitePlan> sites, String upstreams, List<String> modules, List<Problem> problems) {

    public NginxPlan {
        sites = List.copyOf(sites);
        modules = List.copyOf(modules);
        problems = List.copyOf(problems);
    }
}
