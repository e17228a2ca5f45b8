package dev.ferry.migrations.plan;

import java.util.List;
import java.util.Map;

/**
 * How one legacy host will run in the cluster: its namespace, its sites, the image build contexts, and the
 * problems found on the way. The same inventory and settings always give the same plan, byte for byte;
 * {@code contentHash} identifies it (and an image built from it).
 *
 * @param phpImages one per php-fpm installed on the host (usually one)
 * @param manifests the Kubernetes objects, one YAML file each, by path ({@code manifests/03-deployment-nginx.yaml})
 */
public record Plan(String host, String namespace, List<SitePlan> sites, ImageContext nginxImage,
                   List<ImageContext> phpImages, Map<String, String> manifests, List<Problem> problems,
                   String contentHash) {

    public Plan {
        sites = List.copyOf(sites);
        phpImages = List.copyOf(phpImages);
        manifests = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(manifests));
        problems = List.copyOf(problems);
    }

    public boolean blocked() {
        return problems.stream().anyMatch(p -> p.severity() == Problem.Severity.BLOCKING);
    }
}
