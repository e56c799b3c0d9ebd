package dev.attentive.index.opensearch;

/**
 * Writes the few JSON shapes the retriever sends (strings, numbers, float vectors) straight into a
 * {@link StringBuilder}: a vector is written with {@link Float#toString(float)}, the shortest text that
 * reads back to the same float, where a generic JSON library would widen it to a double's 17 digits.
 */
final class JsonText {
    private JsonText() {
    }

    /** Appends a JSON string literal. */
    static StringBuilder string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"');
    }

    /** Appends a finite double. */
    static StringBuilder number(StringBuilder out, double v) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException("JSON has no " + v);
        }
        return out.append(v);
    }

    /** Appends a float array; the caller has checked that every value is finite. */
    static StringBuilder vector(StringBuilder out, float[] v) {
        out.append('[');
        for (int i = 0; i < v.length; i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(v[i]);
        }
        return out.append(']');
    }
}
