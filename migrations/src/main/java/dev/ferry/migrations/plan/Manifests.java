package dev.ferry.migrations.plan;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.ferry.migrations.inventory.Inventory;
import dev.ferry.migrations.inventory.files.RootFacts;
import dev.ferry.migrations.inventory.nginx.Listen;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLSBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The Kubernetes objects that run one host's sites, as typed objects and as YAML {@code kubectl apply}
 * accepts: storage, the nginx Deployment and one per PHP pool (all as the shared UID/GID, without fsGroup, so
 * that the copied files' ownership is what the containers see), Services, the external database behind
 * {@code srv-mysql}, the Ingress and disruption budgets. TLS Secrets are referenced, not written: the storage
 * phase creates them from the legacy host's files.
 */
public final class Manifests {

    /** The YAML the plan writes and the tests read back. */
    public static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            // a string such as a sysctl's "0" must stay a string for the API server
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS))
            .setSerializationInclusion(JsonInclude.Include.NON_EMPTY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    static final long GIB = 1L << 30;

    private Manifests() {
    }

    /** Everything the migration applies, in the order it applies them. */
    static List<HasMetadata> objects(Inventory inv, String namespace, ClusterSettings settings, List<SitePlan> sites,
                                     String nginxImage, Map<String, String> poolImages) {
        List<HasMetadata> out = new ArrayList<>();
        String partOf = "ferry-" + PlanNames.label(inv.host());
        out.add(new NamespaceBuilder().withNewMetadata().withName(namespace)
                .withLabels(labels("namespace", "host", partOf)).endMetadata().build());
        long bytes = inv.roots().stream().mapToLong(RootFacts::bytes).sum();
        // Room to grow: twice the legacy data, at least 1 GiB, in whole GiB so that small changes do not resize.
        long dataGib = Math.max(1, (bytes * 2 + GIB - 1) / GIB);
        out.add(claim(namespace, "web-data", dataGib, settings, partOf));
        out.add(claim(namespace, "web-log", 2, settings, partOf));

        TreeSet<Integer> ports = new TreeSet<>();
        inv.nginx().config().servers().forEach(s -> s.listens().stream().filter(l -> l.unixPath() == null)
                .map(Listen::port).forEach(ports::add));
        if (ports.isEmpty()) {
            ports.add(80);
        }
        List<Volume> volumes = new ArrayList<>(List.of(pvcVolume("web-data"), pvcVolume("web-log")));
        List<VolumeMount> mounts = new ArrayList<>(List.of(mount("web-data", "/srv/web", false),
                mount("web-log", "/srv/log", false)));
        for (SitePlan site : sites) {
            if (!site.tlsFiles().isEmpty()) {
                String secret = "tls-" + PlanNames.label(site.name());
                volumes.add(new VolumeBuilder().withName(secret).withNewSecret().withSecretName(secret)
                        .withDefaultMode(0440).endSecret().build());
                mounts.add(mount(secret, "/etc/nginx/ssl/" + site.name(), true));
            }
        }
        out.add(deployment(namespace, "nginx", "web", partOf, nginxImage, List.of(), ports, volumes, mounts, settings,
                "nginx"));
        for (Map.Entry<String, String> pool : poolImages.entrySet()) {
            String name = "php-" + PlanNames.label(pool.getKey());
            out.add(deployment(namespace, name, "php", partOf, pool.getValue(), List.of("php-fpm", "-F", "-y",
                    "/usr/local/etc/ferry/" + pool.getKey() + ".conf"), new TreeSet<>(List.of(9000)),
                    List.of(pvcVolume("web-data"), pvcVolume("web-log")),
                    List.of(mount("web-data", "/srv/web", false), mount("web-log", "/srv/log", false)), settings,
                    "php-fpm"));
        }
        out.add(service(namespace, "srv-nginx", "nginx", partOf, ports));
        for (String pool : poolImages.keySet()) {
            out.add(service(namespace, PlanNames.phpService(pool), "php-" + PlanNames.label(pool), partOf,
                    new TreeSet<>(List.of(9000))));
        }
        if (inv.database() != null) {
            String address = inv.database().bindAddress() == null || inv.database().bindAddress().startsWith("127.")
                    || inv.database().bindAddress().equals("0.0.0.0") ? inv.address() : inv.database().bindAddress();
            if (address.matches("[0-9.]+|[0-9a-fA-F:]+")) {
                out.add(new ServiceBuilder().withNewMetadata().withName("srv-mysql").withNamespace(namespace)
                        .withLabels(labels("mysql", "database", partOf)).endMetadata().withNewSpec()
                        .withPorts(new ServicePortBuilder().withName("mysql").withPort(3306)
                                .withTargetPort(new IntOrString(inv.database().port())).build())
                        .endSpec().build());
                out.add(new EndpointsBuilder().withNewMetadata().withName("srv-mysql").withNamespace(namespace)
                        .withLabels(labels("mysql", "database", partOf)).endMetadata().addNewSubset()
                        .addNewAddress().withIp(address).endAddress()
                        .addNewPort().withName("mysql").withPort(inv.database().port()).endPort().endSubset().build());
            } else {
                // Endpoints take addresses only; a host known by name is reached through its DNS name.
                out.add(new ServiceBuilder().withNewMetadata().withName("srv-mysql").withNamespace(namespace)
                        .withLabels(labels("mysql", "database", partOf)).endMetadata().withNewSpec()
                        .withType("ExternalName").withExternalName(address)
                        .withPorts(new ServicePortBuilder().withName("mysql").withPort(inv.database().port())
                                .build()).endSpec().build());
            }
        }
        List<IngressRule> rules = new ArrayList<>();
        IngressBuilder ingress = new IngressBuilder().withNewMetadata().withName("sites").withNamespace(namespace)
                .withLabels(labels("nginx", "web", partOf)).endMetadata().withNewSpec()
                .withIngressClassName(settings.ingressClass()).endSpec();
        for (SitePlan site : sites) {
            for (String host : site.serverNames()) {
                if (host.equals("_") || host.isEmpty() || host.startsWith("~") || host.contains("*")) {
                    continue; // catch-all, regex and wildcard names have no Ingress rule of their own
                }
                rules.add(new IngressRuleBuilder().withHost(host).withNewHttp().addNewPath().withPath("/")
                        .withPathType("Prefix").withNewBackend().withNewService().withName("srv-nginx")
                        .withNewPort().withNumber(ports.contains(80) ? 80 : ports.first()).endPort().endService()
                        .endBackend().endPath().endHttp().build());
            }
            if (!site.tlsFiles().isEmpty()) {
                ingress.editSpec().addToTls(new IngressTLSBuilder().withHosts(site.serverNames())
                        .withSecretName("tls-" + PlanNames.label(site.name())).build()).endSpec();
            }
        }
        if (!rules.isEmpty()) {
            out.add(ingress.editSpec().withRules(rules).endSpec().build());
        }
        out.add(budget(namespace, "nginx", partOf));
        for (String pool : poolImages.keySet()) {
            out.add(budget(namespace, "php-" + PlanNames.label(pool), partOf));
        }
        return out;
    }

    /** The objects as files, one per object, named so that they sort in the order they are applied. */
    static Map<String, String> files(List<HasMetadata> objects) {
        Map<String, String> files = new LinkedHashMap<>();
        for (int i = 0; i < objects.size(); i++) {
            HasMetadata o = objects.get(i);
            files.put(String.format("manifests/%02d-%s-%s.yaml", i, o.getKind().toLowerCase(),
                    o.getMetadata().getName()), yaml(o));
        }
        return files;
    }

    public static String yaml(HasMetadata object) {
        try {
            return YAML.writeValueAsString(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, String> labels(String name, String component, String partOf) {
        Map<String, String> l = new LinkedHashMap<>();
        l.put("app.kubernetes.io/name", name);
        l.put("app.kubernetes.io/component", component);
        l.put("app.kubernetes.io/part-of", partOf);
        l.put(MANAGED_BY, "ferry");
        return l;
    }

    private static HasMetadata claim(String namespace, String name, long gib, ClusterSettings settings,
                                     String partOf) {
        return new PersistentVolumeClaimBuilder().withNewMetadata().withName(name).withNamespace(namespace)
                .withLabels(labels(name, "storage", partOf)).endMetadata().withNewSpec()
                .withAccessModes("ReadWriteMany").withStorageClassName(settings.storageClass())
                .withNewResources().addToRequests("storage", new Quantity(gib + "Gi")).endResources().endSpec()
                .build();
    }

    private static Volume pvcVolume(String claim) {
        return new VolumeBuilder().withName(claim).withNewPersistentVolumeClaim().withClaimName(claim)
                .endPersistentVolumeClaim().build();
    }

    private static VolumeMount mount(String volume, String path, boolean readOnly) {
        return new VolumeMountBuilder().withName(volume).withMountPath(path).withReadOnly(readOnly ? true : null)
                .build();
    }

    private static HasMetadata deployment(String namespace, String name, String component, String partOf,
                                          String image, List<String> command, TreeSet<Integer> ports,
                                          List<Volume> volumes, List<VolumeMount> mounts, ClusterSettings settings,
                                          String container) {
        Map<String, String> selector = Map.of("app.kubernetes.io/name", name, "app.kubernetes.io/part-of", partOf);
        Probe ready = new ProbeBuilder().withNewTcpSocket().withPort(new IntOrString(ports.first())).endTcpSocket()
                .withPeriodSeconds(5).withFailureThreshold(3).build();
        Probe live = new ProbeBuilder().withNewTcpSocket().withPort(new IntOrString(ports.first())).endTcpSocket()
                .withInitialDelaySeconds(10).withPeriodSeconds(10).withFailureThreshold(6).build();
        PodSpecBuilder pod = new PodSpecBuilder()
                // One UID and GID for nginx, PHP and the files; no fsGroup, which would re-own the whole volume.
                .withNewSecurityContext().withRunAsUser((long) settings.uid()).withRunAsGroup((long) settings.gid())
                .withRunAsNonRoot(true)
                // nginx keeps the legacy ports (80, 443) as a non-root user.
                .addNewSysctl().withName("net.ipv4.ip_unprivileged_port_start").withValue("0").endSysctl()
                .endSecurityContext()
                .addNewImagePullSecret().withName("ferry-registry").endImagePullSecret()
                .addNewContainer().withName(container).withImage(image).withCommand(command)
                .withPorts(ports.stream().map(p -> new ContainerPortBuilder().withContainerPort(p)
                        .withName(container.equals("nginx") ? "http-" + p : "fastcgi").build()).toList())
                .withReadinessProbe(ready).withLivenessProbe(live)
                .withNewResources().addToRequests("cpu", new Quantity("50m"))
                .addToRequests("memory", new Quantity(container.equals("nginx") ? "64Mi" : "128Mi"))
                .addToLimits("memory", new Quantity(container.equals("nginx") ? "256Mi" : "512Mi")).endResources()
                .withVolumeMounts(mounts).endContainer()
                .withVolumes(volumes);
        return new DeploymentBuilder().withNewMetadata().withName(name).withNamespace(namespace)
                .withLabels(labels(name, component, partOf)).endMetadata().withNewSpec().withReplicas(2)
                .withRevisionHistoryLimit(5).withNewSelector().withMatchLabels(new java.util.TreeMap<>(selector))
                .endSelector().withNewStrategy().withType("RollingUpdate").withNewRollingUpdate()
                .withMaxSurge(new IntOrString(1)).withMaxUnavailable(new IntOrString(0)).endRollingUpdate()
                .endStrategy().withNewTemplate().withNewMetadata().withLabels(labels(name, component, partOf))
                .endMetadata().withSpec(pod.build()).endTemplate().endSpec().build();
    }

    private static HasMetadata service(String namespace, String name, String target, String partOf,
                                       TreeSet<Integer> ports) {
        return new ServiceBuilder().withNewMetadata().withName(name).withNamespace(namespace)
                .withLabels(labels(target, "web", partOf)).endMetadata().withNewSpec()
                .withSelector(new java.util.TreeMap<>(Map.of("app.kubernetes.io/name", target,
                        "app.kubernetes.io/part-of", partOf)))
                .withPorts(ports.stream().map(p -> new ServicePortBuilder().withName((p == 9000 ? "fastcgi" : "http")
                        + "-" + p).withPort(p).withTargetPort(new IntOrString(p)).build()).toList())
                .endSpec().build();
    }

    private static HasMetadata budget(String namespace, String name, String partOf) {
        return new PodDisruptionBudgetBuilder().withNewMetadata().withName(name).withNamespace(namespace)
                .withLabels(labels(name, "budget", partOf)).endMetadata().withNewSpec()
                .withMinAvailable(new IntOrString(1)).withNewSelector()
                .withMatchLabels(new java.util.TreeMap<>(Map.of("app.kubernetes.io/name", name,
                        "app.kubernetes.io/part-of", partOf))).endSelector().endSpec().build();
    }
}
