package dev.ferry.migrations.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.migrations.inventory.CapturedInventory;
import dev.ferry.migrations.inventory.Inventory;
import dev.ferry.migrations.inventory.NginxFacts;
import dev.ferry.migrations.inventory.PhpFacts;
import dev.ferry.migrations.inventory.apps.AppDatabase;
import dev.ferry.migrations.inventory.nginx.NginxSites;
import dev.ferry.migrations.inventory.php.PhpModules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The whole plan of the test legacy host: image contexts against golden files under
 * src/test/resources/plan/golden (regenerate after a deliberate change with -Dferry.golden.update=true and
 * review the diff), determinism, and the problems that block a migration.
 */
class PlannerTest {

    static final Path GOLDEN = Path.of("src/test/resources/plan/golden/images");

    @Test
    void theImageContextsAreAsTheGoldenFilesSay() throws IOException {
        Plan plan = Planner.plan(CapturedInventory.legacyHost(), ClusterSettings.defaults());
        assertThat(plan.namespace()).isEqualTo("ferry-legacy");
        // The captured wp-config.php talks to MariaDB over its socket, and PHP 8.2's base list is not on record.
        assertThat(plan.problems()).extracting(Problem::code).as(plan.problems().toString())
                .containsExactlyInAnyOrder("database-on-localhost", "php-base-unknown");
        List<ImageContext> images = new ArrayList<>(List.of(plan.nginxImage()));
        images.addAll(plan.phpImages());
        assertThat(images).extracting(ImageContext::name)
                .containsExactly("registry.local/ferry/ferry-legacy-nginx", "registry.local/ferry/ferry-legacy-php82");
        for (ImageContext image : images) {
            Path dir = GOLDEN.resolve(image.name().substring(image.name().lastIndexOf('/') + 1));
            for (Map.Entry<String, String> f : image.files().entrySet()) {
                if (Boolean.getBoolean("ferry.golden.update")) {
                    Files.createDirectories(dir.resolve(f.getKey()).getParent());
                    Files.writeString(dir.resolve(f.getKey()), f.getValue());
                }
                assertThat(f.getValue()).as(image.name() + " " + f.getKey())
                        .isEqualTo(Files.readString(dir.resolve(f.getKey())));
            }
        }
        String php = plan.phpImages().getFirst().files().get("Dockerfile");
        assertThat(php).contains("FROM php:8.2-fpm-alpine")
                .contains("docker-php-ext-install -j\"$(nproc)\" calendar exif ffi ftp gd gettext intl mysqli opcache "
                        + "pcntl pdo_mysql shmop sockets sysvmsg sysvsem sysvshm xsl zip");
        assertThat(plan.nginxImage().files().get("Dockerfile")).contains("FROM nginx:1.22.1-alpine AS modules")
                .contains("ARG MODULES=\"ndk brotli headers-more lua\"");
        assertThat(plan.nginxImage().files().get("nginx.conf")).contains("load_module modules/ngx_http_lua_module.so;");
    }

    @Test
    void theManifestsAreAsTheGoldenFilesSayAndReadBackAsTypedObjectsWithoutLoss() throws IOException {
        Plan plan = Planner.plan(CapturedInventory.legacyHost(), ClusterSettings.defaults());
        Path dir = Path.of("src/test/resources/plan/golden");
        Map<String, Class<? extends io.fabric8.kubernetes.api.model.HasMetadata>> types = Map.of(
                "Namespace", io.fabric8.kubernetes.api.model.Namespace.class,
                "PersistentVolumeClaim", io.fabric8.kubernetes.api.model.PersistentVolumeClaim.class,
                "Deployment", io.fabric8.kubernetes.api.model.apps.Deployment.class,
                "Service", io.fabric8.kubernetes.api.model.Service.class,
                "Endpoints", io.fabric8.kubernetes.api.model.Endpoints.class,
                "Ingress", io.fabric8.kubernetes.api.model.networking.v1.Ingress.class,
                "PodDisruptionBudget", io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget.class);
        assertThat(plan.manifests().keySet()).containsExactly("manifests/00-namespace-ferry-legacy.yaml",
                "manifests/01-persistentvolumeclaim-web-data.yaml", "manifests/02-persistentvolumeclaim-web-log.yaml",
                "manifests/03-deployment-nginx.yaml", "manifests/04-deployment-php-api.yaml",
                "manifests/05-deployment-php-www.yaml", "manifests/06-service-srv-nginx.yaml",
                "manifests/07-service-srv-php-api.yaml", "manifests/08-service-srv-php-www.yaml",
                "manifests/09-service-srv-mysql.yaml", "manifests/10-endpoints-srv-mysql.yaml",
                "manifests/11-ingress-sites.yaml", "manifests/12-poddisruptionbudget-nginx.yaml",
                "manifests/13-poddisruptionbudget-php-api.yaml", "manifests/14-poddisruptionbudget-php-www.yaml");
        for (Map.Entry<String, String> f : plan.manifests().entrySet()) {
            if (Boolean.getBoolean("ferry.golden.update")) {
                Files.createDirectories(dir.resolve(f.getKey()).getParent());
                Files.writeString(dir.resolve(f.getKey()), f.getValue());
            }
            assertThat(f.getValue()).as(f.getKey()).isEqualTo(Files.readString(dir.resolve(f.getKey())));
            String kind = Manifests.YAML.readTree(f.getValue()).get("kind").asText();
            var typed = Manifests.YAML.readValue(f.getValue(), types.get(kind));
            assertThat(Manifests.yaml(typed)).as("read back: " + f.getKey()).isEqualTo(f.getValue());
            assertThat(typed.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "ferry");
        }
        var nginx = Manifests.YAML.readValue(plan.manifests().get("manifests/03-deployment-nginx.yaml"),
                io.fabric8.kubernetes.api.model.apps.Deployment.class);
        var pod = nginx.getSpec().getTemplate().getSpec();
        assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(50000L);
        assertThat(pod.getSecurityContext().getRunAsGroup()).isEqualTo(50000L);
        assertThat(pod.getSecurityContext().getFsGroup()).isNull();
        assertThat(pod.getContainers().getFirst().getImage())
                .isEqualTo(plan.nginxImage().reference()).startsWith("registry.local/ferry/ferry-legacy-nginx:");
        assertThat(pod.getVolumes()).extracting(v -> v.getName()).containsExactly("web-data", "web-log",
                "tls-secure-example-test");
        assertThat(nginx.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal()).isZero();
    }

