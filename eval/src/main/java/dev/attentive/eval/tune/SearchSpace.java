package dev.attentive.eval.tune;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The settings a search may vary for one model, in a fixed order (the order in which a trial draws
 * them, so that a seed always yields the same trials). Immutable and thread safe.
 *
 * <p>Built-in spaces ({@link #builtIn}) exist for {@code two-tower}, {@code ease}, {@code itemknn},
 * {@code bpr} and {@code fm}; other models start from an empty space (one trial: their defaults).
 * {@link #with} lays overrides over a space, from the command line or from a JSON file read by
 * {@link #readOverrides}.
 *
 * @param parameters setting name to dimension, in draw order
 */
public record SearchSpace(Map<String, Parameter> parameters) {
    /** The empty space: a search over it runs the model's defaults once. */
    public static final SearchSpace EMPTY = new SearchSpace(Map.of());

    /**
     * The built-in spaces, as text; each names only settings of that model's config. The two-tower's
     * {@code logQ} stays on (a one-value dimension, kept so that the draw order does not change):
     * without the correction in-batch negatives demote popular items, and on ML-100K validation every
     * trial with {@code logQ=false} scored NDCG@10 0.07–0.08 against 0.22 with it, wasting half a search.
     * Its ranges were narrowed on ML-100K validation (seed 2020, RecBole protocol; never test): the
     * first 16-trial search chose lr 0.014 and temperature 0.092 at its last trial, and single runs
     * around that setting scored 0.2364 at D = 64 against 0.2249 at D = 128 (with 256-wide towers),
     * 0.2364 / 0.2345 / 0.2338 at historyLength 50 / 100 / 200, and 0.2369 / 0.2333 with
     * historyDropout 0.2 / 0.4. Uniform extra negatives (0.2294 with 256, 0.2273 with 1024) and
     * {@code historyMode=static-minus-target} (0.2286) scored lower and are left out. {@code logQWeight}
     * (added last; it changes which trials a search seed draws) was screened the same way at the
     * tuned setting: 0.1678 / 0.2104 / 0.2364 / 0.2389 / 0.2399 / 0.2341 / 0.2288 for 0.5 / 0.75 / 1 /
     * 1.25 / 1.5 / 1.75 / 2.
     */
    private static final Map<String, Map<String, String>> BUILT_IN = Map.of(
            "two-tower", ordered(
                    "lr", "loguniform(0.007,0.03)",
                    "temperature", "loguniform(0.06,0.15)",
                    "dim", "64",
                    "batch", "choice(256,512,1024)",
                    "logQ", "true",
                    "historyLength", "choice(50,100)",
                    "weightDecay", "choice(0,0.00001,0.0001)",
                    "historyDropout", "choice(0,0.1,0.2,0.3)",
                    "userIdDropout", "choice(0,0.25,0.5)",
                    "logQWeight", "choice(1.25,1.5)"),
            "ease", ordered("lambda", "loguniform(10,5000)"),
            "itemknn", ordered("neighbours", "intlog(10,1000)", "shrink", "choice(0,10,50,100)"),
            "bpr", ordered(
                    "dim", "choice(32,64,128)",
                    "learningRate", "loguniform(0.005,0.2)",
                    "reg", "loguniform(0.001,0.1)"),
            "fm", ordered(
                    "dim", "choice(8,16,32)",
                    "learningRate", "loguniform(0.01,0.2)",
                    "epochs", "int(4,16)",
                    "features", "choice(true,false)"));

    /** Copies, keeping the order. */
    public SearchSpace {
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /**
     * The built-in space of a model.
     *
     * @param model the provider name (any case)
     * @return its space, or {@link #EMPTY} when there is none
     */
    public static SearchSpace builtIn(String model) {
        Map<String, String> text = BUILT_IN.get(model.toLowerCase(Locale.ROOT));
        return text == null ? EMPTY : parse(model, text);
    }

    /**
     * The names of the models with a built-in space.
     *
     * @return the names, sorted
     */
    public static List<String> builtInNames() {
        return BUILT_IN.keySet().stream().sorted().toList();
    }

    /**
     * Reads a space from its text form.
     *
     * @param model the model's name, for messages
     * @param text setting name to {@link Parameter} text, in order
     * @return the space
     * @throws IllegalArgumentException naming the model, every bad key and what was expected
     */
    public static SearchSpace parse(String model, Map<String, String> text) {
        Map<String, Parameter> out = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        text.forEach((key, value) -> {
            if (key == null || key.isBlank()) {
                problems.add("a setting name is empty");
                return;
            }
            try {
                out.put(key.trim(), Parameter.parse(key.trim(), value));
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        });
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Bad search space for " + model + ": " + String.join("; ", problems));
        }
        return new SearchSpace(out);
    }

    /**
     * This space with some dimensions replaced or added (an added key goes last; a replaced one keeps
     * its place).
     *
     * @param model the model's name, for messages
     * @param overrides setting name to {@link Parameter} text
     * @return the new space
     * @throws IllegalArgumentException as {@link #parse}
     */
    public SearchSpace with(String model, Map<String, String> overrides) {
        Map<String, Parameter> merged = new LinkedHashMap<>(parameters);
        merged.putAll(parse(model, overrides).parameters());
        return new SearchSpace(merged);
    }

    /**
     * Draws one setting of every dimension, in order.
     *
     * @param random the source of randomness
     * @return setting name to value, in order
     */
    public Map<String, String> sample(Random random) {
        Map<String, String> out = new LinkedHashMap<>();
        parameters.forEach((key, p) -> out.put(key, p.sample(random)));
        return out;
    }

    /**
     * How many distinct settings this space holds.
     *
     * @return the product of the dimensions' cardinalities, saturating at {@link Long#MAX_VALUE}
     */
    public long cardinality() {
        long n = 1;
        for (Parameter p : parameters.values()) {
            long c = p.cardinality();
            n = n > Long.MAX_VALUE / c ? Long.MAX_VALUE : n * c;
        }
        return n;
    }

    /**
     * The text form of every dimension.
     *
     * @return setting name to {@link Parameter#describe()}, in order
     */
    public Map<String, String> describe() {
        Map<String, String> out = new LinkedHashMap<>();
        parameters.forEach((k, p) -> out.put(k, p.describe()));
        return out;
    }

    /**
     * Reads space overrides from a JSON file: an object of model names, each an object of setting
     * names whose values are {@link Parameter} text (a string), a list of choices (an array), or a
     * fixed value (a number or boolean), e.g.
     * {@code {"two-tower": {"lr": "loguniform(0.001,0.05)", "dim": [32, 64], "epochs": 20}}}.
     *
     * @param file the JSON file
     * @return model name (lower case) to setting name to {@link Parameter} text, in file order
     * @throws IllegalArgumentException naming the file and the offending model or key
     * @throws UncheckedIOException when the file cannot be read
     */
    public static Map<String, Map<String, String>> readOverrides(Path file) {
        JsonNode root;
        try {
            root = JsonMapper.builder().build().readTree(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read search space file " + file, e);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("Search space file " + file + " is not valid JSON: "
                    + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("Search space file " + file
                    + " must hold a JSON object of model names, e.g. {\"ease\": {\"lambda\": \"loguniform(10,5000)\"}}");
        }
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (var model : root.properties()) {
            if (!model.getValue().isObject()) {
                problems.add("model '" + model.getKey() + "' must map to an object of settings");
                continue;
            }
            Map<String, String> settings = out.computeIfAbsent(model.getKey().toLowerCase(Locale.ROOT),
                    k -> new LinkedHashMap<>());
            for (var setting : model.getValue().properties()) {
                JsonNode v = setting.getValue();
                String where = model.getKey() + "." + setting.getKey();
                if (v.isString()) {
                    settings.put(setting.getKey(), v.asString());
                } else if (v.isNumber() || v.isBoolean()) {
                    settings.put(setting.getKey(), v.asString());
                } else if (v.isArray() && !v.isEmpty()) {
                    List<String> values = new ArrayList<>();
                    boolean ok = true;
                    for (JsonNode e : v) {
                        ok &= e.isValueNode() && !e.isNull();
                        values.add(e.asString());
                    }
                    if (ok) {
                        settings.put(setting.getKey(), "choice(" + String.join(",", values) + ")");
                    } else {
                        problems.add(where + " must be an array of plain values");
                    }
                } else {
                    problems.add(where + " must be a string (" + Parameter.FORMS + "), a non-empty array or a"
                            + " number or boolean");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Bad search space file " + file + ": " + String.join("; ", problems));
        }
        return out;
    }

    private static Map<String, String> ordered(String... keyValues) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            out.put(keyValues[i], keyValues[i + 1]);
        }
        return Collections.unmodifiableMap(out);
    }
}
