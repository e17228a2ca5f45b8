package dev.ferry.migrations.plan;

/**
 * What the plan needs to know about the target cluster and where images come from and go.
 *
 * @param namespacePrefix  each host's namespace is this plus the host's name
 * @param registry         where built images are pushed ({@code registry.example.org/ferry})
 * @param nginxBaseImage   the official nginx image, or a mirror's path to it ({@code docker.m.daocloud.io/nginx})
 * @param phpBaseImage     the official php image, or a mirror's path to it
 * @param apkMirror        an Alpine package mirror for image builds; null for Alpine's own
 * @param nginxVersion     the nginx version to build on; null for the legacy host's
 * @param storageClass     for the web-data and web-log volumes (ReadWriteMany)
 * @param ingressClass     the Ingress class that serves the sites
 * @param uid              the one UID (and GID) nginx, PHP and the copied files share on the volumes
 */
public record ClusterSettings(String namespacePrefix, String registry, String nginxBaseImage, String phpBaseImage,
                              String apkMirror, String nginxVersion, String storageClass, String ingressClass,
                              int uid, int gid) {

    public static ClusterSettings defaults() {
        return new ClusterSettings("ferry-", "registry.local/ferry", "nginx", "php", null, null, "longhorn", "nginx",
                50000, 50000);
    }
}
