package dev.ferry.migrations.plan;

import dev.ferry.migrations.inventory.FpmService;
import dev.ferry.migrations.inventory.Inventory;
import dev.ferry.migrations.inventory.apps.AppDatabase;
import dev.ferry.migrations.inventory.files.RootFacts;
import dev.ferry.migrations.inventory.files.Symlink;
import dev.ferry.migrations.inventory.php.FpmPool;
import dev.ferry.state.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Inventory and cluster settings in, plan out. Pure: no I/O, no clock. */
public final class Planner {

    private Planner() {
    }

    public static Plan plan(Inventory inv, ClusterSettings settings) {
        String namespace = PlanNames.label(settings.namespacePrefix() + inv.host());
        NginxPlan nginx = NginxPlanner.plan(inv, Layout.container());
        List<Problem> problems = new ArrayList<>(nginx.problems());
        for (RootFacts root : inv.roots()) {
            for (Symlink link : root.symlinksOutsideRoot()) {
                problems.add(new Problem(Problem.Severity.WARNING, null, "symlink-outside-root", root.path() + "/"
                        + link.path() + " points to " + link.resolved() + ", outside the root: the copy brings that "
                        + "target along; check the application does not write there"));
            }
        }
        for (AppDatabase app : inv.apps()) {
            if (app.reachesLocalOnly() && !inv.address().equals(app.host())) {
                problems.add(new Problem(Problem.Severity.BLOCKING, null, "database-on-localhost", app.app() + " ("
                        + app.configFile() + ") reaches its database at " + (app.socket() != null ? app.socket()
                        : app.host()) + ", which a pod does not have: set its host to srv-mysql (the plan's Service "
                        + "for the host's database) or the database's address, and allow connections from the cluster"));
            }
        }
        ImageContext nginxImage = null;
        if (inv.nginx().build() != null) {
            String version = settings.nginxVersion() != null ? settings.nginxVersion()
                    : officialVersion(inv.nginx().build().version());
            nginxImage = NginxImage.render(settings.registry() + "/" + namespace + "-nginx", version,
                    settings.nginxBaseImage(), settings.apkMirror(), settings.uid(), settings.gid(), nginx, problems);
        } else {
            problems.add(new Problem(Problem.Severity.BLOCKING, null, "no-nginx-build", "the inventory has no "
                    + "nginx -V output; fix its warning and take the inventory again"));
        }
        List<ImageContext> phpImages = new ArrayList<>();
        for (FpmService fpm : inv.php().fpm()) {
            if (fpm.config() == null || fpm.version() == null) {
                problems.add(new Problem(Problem.Severity.BLOCKING, null, "no-php-fpm-config", fpm.binary()
                        + ": its version or pools could not be read; fix the inventory's warning first"));
                continue;
            }
            List<String> extensions = inv.php().modules() == null ? List.of() : inv.php().modules().all();
            phpImages.add(PhpImage.render(settings.registry() + "/" + namespace + "-php" + fpm.version().minor()
                            .replace(".", ""), fpm.version().minor(), settings.phpBaseImage(), settings.apkMirror(),
                    extensions, fpm.iniSettings(), fpm.config().pools(), settings.uid(), settings.gid(), problems));
        }
        Map<String, String> manifests = Map.of();
        if (nginxImage != null && inv.nginx().config() != null) {
            Map<String, String> poolImages = new LinkedHashMap<>();
            for (int i = 0, image = 0; i < inv.php().fpm().size(); i++) {
                FpmService fpm = inv.php().fpm().get(i);
                if (fpm.config() == null || fpm.version() == null) {
                    continue;
                }
                String reference = phpImages.get(image++).reference();
                for (FpmPool pool : fpm.config().pools()) {
                    if (poolImages.putIfAbsent(pool.name(), reference) != null) {
                        problems.add(new Problem(Problem.Severity.BLOCKING, null, "duplicate-pool-name", "two "
                                + "php-fpm installations have a pool named " + pool.name() + "; rename one"));
                    }
                }
            }
            manifests = Manifests.files(Manifests.objects(inv, namespace, settings, nginx.sites(),
                    nginxImage.reference(), poolImages));
        }
        Plan unhashed = new Plan(inv.host(), namespace, nginx.sites(), nginxImage, phpImages, manifests, problems,
                "");
        return new Plan(inv.host(), namespace, nginx.sites(), nginxImage, phpImages, manifests, problems,
                Json.sha256(Json.write(unhashed)));
    }

    /**
     * The official image tag closest to a legacy version: its first three numbers ({@code 1.21.4.1} of an
     * OpenResty build is nginx 1.21.4).
     */
    static String officialVersion(String legacy) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)").matcher(legacy);
        return m.find() ? m.group(1) + "." + m.group(2) + "." + m.group(3) : legacy;
    }
}
