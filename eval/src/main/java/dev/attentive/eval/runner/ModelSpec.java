package dev.attentive.eval.runner;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A model named on the command line with optional setting overrides in brackets, e.g.
 * {@code bpr[dim=32,reg=0.01]} or {@code two-tower[attention=mean]}; a value may hold brackets of its
 * own, commas included: {@code two-tower[retriever=lucene-hnsw[fanout=50,maxConn=32]]}. A value with {@code /} lists
 * alternatives that are searched as a grid on the validation split: {@code ease[lambda=100/500]}.
 *
 * @param label the spec as written, used as the model's key in results
 * @param name the provider name
 * @param settings the overrides, in order
 */
public record ModelSpec(String label, String name, Map<String, String> settings) {
    /** Validates and copies. */
    public ModelSpec {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(name, "name");
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }

    /**
     * Parses a comma-separated list of specs (commas inside brackets separate settings).
     *
     * @param text e.g. {@code pop,ease,bpr[dim=32,epochs=50]}
     * @return the specs in order
     * @throws IllegalArgumentException on unbalanced brackets, an empty name, a setting without '='
     *     or a spec written twice (results are keyed by the spec as written)
     */
    public static List<ModelSpec> parseList(String text) {
        List<ModelSpec> out = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i <= text.length(); i++) {
            char c = i < text.length() ? text.charAt(i) : ',';
            if (c == '[') {
                depth++;
            } else if (c == ']') {
                depth--;
                if (depth < 0) {
                    throw new IllegalArgumentException("Unbalanced ']' at position " + i + " in models '" + text + "'");
                }
            } else if (c == ',' && depth == 0) {
                String part = text.substring(start, i).trim();
                if (!part.isEmpty()) {
                    ModelSpec spec = parse(part);
                    if (out.stream().anyMatch(o -> o.label().equals(spec.label()))) {
                        throw new IllegalArgumentException("Model '" + spec.label() + "' is listed twice in models '"
                                + text + "': results are keyed by the spec as written; drop the repeat or change"
                                + " one of its settings");
                    }
                    out.add(spec);
                }
                start = i + 1;
            }
        }
        if (depth != 0) {
            throw new IllegalArgumentException("Unclosed '[' in models '" + text + "'");
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("No model named in '" + text + "'; write e.g. pop,ease,bpr[dim=32]");
        }
        return out;
    }

    /**
     * Parses one spec.
     *
     * @param text e.g. {@code bpr[dim=32]}
     * @return the spec
     */
    public static ModelSpec parse(String text) {
        String t = text.trim();
        int open = t.indexOf('[');
        String name = open < 0 ? t : t.substring(0, open).trim();
        if (name.isEmpty()) {
            throw new IllegalArgumentException("Model spec '" + text + "' has no name before '['");
        }
        Map<String, String> settings = new LinkedHashMap<>();
        if (open >= 0) {
            if (!t.endsWith("]")) {
                throw new IllegalArgumentException("Model spec '" + text + "' must end with ']'");
            }
            String body = t.substring(open + 1, t.length() - 1).trim();
            if (!body.isEmpty()) {
                for (String kv : topLevelParts(body)) {
                    int eq = kv.indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException("Setting '" + kv.trim() + "' in model spec '" + text
                                + "' must be written key=value");
                    }
                    settings.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
                }
            }
        }
        return new ModelSpec(t, name, settings);
    }

    /**
     * The comma-separated parts of a spec's settings; a comma inside brackets belongs to its value, as
     * in {@code retriever=lucene-hnsw[fanout=50,maxConn=32]}.
     */
    private static List<String> topLevelParts(String body) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '[') {
                depth++;
            } else if (c == ']') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(body.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(body.substring(start));
        return parts;
    }

    /**
     * The grid of concrete settings: the cartesian product of every {@code /}-separated alternative,
     * with {@code defaults} filling keys that this spec does not set.
     *
     * @param defaults a default grid (key to {@code /}-separated alternatives)
     * @return the combinations, at least one
     */
    public List<Map<String, String>> grid(Map<String, String> defaults) {
        Map<String, String> merged = new LinkedHashMap<>(defaults);
        merged.putAll(settings);
        List<Map<String, String>> combos = new ArrayList<>();
        combos.add(new LinkedHashMap<>());
        for (var e : merged.entrySet()) {
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> combo : combos) {
                for (String alt : e.getValue().split("/")) {
                    Map<String, String> c = new LinkedHashMap<>(combo);
                    c.put(e.getKey(), alt.trim());
                    next.add(c);
                }
            }
            combos = next;
        }
        return combos;
    }
}
