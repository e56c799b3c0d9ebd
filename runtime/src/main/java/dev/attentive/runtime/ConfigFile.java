package dev.attentive.runtime;

import dev.attentive.eval.data.SyntheticData;
import dev.attentive.eval.runner.ModelSpec;
import dev.attentive.runtime.ConfigTree.Arr;
import dev.attentive.runtime.ConfigTree.Entry;
import dev.attentive.runtime.ConfigTree.Kind;
import dev.attentive.runtime.ConfigTree.Node;
import dev.attentive.runtime.ConfigTree.Obj;
import dev.attentive.runtime.ConfigTree.Scalar;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Binds a JSON or YAML config file onto a {@link Spec}, recording every problem (unknown key, value
 * of the wrong type) with its line and column instead of stopping at the first. The keys and their
 * meaning are documented in {@code runtime/CONFIG.md}. Stateless.
 */
final class ConfigFile {
    static final List<String> TOP = List.of("data", "model", "retriever", "indexDirectory", "training");
    static final List<String> DATA = List.of("spec", "movielens", "synthetic");
    static final List<String> SYNTHETIC = List.of("seed", "users", "items", "topics", "meanInteractionsPerUser",
            "zipfExponent", "preferenceStrength", "sequentialShare");
    static final List<String> MODEL = List.of("name", "settings", "load");
    static final List<String> RETRIEVER = List.of("name", "settings");
    static final List<String> TRAINING = List.of("seed", "threads", "validation");
    static final List<String> VALIDATION = List.of("holdout", "order", "data");

    private ConfigFile() {
    }

    /**
     * Reads a config file into a spec.
     *
     * @param file the config file
     * @param spec the spec to fill; problems go to {@link Spec#problems}
     */
    static void read(Path file, Spec spec) {
        Path absolute = file.toAbsolutePath().normalize();
        spec.file = absolute;
        spec.origin = "in " + absolute;
        spec.base = absolute.getParent();
        if (!Files.isRegularFile(absolute)) {
            spec.problems.add(Files.isDirectory(absolute)
                    ? "it is a folder; name the JSON or YAML config file"
                    : "the config file does not exist; check the path (relative paths resolve against the working "
                            + "directory " + Path.of("").toAbsolutePath() + ")");
            spec.unreadable = true;
            return;
        }
        Node root;
        try {
            root = ConfigTree.read(absolute, spec.problems);
        } catch (ConfigTree.SyntaxException e) {
            spec.problems.add(e.getMessage());
            spec.unreadable = true;
            return;
        }
        if (root == null) {
            spec.problems.add("the file is empty; it needs at least 'data' (training data) or 'model.load' (a saved model)");
            spec.unreadable = true;
            return;
        }
        new ConfigFile.Binder(spec).top(root);
    }

    /** Walks the tree, filling the spec and recording problems. */
    private static final class Binder {
        private final Spec spec;
        private final List<String> problems;

        Binder(Spec spec) {
            this.spec = spec;
            this.problems = spec.problems;
        }

        void top(Node root) {
            Obj obj = object(root, "", TOP);
            if (obj == null) {
                return;
            }
            for (Entry e : obj.entries().values()) {
                switch (e.key()) {
                    case "data" -> {
                        spec.dataKeyGiven = true;
                        spec.data = data(e.value(), "data");
                    }
                    case "model" -> model(e.value());
                    case "retriever" -> retriever(e.value());
                    case "indexDirectory" -> {
                        String dir = string(e.value(), "indexDirectory");
                        if (dir != null) {
                            spec.indexDirectory = path(dir);
                        }
                    }
                    case "training" -> training(e.value());
                    default -> throw new IllegalStateException(e.key());
                }
            }
        }

        private Spec.DataChoice data(Node node, String key) {
            Obj obj = object(node, key, DATA);
            if (obj == null) {
                return null;
            }
            List<Spec.DataChoice> chosen = new ArrayList<>();
            for (Entry e : obj.entries().values()) {
                String at = key + "." + e.key();
                switch (e.key()) {
                    case "spec" -> {
                        String s = string(e.value(), at);
                        if (s != null) {
                            chosen.add(new Spec.SpecFile(at, path(s)));
                        }
                    }
                    case "movielens" -> {
                        String s = string(e.value(), at);
                        if (s != null) {
                            chosen.add(new Spec.MovieLensFolder(at, path(s)));
                        }
                    }
                    case "synthetic" -> chosen.add(synthetic(e.value(), at));
                    default -> throw new IllegalStateException(e.key());
                }
            }
            if (chosen.size() > 1) {
                problems.add(obj.place() + ": '" + key + "' names " + chosen.size() + " sources ("
                        + String.join(", ", chosen.stream().map(Spec.DataChoice::key).toList())
                        + "); keep one of spec, movielens, synthetic");
                return null;
            }
            if (chosen.isEmpty()) {
                if (((Obj) node).entries().isEmpty()) {
                    problems.add(obj.place() + ": '" + key + "' is empty; give one of spec (a dataset spec file), "
                            + "movielens (a MovieLens folder) or synthetic (generated data)");
                }
                return null;
            }
            return chosen.get(0);
        }

