package dev.attentive.model;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Folds prefixed settings ({@code attention.heads=2}, {@code retrieval.dim=32}) into the one string
 * setting that carries a sub-component's settings ({@code attentionSettings=heads=2}), so that a model
 * spec can set a plugin's settings inline. Shared by the model providers that nest plugins.
 */
final class NestedSettings {
    private NestedSettings() {
    }

    /**
     * @param settings the settings as given
     * @param targets prefix (lowercase, with its dot) to the setting that collects it
     * @return the settings without prefixed keys; each target holds its explicit value (if any) and
     *     then the prefixed {@code key=value} pairs, {@code ;}-separated
     */
    static Map<String, String> fold(Map<String, String> settings, Map<String, String> targets) {
        Map<String, String> own = new LinkedHashMap<>();
        Map<String, StringBuilder> nested = new LinkedHashMap<>();
        for (var e : settings.entrySet()) {
            String key = e.getKey();
            String lower = key.toLowerCase(Locale.ROOT);
            String prefix = targets.keySet().stream().filter(lower::startsWith).findFirst().orElse(null);
            if (prefix == null) {
                own.put(key, e.getValue());
            } else {
                nested.computeIfAbsent(prefix, p -> new StringBuilder())
                        .append(';').append(key.substring(prefix.length())).append('=').append(e.getValue());
            }
        }
        for (var t : targets.entrySet()) {
            StringBuilder pairs = nested.get(t.getKey());
            if (pairs != null) {
                own.merge(t.getValue(), pairs.substring(1), (a, b) -> a + ";" + b);
            }
        }
        return own;
    }
}
