package dev.ferry.state.host;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kubernetes-style label selector over host labels, for starting migrations in batches:
 * {@code tier=web}, {@code tier!=db}, {@code dc in (par1,par2)}, {@code env notin (test)}, {@code canary},
 * {@code !legacy}, combined with commas (all must hold).
 */
public record LabelSelector(List<Requirement> requirements) {

    /** One condition on one label key. */
    public record Requirement(String key, Operator operator, Set<String> values) {
        boolean matches(Map<String, String> labels) {
            String v = labels.get(key);
            return switch (operator) {
                case EQUALS, IN -> v != null && values.contains(v);
                case NOT_EQUALS, NOT_IN -> v == null || !values.contains(v);
                case EXISTS -> v != null;
                case DOES_NOT_EXIST -> v == null;
            };
        }
    }

    /** The operators Kubernetes selectors have; the set is closed. */
    public enum Operator { EQUALS, NOT_EQUALS, IN, NOT_IN, EXISTS, DOES_NOT_EXIST }

    private static final Pattern SET = Pattern.compile("\\s*([^\\s!=(),]+)\\s+(in|notin)\\s*\\(([^()]*)\\)\\s*");
    private static final Pattern EQUALITY = Pattern.compile("\\s*([^\\s!=(),]+)\\s*(==|=|!=)\\s*([^\\s!=(),]*)\\s*");
    private static final Pattern EXISTENCE = Pattern.compile("\\s*(!?)\\s*([^\\s!=(),]+)\\s*");

    public LabelSelector {
        requirements = List.copyOf(requirements);
    }

    /** @throws IllegalArgumentException with the part that does not parse */
    public static LabelSelector parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a label selector must not be empty");
        }
        List<Requirement> out = new ArrayList<>();
        for (String part : splitTopLevel(text)) {
            Matcher m;
            if ((m = SET.matcher(part)).matches()) {
                Set<String> values = new java.util.TreeSet<>();
                for (String v : m.group(3).split(",")) {
                    values.add(checkValue(v.strip(), part));
                }
                out.add(new Requirement(checkKey(m.group(1), part),
                        m.group(2).equals("in") ? Operator.IN : Operator.NOT_IN, values));
            } else if ((m = EQUALITY.matcher(part)).matches()) {
                out.add(new Requirement(checkKey(m.group(1), part),
                        m.group(2).equals("!=") ? Operator.NOT_EQUALS : Operator.EQUALS,
                        Set.of(checkValue(m.group(3), part))));
            } else if ((m = EXISTENCE.matcher(part)).matches()) {
                out.add(new Requirement(checkKey(m.group(2), part),
                        m.group(1).isEmpty() ? Operator.EXISTS : Operator.DOES_NOT_EXIST, Set.of()));
            } else {
                throw new IllegalArgumentException("cannot parse '" + HostRules.printable(part.strip())
                        + "' in the label selector; use key=value, key!=value, key in (a,b), key notin (a,b), key or !key");
            }
        }
        return new LabelSelector(out);
    }

    public boolean matches(Map<String, String> labels) {
        return requirements.stream().allMatch(r -> r.matches(labels));
    }

    private static List<String> splitTopLevel(String text) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(text.substring(start, i));
                start = i + 1;
            }
            if (depth < 0 || depth > 1) {
                throw new IllegalArgumentException("unbalanced parentheses in the label selector");
            }
        }
        if (depth != 0) {
            throw new IllegalArgumentException("unbalanced parentheses in the label selector");
        }
        parts.add(text.substring(start));
        return parts;
    }

    private static String checkKey(String key, String part) {
        HostRules.checkLabelKey(key).ifPresent(p -> {
            throw new IllegalArgumentException(p + " (in '" + HostRules.printable(part.strip()) + "')");
        });
        return key;
    }

    private static String checkValue(String value, String part) {
        HostRules.checkLabelValue(value).ifPresent(p -> {
            throw new IllegalArgumentException(p + " (in '" + HostRules.printable(part.strip()) + "')");
        });
        return value;
    }
}
