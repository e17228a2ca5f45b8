package dev.ferry.daemon.cutover;

import dev.ferry.daemon.LegacyHosts;
import dev.ferry.daemon.LocalCluster;
import dev.ferry.daemon.cluster.DeploymentDriver;
import dev.ferry.daemon.cluster.JobDriver;
import dev.ferry.daemon.cluster.KubernetesCluster;
import dev.ferry.daemon.cluster.MockCluster;
import dev.ferry.migrations.testhost.LegacyHost;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Everything a cutover test runs against: a real legacy host, the mock API server with the Job driver (copies run
 * for real into {@link #web()}), and "the cluster": real nginx and php-fpm from the rendered configuration,
 * serving that volume behind a loopback ingress address. The Deployment driver starts when asked, so that a
 * test can hold a migration at deploy.
 */
final class CutoverRig implements AutoCloseable {

    private final LegacyHost host;
    private final MockCluster mock;
    private final JobDriver jobs;
    private final LocalCluster cluster;
    private final Path web;
    private DeploymentDriver deployments;

    private CutoverRig(LegacyHost host, MockCluster mock, JobDriver jobs, LocalCluster cluster, Path web) {
        this.host = host;
        this.mock = mock;
        this.jobs = jobs;
        this.cluster = cluster;
        this.web = web;
    }

    static CutoverRig start(Path dir) throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path web = Files.createDirectories(dir.resolve("cluster/web"));
        LegacyHost host = LegacyHost.start();
        MockCluster mock = null;
        JobDriver jobs = null;
        try {
            mock = new MockCluster();
            jobs = new JobDriver(mock, web, Files.createDirectories(dir.resolve("work"))).start();
            LocalCluster cluster = LocalCluster.start(host, LegacyHosts.inventory(host), dir.resolve("cluster"),
                    LocalCluster.SiteFiles.live(web));
            return new CutoverRig(host, mock, jobs, cluster, web);
        } catch (Exception | AssertionError e) {
            if (jobs != null) {
                jobs.close();
            }
            if (mock != null) {
                mock.close();
            }
            host.close();
            throw e;
        }
    }

    /** Lets the Deployments roll out from now on. */
    CutoverRig rollOutDeployments() {
        if (deployments == null) {
            deployments = new DeploymentDriver(mock).start();
        }
        return this;
    }

    LegacyHost host() {
        return host;
    }

    MockCluster mock() {
        return mock;
    }

    LocalCluster cluster() {
        return cluster;
    }

    KubernetesCluster kubernetes() {
        return new KubernetesCluster(mock.client());
    }

    /** The web-data volume: what the copy Jobs fill and the local cluster serves. */
    Path web() {
        return web;
    }

    @Override
    public void close() throws Exception {
        cluster.close();
        if (deployments != null) {
            deployments.close();
        }
        jobs.close();
        mock.close();
        host.close();
    }
}
