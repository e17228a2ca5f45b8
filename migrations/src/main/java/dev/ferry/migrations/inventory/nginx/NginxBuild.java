package dev.ferry.migrations.inventory.nginx;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * How nginx was built, from {@code nginx -V}.
 *
 * @param version            {@code 1.22.1}
 * @param openssl            the OpenSSL it was built with ({@code 3.0.11}); null when not said
 * @param withModules        each {@code --with-X} flag without {@code --with-} ({@code http_v2_module},
 *                           {@code stream=dynamic}, {@code compat}); flags that take compiler options are left out
 * @param addModules         paths given to {@code --add-module}
 * @param addDynamicModules  paths given to {@code --add-dynamic-module}
 * @param configureArguments every configure argument, unquoted
 */
public record NginxBuild(String version, String openssl, String prefix, String sbinPath, String confPath,
                         String modulesPath, String errorLogPath, String httpLogPath, String pidPath,
                         List<String> withModules, List<String> addModules, List<String> addDynamicModules,
                         List<String> configureArguments) {

    /** {@code --with-*} options whose value is not a module. */
    private static final Set<String> WITH_VALUES = Set.of("cc", "cpp", "cc-opt", "ld-opt", "cpu-opt", "perl",
            "perl_modules_path", "pcre", "pcre-opt", "zlib", "zlib-opt", "zlib-asm", "libatomic", "openssl",
            "openssl-opt");

    public NginxBuild {
        withModules = List.copyOf(withModules);
        addModules = List.copyOf(addModules);
        addDynamicModules = List.copyOf(addDynamicModules);
        configureArguments = List.copyOf(configureArguments);
    }

    public static NginxBuild parse(String output) {
        String version = null;
        String openssl = null;
        String configure = "";
        for (String line : output.split("\n")) {
            String l = line.strip();
            if (l.startsWith("nginx version:")) {
                String v = l.substring("nginx version:".length()).strip();
                int slash = v.indexOf('/');
                version = (slash >= 0 ? v.substring(slash + 1) : v).split("\\s+")[0];
            } else if (l.startsWith("built with OpenSSL ")) {
                openssl = l.substring("built with OpenSSL ".length()).split("\\s+")[0];
            } else if (l.startsWith("configure arguments:")) {
                configure = l.substring("configure arguments:".length()).strip();
            }
        }
        if (version == null || version.isEmpty()) {
            throw new NginxParseException("nginx -V: no \"nginx version:\" line in its output");
        }
        List<String> args = splitArguments(configure);
        String[] paths = new String[7];
        List<String> with = new ArrayList<>();
        List<String> add = new ArrayList<>();
        List<String> addDynamic = new ArrayList<>();
        List<String> names = List.of("--prefix=", "--sbin-path=", "--conf-path=", "--modules-path=",
                "--error-log-path=", "--http-log-path=", "--pid-path=");
        for (String a : args) {
            for (int i = 0; i < names.size(); i++) {
                if (a.startsWith(names.get(i))) {
                    paths[i] = a.substring(names.get(i).length());
                }
            }
            if (a.startsWith("--with-")) {
                String flag = a.substring("--with-".length());
                String key = flag.contains("=") ? flag.substring(0, flag.indexOf('=')) : flag;
                if (!WITH_VALUES.contains(key)) {
                    with.add(flag);
                }
            } else if (a.startsWith("--add-module=")) {
                add.add(a.substring("--add-module=".length()));
            } else if (a.startsWith("--add-dynamic-module=")) {
                addDynamic.add(a.substring("--add-dynamic-module=".length()));
            }
        }
        return new NginxBuild(version, openssl, paths[0], paths[1], paths[2], paths[3], paths[4], paths[5], paths[6],
                with, add, addDynamic, args);
    }

    /** Splits like the shell that printed them: whitespace outside quotes, single and double quotes removed. */
    static List<String> splitArguments(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    out.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw new NginxParseException("nginx -V: unbalanced " + quote + " in the configure arguments");
        }
        if (inWord) {
            out.add(word.toString());
        }
        return out;
    }
}
