package dev.ferry.migrations.plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The nginx image's build context: the official {@code nginx:<version>-alpine} image, the dynamic modules the
 * legacy configuration loads built the official way (pkg-oss, in a builder stage, as nginx's docker-nginx
 * "modules" image does), a {@code www} user with the shared UID/GID, and the rendered configuration baked in.
 */
public final class NginxImage {

    private NginxImage() {
    }

    /**
     * @param version    the official nginx version to build on (the legacy one unless configured)
     * @param baseImage  where the official image comes from ({@code nginx}, or a mirror's path to it)
     * @param apkMirror  an Alpine mirror to use instead of dl-cdn.alpinelinux.org; null for none
     */
    public static ImageContext render(String name, String version, String baseImage, String apkMirror, int uid,
                                      int gid, NginxPlan plan, List<Problem> problems) {
        Set<String> packages = new LinkedHashSet<>();
        for (String module : plan.modules()) {
            String pkg = PlanData.NGINX_MODULES.getProperty(module);
            if (pkg == null) {
                problems.add(new Problem(Problem.Severity.BLOCKING, null, "unknown-nginx-module", "load_module "
                        + module + ": no official (pkg-oss) package is known for it; build it yourself or drop it"));
            } else if (!pkg.equals("builtin")) {
                packages.add(pkg);
            }
        }
        String mirror = apkMirror == null ? ""
                : "    && sed -i 's#https\\?://dl-cdn.alpinelinux.org#" + apkMirror + "#g' /etc/apk/repositories \\\n";
        StringBuilder d = new StringBuilder("# Rendered by Ferry. The legacy host ran nginx ").append(version)
                .append(".\n");
        String from = baseImage + ":" + version + "-alpine";
        if (!packages.isEmpty()) {
            d.append("FROM ").append(from).append(" AS modules\n")
                    .append("ARG MODULES=\"").append(String.join(" ", packages)).append("\"\n")
                    .append("RUN set -ex \\\n").append(mirror)
                    .append("    && apk add --no-cache linux-headers openssl-dev pcre2-dev zlib-dev openssl abuild \\\n")
                    .append("       musl-dev libxslt libxml2-utils make gcc unzip git xz g++ coreutils curl \\\n")
                    .append("    && printf '#!/bin/sh\\nSETFATTR=true /usr/bin/abuild -F \"$@\"\\n' > /usr/local/bin/abuild \\\n")
                    .append("    && chmod +x /usr/local/bin/abuild \\\n")
                    .append("    && git clone --depth 1 --branch \"${NGINX_VERSION}-${PKG_RELEASE}\" https://github.com/nginx/pkg-oss /pkg-oss \\\n")
                    .append("    && mkdir /tmp/packages \\\n")
                    .append("    && cd /pkg-oss/alpine \\\n")
                    .append("    && for module in $MODULES; do \\\n")
                    .append("         make abuild-module-$module BASE_VERSION=$NGINX_VERSION NGINX_VERSION=$NGINX_VERSION \\\n")
                    .append("         && apk add --no-cache $(. ./abuild-module-$module/APKBUILD; echo $makedepends) \\\n")
                    .append("         && make module-$module BASE_VERSION=$NGINX_VERSION NGINX_VERSION=$NGINX_VERSION \\\n")
                    .append("         || exit 1; \\\n")
                    .append("       done \\\n")
                    .append("    && find ~/packages -type f -name '*.apk' -exec mv -v {} /tmp/packages/ \\;\n\n");
        }
        d.append("FROM ").append(from).append('\n');
        if (!packages.isEmpty()) {
            d.append("COPY --from=modules /tmp/packages /tmp/packages\n")
                    .append("RUN set -ex \\\n").append(mirror)
                    .append("    && for module in ").append(String.join(" ", packages)).append("; do \\\n")
                    .append("         apk add --no-cache --allow-untrusted /tmp/packages/nginx-module-$module-${NGINX_VERSION}*.apk \\\n")
                    .append("         || exit 1; \\\n")
                    .append("       done \\\n")
                    .append("    && rm -rf /tmp/packages\n");
        }
        // The pod runs nginx as the shared non-root UID: it needs its cache directory.
        d.append("RUN addgroup -g ").append(gid).append(" www && adduser -u ").append(uid)
                .append(" -G www -S -D -H www && chown -R www:www /var/cache/nginx\n")
                .append("COPY nginx.conf /etc/nginx/nginx.conf\n")
                .append("COPY conf.d/ /etc/nginx/conf.d/\n");
        Map<String, String> files = new LinkedHashMap<>();
        files.put("Dockerfile", d.toString());
        files.put("nginx.conf", mainConfig(plan));
        files.put("conf.d/00-upstreams.conf", plan.upstreams());
        plan.sites().forEach(s -> files.put(s.configFile(), s.config()));
        return new ImageContext(name, files);
    }

    /**
     * The official image's nginx.conf with the legacy modules loaded and the site files included. The pod runs
     * it as the shared non-root UID (files written by PHP and served by nginx have one owner), so no
     * {@code user} directive, and the pid file where that user may write.
     */
    static String mainConfig(NginxPlan plan) {
        List<String> lines = new ArrayList<>(List.of("# Rendered by Ferry.", "worker_processes auto;",
                "error_log /var/log/nginx/error.log notice;", "pid /tmp/nginx.pid;"));
        plan.modules().stream().filter(m -> !"builtin".equals(PlanData.NGINX_MODULES.getProperty(m)))
                .forEach(m -> lines.add("load_module modules/" + m + ";"));
        lines.addAll(List.of("events {", "    worker_connections 1024;", "}", "http {",
                "    include /etc/nginx/mime.types;", "    default_type application/octet-stream;",
                "    sendfile on;", "    keepalive_timeout 65;", "    include /etc/nginx/conf.d/*.conf;", "}"));
        return String.join("\n", lines) + "\n";
    }
}
