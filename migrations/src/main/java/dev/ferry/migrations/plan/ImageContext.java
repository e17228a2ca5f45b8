package dev.ferry.migrations.plan;

import java.util.Map;
import java.util.TreeMap;

/**
 * What an image is built from: its Dockerfile and the other files next to it, by path in the context.
 *
 * @param name the image's repository name under the registry ({@code ferry/legacy1-nginx})
 */
public record ImageContext(String name, Map<String, String> files) {

    public ImageContext {
        files = java.util.Collections.unmodifiableMap(new TreeMap<>(files));
    }

    /** The image's reference with a tag from its content: the same context is the same image. */
    public String reference() {
        return name + ":" + dev.ferry.state.Json.sha256(dev.ferry.state.Json.write(files)).substring(0, 12);
    }
}
