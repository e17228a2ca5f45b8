package dev.ferry.migrations.storage;

import dev.ferry.migrations.build.BuildStep;
import dev.ferry.migrations.copy.CopyStep;
import dev.ferry.migrations.plan.Manifests;
import dev.ferry.migrations.plan.Plan;
import dev.ferry.migrations.plan.PlanNames;
import dev.ferry.migrations.plan.SitePlan;
import dev.ferry.migrations.port.CommandResult;
import dev.ferry.migrations.port.PermanentFailure;
import dev.ferry.migrations.port.RemoteCommand;
import dev.ferry.migrations.port.RemoteShell;
import dev.ferry.migrations.port.Shell;
import dev.ferry.migrations.step.Step;
import dev.ferry.migrations.step.StepContext;
import dev.ferry.migrations.step.StepResult;
import dev.ferry.state.host.Host;
import dev.ferry.state.workflow.Phase;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The storage phase: the namespace and volumes of the plan, each TLS site's certificate, key and dhparam as the
 * Secret its nginx mounts (read from the legacy host as root), and the copier's SSH Secret (Ferry's key and the
 * host's known_hosts line, whose key was checked against the pinned fingerprint when this shell opened), and
 * the registry's credentials as the {@code ferry-registry} Secret the namespace's default ServiceAccount pulls
 * with. Key
 * material goes to the cluster only: never into events, outputs or logs. Safe to repeat: everything is applied.
 */
public final class StorageStep implements Step {

    private final byte[] registryAuth;

    /** @param registryAuth a docker config.json for the registry, given to the cluster; null when none is needed */
    public StorageStep(byte[] registryAuth) {
        this.registryAuth = registryAuth == null ? null : registryAuth.clone();
    }

    /** What the phase made, by name (no contents). */
    public record Stored(String namespace, List<String> objects) {
    }

    @Override
    public StepResult run(StepContext ctx) {
        Plan plan = ctx.requireOutput(Phase.PLAN, Plan.class);
        Host host = ctx.host();
        List<String> manifests = new ArrayList<>();
        plan.manifests().forEach((path, yaml) -> {
            if (path.contains("-namespace-") || path.contains("-persistentvolumeclaim-")) {
                manifests.add(yaml);
            }
        });
        try (RemoteShell shell = ctx.ports().shells().open(host)) {
            for (SitePlan site : plan.sites()) {
                if (!site.tlsFiles().isEmpty()) {
                    manifests.add(Manifests.yaml(tlsSecret(plan.namespace(), site, shell)));
                }
            }
            manifests.add(Manifests.yaml(sshSecret(plan.namespace(), host, shell.hostPublicKey(),
                    ctx.ports().shells().privateKey(host))));
        }
        if (registryAuth != null) {
            manifests.add(Manifests.yaml(new SecretBuilder().withNewMetadata().withName(BuildStep.REGISTRY_SECRET)
                    .withNamespace(plan.namespace()).addToLabels("app.kubernetes.io/managed-by", "ferry")
                    .endMetadata().withType("kubernetes.io/dockerconfigjson")
                    .addToData(".dockerconfigjson", Base64.getEncoder().encodeToString(registryAuth)).build()));
            // Pods that name no pull secret of their own pull with it too.
            manifests.add(Manifests.yaml(new ServiceAccountBuilder().withNewMetadata().withName("default")
                    .withNamespace(plan.namespace()).endMetadata()
                    .addNewImagePullSecret(BuildStep.REGISTRY_SECRET).build()));
        }
        List<String> applied = ctx.ports().cluster().apply(manifests);
        ctx.event("storage.ready", "namespace, volumes and secrets of " + plan.namespace() + " applied: "
                + String.join(", ", applied), Map.of("objects", applied.size()));
        return StepResult.done(new Stored(plan.namespace(), applied), applied.size() + " objects applied");
    }

    /** The files nginx reads from /etc/nginx/ssl/<site>/, under the names the rendered config uses. */
    static Secret tlsSecret(String namespace, SitePlan site, RemoteShell shell) {
        Map<String, String> data = new LinkedHashMap<>();
        for (SitePlan.PathMapping file : site.tlsFiles()) {
            // base64 on the host: the bytes come back whole, whatever they are
            CommandResult r = shell.run(RemoteCommand.asRoot("read-tls", "base64 < " + Shell.quote(file.legacy())
                    + " | tr -d '\\n'"));
            if (!r.ok() || r.truncated()) {
                throw new PermanentFailure("cannot read TLS file " + file.legacy() + " of site " + site.name()
                        + " (exit " + r.exitCode() + "): " + r.stderr().strip(), null);
            }
            data.put(file.target().substring(file.target().lastIndexOf('/') + 1), r.stdout().strip());
        }
        return new SecretBuilder().withNewMetadata().withName("tls-" + PlanNames.label(site.name()))
                .withNamespace(namespace).addToLabels("app.kubernetes.io/managed-by", "ferry").endMetadata()
                .withType("Opaque").withData(data).build();
    }

    static Secret sshSecret(String namespace, Host host, String hostPublicKey, byte[] privateKey) {
        String name = host.spec().port() == 22 ? host.spec().address()
                : "[" + host.spec().address() + "]:" + host.spec().port();
        Base64.Encoder b64 = Base64.getEncoder();
        return new SecretBuilder().withNewMetadata().withName(CopyStep.SSH_SECRET).withNamespace(namespace)
                .addToLabels("app.kubernetes.io/managed-by", "ferry").endMetadata().withType("Opaque")
                .addToData("id", b64.encodeToString(privateKey))
                .addToData("known_hosts", b64.encodeToString((name + " " + hostPublicKey + "\n")
                        .getBytes(StandardCharsets.UTF_8)))
                .build();
    }
}
