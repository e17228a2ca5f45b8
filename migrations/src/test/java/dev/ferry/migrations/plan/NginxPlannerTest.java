package dev.ferry.migrations.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.migrations.inventory.CapturedInventory;
import dev.ferry.migrations.inventory.Inventory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The rendered configuration of the test legacy host, against golden files under
 * src/test/resources/plan/golden/images/ferry-legacy-nginx (regenerate after a deliberate change with -Dferry.golden.update=true and
 * review the diff).
 */
class NginxPlannerTest {

    static final Path GOLDEN = Path.of("src/test/resources/plan/golden/images/ferry-legacy-nginx");

    static Map<String, String> rendered(NginxPlan plan) {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("conf.d/00-upstreams.conf", plan.upstreams());
        plan.sites().forEach(s -> files.put(s.configFile(), s.config()));
        return files;
    }

    @Test
    void theLegacyHostRendersAsTheGoldenFilesSay() throws IOException {
        NginxPlan plan = NginxPlanner.plan(CapturedInventory.legacyHost(), Layout.container());
        Map<String, String> files = rendered(plan);
        if (Boolean.getBoolean("ferry.golden.update")) {
            for (var f : files.entrySet()) {
                Files.createDirectories(GOLDEN.resolve(f.getKey()).getParent());
                Files.writeString(GOLDEN.resolve(f.getKey()), f.getValue());
            }
        }
        for (var f : files.entrySet()) {
            assertThat(f.getValue()).as(f.getKey()).isEqualTo(Files.readString(GOLDEN.resolve(f.getKey())));
        }
        try (var listed = Files.walk(GOLDEN.resolve("conf.d"))) {
            assertThat(listed.filter(Files::isRegularFile).count()).as("no stale golden files").isEqualTo(files.size());
        }
        assertThat(plan.problems()).isEmpty();
        assertThat(plan.modules()).containsExactly("ndk_http_module.so", "ngx_http_brotli_filter_module.so",
                "ngx_http_headers_more_filter_module.so", "ngx_http_lua_module.so");
    }

    @Test
    void renderingTwiceGivesTheSameFiles() {
        Inventory inv = CapturedInventory.legacyHost();
        assertThat(rendered(NginxPlanner.plan(inv, Layout.container())))
                .isEqualTo(rendered(NginxPlanner.plan(inv, Layout.container())));
    }

    @Test
    void whatCannotMoveIsABlockingProblemNamingTheSite() {
        Inventory inv = CapturedInventory.legacyHost();
        Inventory noPools = new Inventory(inv.host(), inv.address(), inv.collectedAt(), inv.hostKeyFingerprint(),
                inv.system(), inv.nginx(), inv.php(), inv.database(), java.util.List.of(), inv.roots(), inv.apps(),
                inv.warnings());
        NginxPlan plan = NginxPlanner.plan(noPools, Layout.container());
        assertThat(plan.problems()).filteredOn(p -> p.severity() == Problem.Severity.BLOCKING)
                .extracting(Problem::site).containsExactly("app.example.test", "php.example.test");
        assertThat(plan.problems().getFirst().message()).contains("fastcgi_pass app_php reaches no php-fpm pool");
    }

    @Test
    void quotingReadsBackAsTheSameArgument() {
        for (String arg : java.util.List.of("plain", "a b", "semi;colon", "q\"uote", "back\\slash", "${host}_x", "",
                "#hash", "{brace}", "~*\\.php$")) {
            String text = "x " + NginxWriter.quote(arg) + ";";
            assertThat(dev.ferry.migrations.inventory.nginx.NginxConfigParser.parse(text, "t").getFirst().arg(0))
                    .as(text).isEqualTo(arg);
        }
    }
}
