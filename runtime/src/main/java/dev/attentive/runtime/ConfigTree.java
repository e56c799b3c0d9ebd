package dev.attentive.runtime;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * A JSON or YAML document read into nodes that remember their line and column, so that every
 * problem found while binding it — an unknown key, a value of the wrong type — can be reported at
 * once with its place. (Jackson's own binding with {@code FAIL_ON_UNKNOWN_PROPERTIES} stops at the
 * first unknown key, and its trees keep no locations.) Immutable once read.
 */
final class ConfigTree {
    private ConfigTree() {
    }

    /** Where a node starts in the file. */
    record Place(int line, int column) {
        @Override
        public String toString() {
            return "line " + line + ", column " + column;
        }
    }

    /** A node of the document. */
    sealed interface Node permits Obj, Arr, Scalar {
        /**
         * Where the node starts.
         *
         * @return the place
         */
        Place place();

        /**
         * What the node is, for messages: "an object", "a list", "the number 3", "the string 'x'".
         *
         * @return the description
         */
        String describe();
    }

    /** A mapping; keys keep the document's order. */
    record Obj(Place place, Map<String, Entry> entries) implements Node {
        @Override
        public String describe() {
            return "an object";
        }
    }

    /** One key of a mapping with the place of the key. */
    record Entry(String key, Place keyPlace, Node value) {
    }

    /** A sequence. */
    record Arr(Place place, List<Node> items) implements Node {
        @Override
        public String describe() {
            return "a list";
        }
    }

    /** The kinds of scalars. */
    enum Kind {
        STRING, INTEGER, DECIMAL, BOOLEAN, NULL
    }

    /**
     * A scalar with its text as written (numbers keep their spelling, so {@code 0.02} stays {@code 0.02}).
     */
    record Scalar(Place place, Kind kind, String text) implements Node {
        @Override
        public String describe() {
            return switch (kind) {
                case STRING -> "the string '" + text + "'";
                case INTEGER, DECIMAL -> "the number " + text;
                case BOOLEAN -> "the boolean " + text;
                case NULL -> "null";
            };
        }
    }

    /** The document could not be read at all (syntax); the binding cannot go on. */
    static final class SyntaxException extends Exception {
        private static final long serialVersionUID = 1L;

        SyntaxException(String message) {
            super(message);
        }
    }

    /**
     * Reads a config file: {@code .yaml}/{@code .yml} as YAML, anything else as JSON.
     *
     * @param file the file, which exists
     * @param problems where duplicate keys are reported
     * @return the root node, or null for an empty document
     * @throws SyntaxException naming the line and column where the syntax breaks
     */
    static Node read(Path file, List<String> problems) throws SyntaxException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        ObjectMapper mapper = name.endsWith(".yaml") || name.endsWith(".yml")
                ? YAMLMapper.builder().build() : JsonMapper.builder().build();
        String format = mapper instanceof YAMLMapper ? "YAML" : "JSON";
        try (JsonParser p = mapper.createParser(file)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return null;
            }
            Node root = node(p, problems);
            if (p.nextToken() != null) {
                throw new SyntaxException(place(p) + ": more than one " + format + " document; write one");
            }
            return root;
        } catch (JacksonException e) {
            TokenStreamLocation l = e.getLocation();
            String where = l == null ? "" : "line " + l.getLineNr() + ", column " + l.getColumnNr() + ": ";
            throw new SyntaxException(where + "not valid " + format + " (" + e.getOriginalMessage().lines().findFirst()
                    .orElse("") + ")");
        }
    }

    private static Place place(JsonParser p) {
        TokenStreamLocation l = p.currentTokenLocation();
        return new Place(l.getLineNr(), l.getColumnNr());
    }

    private static Node node(JsonParser p, List<String> problems) {
        Place at = place(p);
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                Map<String, Entry> entries = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                    String key = p.currentName();
                    Place keyPlace = place(p);
                    p.nextToken();
                    Node value = node(p, problems);
                    Entry previous = entries.put(key, new Entry(key, keyPlace, value));
                    if (previous != null) {
                        problems.add(keyPlace + ": key '" + key + "' is given twice (first at " + previous.keyPlace()
                                + "); keep one");
                    }
                }
                return new Obj(at, entries);
            }
            case START_ARRAY -> {
                List<Node> items = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    items.add(node(p, problems));
                }
                return new Arr(at, items);
            }
            case VALUE_STRING -> {
                return new Scalar(at, Kind.STRING, p.getString());
            }
            case VALUE_NUMBER_INT -> {
                return new Scalar(at, Kind.INTEGER, p.getString());
            }
            case VALUE_NUMBER_FLOAT -> {
                return new Scalar(at, Kind.DECIMAL, p.getString());
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return new Scalar(at, Kind.BOOLEAN, p.getString());
            }
            case VALUE_NULL -> {
                return new Scalar(at, Kind.NULL, "null");
            }
            default -> throw new IllegalStateException("Unexpected token " + t + " at " + at);
        }
    }
}
