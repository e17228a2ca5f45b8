package dev.ferry.migrations.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.ferry.state.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A plan as a tree of files for review (and for git): {@code plan.json} (what the plan decided, without the
 * file contents), {@code images/<image>/...} (each build context as it is built) and {@code manifests/...}.
 */
public final class PlanFiles {

    /** What plan.json says: the decisions, by reference to the files beside it. */
    record Summary(String host, String namespace, String contentHash, List<String> images,
                   List<SiteSummary> sites, List<Problem> problems) {
    }

    record SiteSummary(String name, List<String> serverNames, boolean php, List<String> pools,
                       List<SitePlan.PathMapping> paths, List<SitePlan.PathMapping> tlsFiles, String configFile) {
    }

    private PlanFiles() {
    }

    public static Map<String, String> of(Plan plan) {
        Map<String, String> files = new TreeMap<>();
        List<ImageContext> images = new java.util.ArrayList<>();
        if (plan.nginxImage() != null) {
            images.add(plan.nginxImage());
        }
        images.addAll(plan.phpImages());
        for (ImageContext image : images) {
            String dir = "images/" + image.name().substring(image.name().lastIndexOf('/') + 1) + "/";
            image.files().forEach((path, content) -> files.put(dir + path, content));
        }
        files.putAll(plan.manifests());
        Summary summary = new Summary(plan.host(), plan.namespace(), plan.contentHash(),
                images.stream().map(ImageContext::reference).toList(),
                plan.sites().stream().map(s -> new SiteSummary(s.name(), s.serverNames(), s.php(), s.pools(),
                        s.paths(), s.tlsFiles(), s.configFile())).toList(), plan.problems());
        try {
            files.put("plan.json", Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(summary) + "\n");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return new LinkedHashMap<>(files);
    }
}
