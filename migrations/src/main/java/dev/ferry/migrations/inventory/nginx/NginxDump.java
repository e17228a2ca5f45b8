package dev.ferry.migrations.inventory.nginx;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What {@code nginx -T} prints: every configuration file nginx read, main file first, each after a
 * {@code # configuration file PATH:} line. {@link #effective()} is the main file with every {@code include}
 * replaced by the directives of the files it names, the way nginx reads it.
 */
public record NginxDump(List<ConfigFile> files) {

    /** One file of the dump. */
    public record ConfigFile(String path, String content) {
    }

    private static final String HEADER = "# configuration file ";
    /** Includes nest only a few levels in practice; a loop of includes must end somewhere. */
    private static final int MAX_INCLUDE_DEPTH = 16;

    public NginxDump {
        files = List.copyOf(files);
    }

    public static NginxDump parse(String output) {
        List<ConfigFile> files = new ArrayList<>();
        String path = null;
        StringBuilder content = new StringBuilder();
        for (String line : output.split("\n", -1)) {
            if (line.startsWith(HEADER) && line.endsWith(":")) {
                if (path != null) {
                    files.add(new ConfigFile(path, trimLastNewline(content)));
                }
                path = line.substring(HEADER.length(), line.length() - 1);
                content.setLength(0);
            } else if (path != null) {
                content.append(line).append('\n');
            } else if (!line.isBlank()) {
                throw new NginxParseException("nginx -T: expected \"" + HEADER + "PATH:\" before any configuration, "
                        + "got \"" + abbreviate(line) + "\"");
            }
        }
        if (path == null) {
            throw new NginxParseException("nginx -T printed no configuration file");
        }
        files.add(new ConfigFile(path, trimLastNewline(content)));
        return new NginxDump(files);
    }

    private static String trimLastNewline(StringBuilder s) {
        // nginx ends each file's dump with the file's last newline plus one of its own.
        int end = s.length();
        if (end > 0 && s.charAt(end - 1) == '\n') {
            end--;
        }
        return s.substring(0, end);
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }

    public String mainFile() {
        return files.getFirst().path();
    }

    /** The main file's directives with includes inlined, each keeping the file and line it came from. */
    public List<Directive> effective() {
        Map<String, List<Directive>> parsed = new HashMap<>();
        String prefix = mainFile().contains("/") ? mainFile().substring(0, mainFile().lastIndexOf('/') + 1) : "";
        return inline(parse(parsed, files.getFirst()), parsed, prefix, 0);
    }

    private List<Directive> inline(List<Directive> directives, Map<String, List<Directive>> parsed, String prefix,
                                   int depth) {
        List<Directive> out = new ArrayList<>();
        for (Directive d : directives) {
            if (d.name().equals("include") && d.block() == null) {
                if (depth >= MAX_INCLUDE_DEPTH) {
                    throw NginxParseException.at(d.file(), d.line(), "includes nested deeper than "
                            + MAX_INCLUDE_DEPTH + " (a loop?)");
                }
                for (ConfigFile f : included(d, prefix)) {
                    out.addAll(inline(parse(parsed, f), parsed, prefix, depth + 1));
                }
            } else if (d.block() != null) {
                out.add(new Directive(d.name(), d.args(), inline(d.block(), parsed, prefix, depth), d.file(),
                        d.line()));
            } else {
                out.add(d);
            }
        }
        return out;
    }

    private List<ConfigFile> included(Directive include, String prefix) {
        if (include.args().size() != 1) {
            throw NginxParseException.at(include.file(), include.line(), "include takes one argument");
        }
        String pattern = include.args().getFirst();
        String full = pattern.startsWith("/") ? pattern : prefix + pattern;
        boolean glob = full.indexOf('*') >= 0 || full.indexOf('?') >= 0 || full.indexOf('[') >= 0;
        if (!glob) {
            return List.of(files.stream().filter(f -> f.path().equals(full)).findFirst()
                    .orElseThrow(() -> NginxParseException.at(include.file(), include.line(),
                            "included file " + full + " is not in the nginx -T output")));
        }
        Pattern regex = globRegex(full);
        return files.stream().filter(f -> regex.matcher(f.path()).matches())
                .sorted(java.util.Comparator.comparing(ConfigFile::path)).toList();
    }

    /** glob(3) as nginx uses it: {@code *} and {@code ?} within one path segment, {@code [...]} classes. */
    static Pattern globRegex(String glob) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> re.append("[^/]*");
                case '?' -> re.append("[^/]");
                case '[' -> {
                    int close = glob.indexOf(']', i + 2);
                    if (close < 0) {
                        re.append("\\[");
                    } else {
                        String body = glob.substring(i + 1, close);
                        if (body.startsWith("!")) {
                            body = "^" + body.substring(1);
                        }
                        re.append('[').append(body.replace("\\", "\\\\").replace("[", "\\[")).append(']');
                        i = close;
                    }
                }
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        try {
            return Pattern.compile(re.toString());
        } catch (java.util.regex.PatternSyntaxException e) {
            throw new NginxParseException("include pattern " + glob + " is not a valid glob: " + e.getDescription());
        }
    }

    private static List<Directive> parse(Map<String, List<Directive>> parsed, ConfigFile f) {
        return parsed.computeIfAbsent(f.path(), p -> NginxConfigParser.parse(f.content(), f.path()));
    }
}