        private Spec.DataChoice synthetic(Node node, String key) {
            Obj obj = object(node, key, SYNTHETIC);
            if (obj == null) {
                return new Spec.Synthetic(key, null, 0);
            }
            SyntheticData.Config d = SyntheticData.Config.defaults();
            long seed = 42;
            int users = d.users();
            int items = d.items();
            int topics = d.topics();
            int mean = d.meanInteractionsPerUser();
            double zipf = d.zipfExponent();
            double strength = d.preferenceStrength();
            double sequential = d.sequentialShare();
            boolean typed = true;
            for (Entry e : obj.entries().values()) {
                String at = key + "." + e.key();
                if (e.key().equals("seed")) {
                    Long v = integer(e.value(), at);
                    typed &= v != null;
                    seed = v == null ? seed : v;
                    continue;
                }
                boolean decimal = e.key().equals("zipfExponent") || e.key().equals("preferenceStrength")
                        || e.key().equals("sequentialShare");
                Number v;
                if (decimal) {
                    v = decimal(e.value(), at);
                } else {
                    v = toInt(integer(e.value(), at), e.value(), at);
                }
                if (v == null) {
                    typed = false;
                    continue;
                }
                switch (e.key()) {
                    case "users" -> users = v.intValue();
                    case "items" -> items = v.intValue();
                    case "topics" -> topics = v.intValue();
                    case "meanInteractionsPerUser" -> mean = v.intValue();
                    case "zipfExponent" -> zipf = v.doubleValue();
                    case "preferenceStrength" -> strength = v.doubleValue();
                    case "sequentialShare" -> sequential = v.doubleValue();
                    default -> throw new IllegalStateException(e.key());
                }
            }
            if (!typed) {
                return new Spec.Synthetic(key, null, seed);
            }
            try {
                return new Spec.Synthetic(key, new SyntheticData.Config(users, items, topics, mean, zipf, strength,
                        sequential), seed);
            } catch (IllegalArgumentException e) {
                String detail = e instanceof dev.attentive.api.spi.ConfigException ce
                        ? String.join("; ", ce.problems()) : e.getMessage();
                problems.add(obj.place() + ": " + key + ": " + detail);
                return new Spec.Synthetic(key, null, seed);
            }
        }

        private void model(Node node) {
            if (node instanceof Scalar s && s.kind() == Kind.STRING) {
                ModelSpec parsed = specForm(s, "model", "two-tower[dim=32,epochs=20]");
                if (parsed != null) {
                    spec.modelName = parsed.name();
                    spec.modelSettings.putAll(parsed.settings());
                }
                return;
            }
            Obj obj = object(node, "model", MODEL, "an object (name, settings, load) or the string form "
                    + "two-tower[dim=32]");
            if (obj == null) {
                return;
            }
            for (Entry e : obj.entries().values()) {
                String at = "model." + e.key();
                switch (e.key()) {
                    case "name" -> spec.modelName = string(e.value(), at);
                    case "settings" -> settings(e.value(), at, spec.modelSettings);
                    case "load" -> {
                        String s = string(e.value(), at);
                        if (s != null) {
                            spec.load = path(s);
                        }
                    }
                    default -> throw new IllegalStateException(e.key());
                }
            }
        }

        private void retriever(Node node) {
            if (node instanceof Scalar s && s.kind() == Kind.STRING) {
                ModelSpec parsed = specForm(s, "retriever", "lucene-hnsw[fanout=50]");
                if (parsed != null) {
                    spec.retrieverName = parsed.name();
                    spec.retrieverSettings.putAll(parsed.settings());
                }
                return;
            }
            Obj obj = object(node, "retriever", RETRIEVER, "an object (name, settings) or the string form "
                    + "lucene-hnsw[fanout=50]");
            if (obj == null) {
                return;
            }
            for (Entry e : obj.entries().values()) {
                String at = "retriever." + e.key();
                switch (e.key()) {
                    case "name" -> spec.retrieverName = string(e.value(), at);
                    case "settings" -> settings(e.value(), at, spec.retrieverSettings);
                    default -> throw new IllegalStateException(e.key());
                }
            }
            if (spec.retrieverName == null && !obj.entries().containsKey("name")) {
                problems.add(obj.place() + ": 'retriever' needs a 'name', e.g. lucene-hnsw or exact");
            }
        }

        private ModelSpec specForm(Scalar s, String key, String example) {
            try {
                return ModelSpec.parse(s.text());
            } catch (IllegalArgumentException e) {
                problems.add(s.place() + ": '" + key + "' = '" + s.text() + "' is not name[key=value,...]: "
                        + e.getMessage() + " (write e.g. " + example + ")");
                return null;
            }
        }

