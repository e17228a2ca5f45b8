package dev.ferry.migrations.plan;

import dev.ferry.migrations.inventory.php.FpmPool;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The PHP image's build context: the official {@code php:<minor>-fpm-alpine} image, the extensions the legacy
 * PHP has beyond the image's own, each installed the way it needs, and one php-fpm configuration per pool
 * (the pool's Deployment starts php-fpm with its own), listening on 9000 as the shared {@code www} user.
 */
public final class PhpImage {

    private PhpImage() {
    }

    /**
     * @param minor      the legacy PHP minor version ({@code 8.2})
     * @param extensions the legacy {@code php -m} list (PHP and Zend modules)
     */
    public static ImageContext render(String name, String minor, String baseImage, String apkMirror,
                                      List<String> extensions, Map<String, String> iniSettings, List<FpmPool> pools,
                                      int uid, int gid, List<Problem> problems) {
        Set<String> base = base(minor, problems);
        Set<String> core = new TreeSet<>();
        Set<String> pecl = new TreeSet<>();
        Set<String> buildPackages = new TreeSet<>();
        for (String ext : extensions) {
            String e = ext.toLowerCase(Locale.ROOT);
            if (base.contains(e) || e.equals("zend opcache") && base.contains("opcache")) {
                continue;
            }
            String how = PlanData.PHP_INSTALL.getProperty(e);
            if (how == null) {
                problems.add(new Problem(Problem.Severity.BLOCKING, null, "unknown-php-extension", "PHP extension "
                        + ext + " is not in the official image and Ferry knows no way to install it; add it to "
                        + "plan/php-extension-install.properties or drop it"));
                continue;
            }
            String kind = how.contains(":") ? how.substring(0, how.indexOf(':')) : how;
            String packages = how.contains(":") ? how.substring(how.indexOf(':') + 1).strip() : "";
            if (!packages.isEmpty()) {
                buildPackages.addAll(List.of(packages.split("\\s+")));
            }
            (kind.equals("pecl") ? pecl : core).add(e.equals("zend opcache") ? "opcache" : e);
        }
        StringBuilder d = new StringBuilder("# Rendered by Ferry. The legacy host ran PHP ").append(minor).append(".\n")
                .append("FROM ").append(baseImage).append(':').append(minor).append("-fpm-alpine\n");
        if (!core.isEmpty() || !pecl.isEmpty()) {
            d.append("RUN set -ex \\\n");
            if (apkMirror != null) {
                d.append("    && sed -i 's#https\\?://dl-cdn.alpinelinux.org#").append(apkMirror)
                        .append("#g' /etc/apk/repositories \\\n");
            }
            d.append("    && apk add --no-cache --virtual .build-deps $PHPIZE_DEPS")
                    .append(buildPackages.isEmpty() ? "" : " " + String.join(" ", buildPackages)).append(" \\\n");
            if (core.contains("gd")) {
                d.append("    && docker-php-ext-configure gd --with-freetype --with-jpeg --with-webp \\\n");
            }
            if (!core.isEmpty()) {
                d.append("    && docker-php-ext-install -j\"$(nproc)\" ").append(String.join(" ", core))
                        .append(" \\\n");
            }
            if (!pecl.isEmpty()) {
                d.append("    && pecl install ").append(String.join(" ", pecl)).append(" \\\n")
                        .append("    && docker-php-ext-enable ").append(String.join(" ", pecl)).append(" \\\n");
            }
            // Keep the shared libraries the new extensions link against, drop the build tools (as the image's
            // own Dockerfile does).
            d.append("    && runDeps=\"$(scanelf --needed --nobanner --format '%n#p' --recursive ")
                    .append("/usr/local/lib/php/extensions | tr ',' '\\n' | sort -u ")
                    .append("| awk 'system(\"[ -e /usr/local/lib/\" $1 \" ]\") == 0 { next } { print \"so:\" $1 }')\" \\\n")
                    .append("    && apk add --no-cache $runDeps \\\n")
                    .append("    && apk del --no-network .build-deps\n");
        }
        d.append("RUN addgroup -g ").append(gid).append(" www && adduser -u ").append(uid)
                .append(" -G www -S -D -H www && rm -f /usr/local/etc/php-fpm.d/*.conf\n")
                .append(iniSettings.isEmpty() ? "" : "COPY php/zz-legacy.ini /usr/local/etc/php/conf.d/zz-legacy.ini\n")
                .append("COPY ferry/ /usr/local/etc/ferry/\n")
                .append("# Each pool's Deployment runs: php-fpm -F -y /usr/local/etc/ferry/<pool>.conf\n")
                .append("CMD [\"php-fpm\", \"-F\", \"-y\", \"/usr/local/etc/ferry/")
                .append(pools.isEmpty() ? "www" : pools.getFirst().name()).append(".conf\"]\n");
        Map<String, String> files = new LinkedHashMap<>();
        files.put("Dockerfile", d.toString());
        if (!iniSettings.isEmpty()) {
            StringBuilder ini = new StringBuilder("; The legacy host's php.ini settings that differ from PHP's defaults"
                    + " (the official image has no php.ini).\n");
            new java.util.TreeMap<>(iniSettings).forEach((k, v) -> ini.append(k).append(" = ")
                    .append(v.matches("[A-Za-z0-9_.+-]*") ? v : "\"" + v.replace("\"", "\\\"") + "\"").append('\n'));
            files.put("php/zz-legacy.ini", ini.toString());
        }
        for (FpmPool pool : pools) {
            files.put("ferry/" + pool.name() + ".conf", "[global]\nerror_log = /proc/self/fd/2\ndaemonize = no\n\n"
                    + PhpPoolRenderer.render(pool, "9000", "www", "www"));
        }
        return new ImageContext(name, files);
    }

    private static Set<String> base(String minor, List<Problem> problems) {
        String list = PlanData.PHP_BASE.getProperty(minor);
        if (list == null) {
            String nearest = nearest(minor);
            problems.add(new Problem(Problem.Severity.WARNING, null, "php-base-unknown", "the official php:" + minor
                    + "-fpm-alpine image's own extensions are not on record; assumed those of " + nearest));
            list = PlanData.PHP_BASE.getProperty(nearest);
        }
        return new TreeSet<>(List.of(list.split("\\s+")));
    }

    private static String nearest(String minor) {
        double wanted = number(minor);
        List<String> known = new ArrayList<>(PlanData.PHP_BASE.stringPropertyNames());
        known.sort(java.util.Comparator.comparingDouble((String k) -> Math.abs(number(k) - wanted))
                .thenComparing(java.util.Comparator.reverseOrder()));
        return known.getFirst();
    }

    private static double number(String minor) {
        String[] p = minor.split("\\.");
        try {
            return Integer.parseInt(p[0]) + (p.length > 1 ? Integer.parseInt(p[1]) / 100.0 : 0);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
