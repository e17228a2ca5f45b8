package dev.ferry.migrations.build;

import dev.ferry.migrations.plan.ImageContext;
import dev.ferry.migrations.plan.PlanNames;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.KeyToPathBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An image build in the cluster: the build context as ConfigMaps (a ConfigMap holds at most 1 MiB, so a large
 * context is split across several, each file whole), and a Job running rootless BuildKit without a daemon
 * ({@code buildctl-daemonless.sh}) that builds the Dockerfile and pushes the image, then leaves the pushed
 * digest as its termination message for the build phase to record.
 */
public final class BuildJob {

    /** The build container, whose log tells why a build failed. */
    static final String CONTAINER = "build";

    /** What one ConfigMap may carry, leaving room for its metadata under the API server's 1 MiB limit. */
    static final int CONFIGMAP_BYTES = 900 * 1024;

    private BuildJob() {
    }

    /**
     * @param name           the Job's name; its ConfigMaps are {@code <name>-ctx-<n>}
     * @param buildkitImage  a rootless BuildKit image (or a mirror's copy of it)
     * @param registrySecret the docker-registry Secret to push with
     * @return the ConfigMaps, then the Job
     */
    public static List<HasMetadata> render(ImageContext context, String namespace, String name, String buildkitImage,
                                           String registrySecret) {
        List<Map<String, String>> chunks = chunks(context);
        List<HasMetadata> out = new ArrayList<>();
        List<io.fabric8.kubernetes.api.model.Volume> volumes = new ArrayList<>();
        List<io.fabric8.kubernetes.api.model.VolumeMount> mounts = new ArrayList<>();
        int keyNumber = 0;
        for (int i = 0; i < chunks.size(); i++) {
            String cmName = name + "-ctx-" + i;
            Map<String, String> data = new LinkedHashMap<>();
            List<KeyToPath> items = new ArrayList<>();
            for (Map.Entry<String, String> f : chunks.get(i).entrySet()) {
                // ConfigMap keys cannot hold '/': a numbered key, projected back to its path.
                String key = "f" + keyNumber++;
                data.put(key, f.getValue());
                items.add(new KeyToPathBuilder().withKey(key).withPath(f.getKey()).build());
            }
            ConfigMap cm = new ConfigMapBuilder().withNewMetadata().withName(cmName).withNamespace(namespace)
                    .addToLabels("app.kubernetes.io/managed-by", "ferry").addToLabels("ferry.dev/build", name)
                    .endMetadata().withData(data).build();
            out.add(cm);
            volumes.add(new VolumeBuilder().withName("ctx-" + i).withNewConfigMap().withName(cmName)
                    .withItems(items).endConfigMap().build());
            mounts.add(new VolumeMountBuilder().withName("ctx-" + i).withMountPath("/ctx-parts/" + i).build());
        }
        // Optional: a registry that takes pushes without credentials has no such Secret.
        volumes.add(new VolumeBuilder().withName("docker-config").withNewSecret().withSecretName(registrySecret)
                .withOptional(true).addNewItem().withKey(".dockerconfigjson").withPath("config.json").endItem()
                .endSecret().build());
        mounts.add(new VolumeMountBuilder().withName("docker-config").withMountPath("/home/user/.docker").build());
        volumes.add(new VolumeBuilder().withName("work").withNewEmptyDir().endEmptyDir().build());
        mounts.add(new VolumeMountBuilder().withName("work").withMountPath("/home/user/.local/share/buildkit")
                .build());
        String script = String.join("\n",
                "set -eu",
                // The parts are read-only projections: merge them into one writable context.
                "mkdir -p /tmp/ctx && for d in /ctx-parts/*; do cp -rL \"$d\"/. /tmp/ctx/; done",
                "buildctl-daemonless.sh build --frontend dockerfile.v0 --local context=/tmp/ctx "
                        + "--local dockerfile=/tmp/ctx --output \"type=image,name=$IMAGE,push=true\" "
                        + "--metadata-file /tmp/metadata.json",
                "sed -n 's/.*\"containerimage.digest\": *\"\\([^\"]*\\)\".*/\\1/p' /tmp/metadata.json "
                        + "> /dev/termination-log",
                "cat /dev/termination-log") + "\n";
        out.add(new JobBuilder().withNewMetadata().withName(name).withNamespace(namespace)
                .addToLabels("app.kubernetes.io/name", "build").addToLabels("app.kubernetes.io/managed-by", "ferry")
                .endMetadata().withNewSpec().withBackoffLimit(1).withTtlSecondsAfterFinished(86400)
                .withNewTemplate().withNewMetadata().addToLabels("app.kubernetes.io/name", "build").endMetadata()
                .withNewSpec().withRestartPolicy("Never")
                .addNewContainer().withName(CONTAINER).withImage(buildkitImage).withCommand("sh", "-c", script)
                .addNewEnv().withName("IMAGE").withValue(context.reference()).endEnv()
                .addNewEnv().withName("BUILDKITD_FLAGS").withValue("--oci-worker-no-process-sandbox").endEnv()
                .addNewEnv().withName("DOCKER_CONFIG").withValue("/home/user/.docker").endEnv()
                .withVolumeMounts(mounts)
                // Rootless BuildKit needs its own user namespace: no seccomp or AppArmor profile in its way.
                .withNewSecurityContext().withRunAsUser(1000L).withRunAsGroup(1000L)
                .withNewSeccompProfile().withType("Unconfined").endSeccompProfile()
                .withNewAppArmorProfile().withType("Unconfined").endAppArmorProfile().endSecurityContext()
                .endContainer().withVolumes(volumes).endSpec().endTemplate().endSpec().build());
        return out;
    }

    /** The context's files in ConfigMap-sized groups, in path order; a file too large for any is refused. */
    static List<Map<String, String>> chunks(ImageContext context) {
        List<Map<String, String>> chunks = new ArrayList<>();
        Map<String, String> current = new LinkedHashMap<>();
        long size = 0;
        for (Map.Entry<String, String> f : context.files().entrySet()) {
            long bytes = f.getValue().getBytes(StandardCharsets.UTF_8).length;
            if (bytes > CONFIGMAP_BYTES) {
                throw new IllegalArgumentException("file " + f.getKey() + " of the build context of " + context.name()
                        + " is " + bytes + " bytes; a ConfigMap holds at most " + CONFIGMAP_BYTES);
            }
            if (size + bytes > CONFIGMAP_BYTES && !current.isEmpty()) {
                chunks.add(current);
                current = new LinkedHashMap<>();
                size = 0;
            }
            current.put(f.getKey(), f.getValue());
            size += bytes;
        }
        if (!current.isEmpty()) {
            chunks.add(current);
        }
        return chunks;
    }

    /** A deterministic Job name for an image: the same context is the same Job. */
    public static String jobName(ImageContext context) {
        String ref = context.reference();
        String base = ref.substring(ref.lastIndexOf('/') + 1).replace(':', '-');
        return PlanNames.label("build-" + base);
    }
}