    @Test
    void theOfficialImageIsTheOneWithTheLegacyVersionsFirstThreeNumbers() {
        assertThat(Planner.officialVersion("1.22.1")).isEqualTo("1.22.1");
        assertThat(Planner.officialVersion("1.21.4.1")).isEqualTo("1.21.4");
        assertThat(Planner.officialVersion("1.18.0-6ubuntu14.4")).isEqualTo("1.18.0");
    }

    @Test
    void theSameInventoryGivesTheSamePlanAndHash() {
        Inventory inv = CapturedInventory.legacyHost();
        Plan a = Planner.plan(inv, ClusterSettings.defaults());
        Plan b = Planner.plan(inv, ClusterSettings.defaults());
        assertThat(a).isEqualTo(b);
        assertThat(a.contentHash()).hasSize(64);
        ClusterSettings mirrored = new ClusterSettings("ferry-", "registry.local/ferry", "docker.m.daocloud.io/nginx",
                "docker.m.daocloud.io/php", "https://mirrors.tuna.tsinghua.edu.cn", "1.22.1", "longhorn", "nginx", 50000,
                50000);
        Plan c = Planner.plan(inv, mirrored);
        assertThat(c.contentHash()).isNotEqualTo(a.contentHash());
        assertThat(c.nginxImage().files().get("Dockerfile")).contains("FROM docker.m.daocloud.io/nginx:1.22.1-alpine")
                .contains("mirrors.tuna.tsinghua.edu.cn");
    }

    @Test
    void aDatabaseOnLocalhostAnUnknownModuleAndAnUnknownExtensionBlock() {
        Inventory inv = CapturedInventory.legacyHost();
        NginxSites sites = inv.nginx().config();
        List<String> modules = new ArrayList<>(sites.loadModules());
        modules.add("modules/ngx_http_vts_module.so");
        NginxFacts nginx = new NginxFacts(inv.nginx().build(), inv.nginx().configFiles().stream()
                .map(f -> f.path().equals("/etc/nginx/nginx.conf") ? new dev.ferry.migrations.inventory.nginx.NginxDump
                        .ConfigFile(f.path(), "load_module modules/ngx_http_vts_module.so;\n" + f.content()) : f)
                .toList(), new NginxSites(modules, sites.servers(), sites.upstreams(), sites.httpModuleDirectives()));
        List<String> php = new ArrayList<>(inv.php().modules().php());
        php.add("swoole");
        PhpFacts phpFacts = new PhpFacts(inv.php().cli(), new PhpModules(php, inv.php().modules().zend()),
                inv.php().ini(), inv.php().fpm());
        AppDatabase local = new AppDatabase("wordpress", "/var/www/app/wp-config.php", "mysql", "localhost", null,
                null, "appdb", "appuser", "wp_");
        Inventory bad = new Inventory(inv.host(), inv.address(), inv.collectedAt(), inv.hostKeyFingerprint(),
                inv.system(), nginx, phpFacts, inv.database(), inv.poolMappings(), inv.roots(), List.of(local),
                inv.warnings());
        Plan plan = Planner.plan(bad, ClusterSettings.defaults());
        assertThat(plan.blocked()).isTrue();
        assertThat(plan.problems()).filteredOn(p -> p.severity() == Problem.Severity.BLOCKING)
                .extracting(Problem::code)
                .containsExactlyInAnyOrder("database-on-localhost", "unknown-nginx-module", "unknown-php-extension");
        assertThat(plan.problems()).anyMatch(p -> p.message().contains("srv-mysql"))
                .anyMatch(p -> p.message().contains("ngx_http_vts_module.so"))
                .anyMatch(p -> p.message().contains("swoole"));
    }
}