        private void settings(Node node, String key, Map<String, String> into) {
            Obj obj = object(node, key, null);
            if (obj == null) {
                return;
            }
            for (Entry e : obj.entries().values()) {
                String at = key + "." + e.key();
                if (e.value() instanceof Scalar s) {
                    if (s.kind() == Kind.NULL) {
                        problems.add(s.place() + ": '" + at + "' is null; give a value or remove the key");
                    } else {
                        into.put(e.key(), s.text());
                    }
                } else if (e.value() instanceof Arr a) {
                    List<String> parts = new ArrayList<>();
                    boolean ok = true;
                    for (Node item : a.items()) {
                        if (item instanceof Scalar s && s.kind() != Kind.NULL) {
                            parts.add(s.text());
                        } else {
                            problems.add(item.place() + ": '" + at + "' must list numbers, strings or booleans, "
                                    + "got " + item.describe());
                            ok = false;
                        }
                    }
                    if (ok) {
                        into.put(e.key(), String.join(",", parts));
                    }
                } else {
                    problems.add(e.value().place() + ": '" + at + "' must be a number, string, boolean or list, got "
                            + e.value().describe() + " (a plugin's own settings are written with a prefix, e.g. "
                            + "attention.heads: 2)");
                }
            }
        }

        private void training(Node node) {
            Obj obj = object(node, "training", TRAINING);
            if (obj == null) {
                return;
            }
            for (Entry e : obj.entries().values()) {
                String at = "training." + e.key();
                switch (e.key()) {
                    case "seed" -> spec.seed = integer(e.value(), at);
                    case "threads" -> {
                        Long v = integer(e.value(), at);
                        spec.threads = toInt(v, e.value(), at);
                    }
                    case "validation" -> validation(e.value());
                    default -> throw new IllegalStateException(e.key());
                }
            }
        }

        private void validation(Node node) {
            Obj obj = object(node, "training.validation", VALIDATION);
            if (obj == null) {
                return;
            }
            for (Entry e : obj.entries().values()) {
                String at = "training.validation." + e.key();
                switch (e.key()) {
                    case "holdout" -> spec.holdout = decimal(e.value(), at);
                    case "order" -> spec.holdoutOrder = string(e.value(), at);
                    case "data" -> spec.validationData = data(e.value(), at);
                    default -> throw new IllegalStateException(e.key());
                }
            }
        }

        private Path path(String text) {
            return spec.base.resolve(text).normalize();
        }

        // ---- typed reads: each records a problem and returns null when the node is of another type

        private Obj object(Node node, String key, List<String> known) {
            return object(node, key, known, "an object");
        }

        private Obj object(Node node, String key, List<String> known, String expected) {
            if (!(node instanceof Obj obj)) {
                problems.add(node.place() + ": " + (key.isEmpty() ? "the document" : "'" + key + "'") + " must be "
                        + expected + ", got " + node.describe());
                return null;
            }
            if (known == null) {
                return obj;
            }
            Map<String, Entry> kept = new LinkedHashMap<>();
            for (Entry e : obj.entries().values()) {
                if (known.contains(e.key())) {
                    kept.put(e.key(), e);
                } else {
                    problems.add(e.keyPlace() + ": unknown key '" + (key.isEmpty() ? "" : key + ".") + e.key()
                            + "'; the keys " + (key.isEmpty() ? "at the top level" : "under '" + key + "'")
                            + " are " + String.join(", ", known));
                }
            }
            return new Obj(obj.place(), kept);
        }

        private String string(Node node, String key) {
            if (node instanceof Scalar s && s.kind() == Kind.STRING) {
                if (s.text().isBlank()) {
                    problems.add(s.place() + ": '" + key + "' is empty; give a value or remove the key");
                    return null;
                }
                return s.text();
            }
            problems.add(node.place() + ": '" + key + "' must be a string, got " + node.describe());
            return null;
        }

        private Long integer(Node node, String key) {
            if (node instanceof Scalar s && s.kind() == Kind.INTEGER) {
                try {
                    return Long.parseLong(s.text());
                } catch (NumberFormatException e) {
                    problems.add(s.place() + ": '" + key + "' must be an integer between " + Long.MIN_VALUE + " and "
                            + Long.MAX_VALUE + ", got " + s.text());
                    return null;
                }
            }
            problems.add(node.place() + ": '" + key + "' must be an integer, got " + node.describe());
            return null;
        }

        private Integer toInt(Long value, Node node, String key) {
            if (value == null) {
                return null;
            }
            if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
                problems.add(node.place() + ": '" + key + "' must be an integer of at most " + Integer.MAX_VALUE
                        + ", got " + value);
                return null;
            }
            return value.intValue();
        }

        private Double decimal(Node node, String key) {
            if (node instanceof Scalar s && (s.kind() == Kind.INTEGER || s.kind() == Kind.DECIMAL)) {
                return Double.parseDouble(s.text());
            }
            problems.add(node.place() + ": '" + key + "' must be a number, got " + node.describe());
            return null;
        }
    }
}
