package dev.ferry.migrations.inventory.nginx;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Which directives belong to which third-party (or optional) module. The one place that knows. */
final class ModuleDirectives {

    /** Exact directive names. */
    private static final Map<String, String> EXACT = Map.ofEntries(
            Map.entry("brotli", "brotli"),
            Map.entry("more_set_headers", "headers-more"),
            Map.entry("more_clear_headers", "headers-more"),
            Map.entry("more_set_input_headers", "headers-more"),
            Map.entry("more_clear_input_headers", "headers-more"),
            Map.entry("modsecurity", "modsecurity"),
            Map.entry("geoip2", "geoip2"),
            Map.entry("js_import", "njs"),
            Map.entry("perl", "perl"),
            Map.entry("upload_progress", "upload-progress"),
            Map.entry("proxy_cache_purge", "cache-purge"),
            Map.entry("fastcgi_cache_purge", "cache-purge"),
            Map.entry("pagespeed", "pagespeed"),
            Map.entry("set_by_lua", "lua"),
            Map.entry("set_by_lua_block", "lua"),
            Map.entry("set_by_lua_file", "lua"));

    /** Name prefixes, checked in order. */
    private static final List<Map.Entry<String, String>> PREFIXES = List.of(
            Map.entry("brotli_", "brotli"),
            Map.entry("lua_", "lua"),
            Map.entry("modsecurity_", "modsecurity"),
            Map.entry("geoip2_", "geoip2"),
            Map.entry("geoip_", "geoip"),
            Map.entry("image_filter", "image-filter"),
            Map.entry("xslt_", "xslt"),
            Map.entry("js_", "njs"),
            Map.entry("perl_", "perl"),
            Map.entry("subs_filter", "subs-filter"),
            Map.entry("echo", "echo"),
            Map.entry("vhost_traffic_status", "vts"),
            Map.entry("pagespeed_", "pagespeed"));

    private ModuleDirectives() {
    }

    static List<ModuleUse> of(String directive) {
        List<ModuleUse> out = new ArrayList<>();
        String module = EXACT.get(directive);
        if (module == null && (directive.endsWith("_by_lua") || directive.endsWith("_by_lua_block")
                || directive.endsWith("_by_lua_file"))) {
            module = "lua";
        }
        if (module == null) {
            for (Map.Entry<String, String> p : PREFIXES) {
                if (directive.startsWith(p.getKey())) {
                    module = p.getValue();
                    break;
                }
            }
        }
        if (module != null) {
            out.add(new ModuleUse(directive, module));
        }
        // set_by_lua is a directive of the NDK-based set-misc interface: it needs the NDK loaded too.
        if (directive.startsWith("set_by_lua")) {
            out.add(new ModuleUse(directive, "ndk"));
        }
        return out;
    }
}
