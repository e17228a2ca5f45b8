package dev.ferry.migrations.copy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.migrations.inventory.CapturedInventory;
import dev.ferry.migrations.plan.ClusterSettings;
import dev.ferry.migrations.plan.Plan;
import dev.ferry.migrations.plan.Planner;
import dev.ferry.migrations.plan.SitePlan;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The copy Job as rendered, in its two modes: over SSH, and from the node the legacy host is. */
class CopyJobTest {

    static final Plan PLAN = Planner.plan(CapturedInventory.legacyHost(), ClusterSettings.defaults());

    static Job render(CopySettings settings) {
        return CopyJob.render(PLAN, "ferry-copy-3-1", "192.0.2.10", 22, "deploy", "ferry-ssh", 50000, 50000,
                settings);
    }

    @Test
    void fromANodeTheRootsAreMountedReadOnlyFromItThePodIsPinnedThereAndNothingGoesOverSsh() {
        Job job = render(new CopySettings("alpine:3.20", 2048, "legacy-node-1"));
        PodSpec pod = job.getSpec().getTemplate().getSpec();
        Container c = pod.getContainers().getFirst();
        List<String> roots = CopyJob.roots(PLAN).stream().map(SitePlan.PathMapping::legacy).distinct().toList();
        assertThat(roots).isNotEmpty();

        assertThat(pod.getNodeSelector()).isEqualTo(Map.of("kubernetes.io/hostname", "legacy-node-1"));
        List<Volume> hostPaths = pod.getVolumes().stream().filter(v -> v.getHostPath() != null).toList();
        assertThat(hostPaths).extracting(v -> v.getHostPath().getPath()).containsExactlyInAnyOrderElementsOf(roots);
        assertThat(hostPaths).allSatisfy(v -> assertThat(v.getHostPath().getType()).isEqualTo("Directory"));
        for (Volume v : hostPaths) {
            VolumeMount mount = c.getVolumeMounts().stream().filter(m -> m.getName().equals(v.getName()))
                    .findFirst().orElseThrow();
            assertThat(mount.getReadOnly()).as(v.getName()).isTrue();
            assertThat(mount.getMountPath()).isEqualTo("/legacy" + v.getHostPath().getPath());
        }
        assertThat(pod.getVolumes()).filteredOn(v -> v.getSecret() != null).isEmpty();
        assertThat(pod.getVolumes()).filteredOn(v -> v.getPersistentVolumeClaim() != null)
                .extracting(v -> v.getPersistentVolumeClaim().getClaimName()).containsExactly("web-data");
        assertThat(c.getEnv()).extracting(EnvVar::getName).containsExactlyInAnyOrder("WEB", "LEGACY");

        String script = c.getCommand().get(2);
        assertThat(script).doesNotContain("ssh").doesNotContain("sudo").doesNotContain("192.0.2.10")
                .contains("rsync -aH --numeric-ids --chown=50000:50000 --delete --partial")
                .contains("--bwlimit=2048");
        for (SitePlan.PathMapping p : CopyJob.roots(PLAN)) {
            assertThat(script).contains("copy \"$LEGACY\"'" + p.legacy() + "' '"
                    + p.target().substring("/srv/web/".length()) + "'");
        }
        // The same check and the same summary as over SSH: the copy phase reads them alike.
        assertThat(script).contains(" -n -c --out-format='%i %n' ")
                .contains("printf 'files=%s bytes=%s differences=%s transferred=%s seconds=%s\\n'");
        assertThat(CopyJob.yaml(job)).contains("hostPath:").contains("readOnly: true").doesNotContain("secretName");
    }

    @Test
    void overSshTheKeyComesFromTheSecretAndNoNodeIsChosen() {
        Job job = render(CopySettings.defaults());
        PodSpec pod = job.getSpec().getTemplate().getSpec();
        assertThat(pod.getNodeSelector()).isNullOrEmpty();
        assertThat(pod.getVolumes()).filteredOn(v -> v.getHostPath() != null).isEmpty();
        assertThat(pod.getVolumes()).filteredOn(v -> v.getSecret() != null)
                .extracting(v -> v.getSecret().getSecretName()).containsExactly("ferry-ssh");
        String script = pod.getContainers().getFirst().getCommand().get(2);
        assertThat(script).contains("-e \"ssh -i /tmp/ferry-copy-key -p 22 -o BatchMode=yes")
                .contains("--rsync-path='sudo -n rsync'").contains("copy 'deploy@192.0.2.10:/");
    }

    @Test
    void whileRsyncRunsTheScriptReportsItsProgressAsOneLinePerUpdate() {
        String script = render(CopySettings.defaults()).getSpec().getTemplate().getSpec().getContainers()
                .getFirst().getCommand().get(2);
        assertThat(script).contains("--info=stats2,progress2 --no-inc-recursive")
                .contains("printf 'ferry-copy progress root=%s/%s target=%s earlier=%s rsync=%s\\n'")
                .contains("ROOTS=" + CopyJob.roots(PLAN).size());
    }
}
