package dev.attentive.runtime;

import dev.attentive.api.spi.ConfigException;
import dev.attentive.api.spi.ModelProvider;
import dev.attentive.api.spi.ProviderRegistry;
import dev.attentive.api.spi.RetrieverProvider;
import dev.attentive.api.spi.UnknownProviderException;
import dev.attentive.eval.data.DataFormatException;
import dev.attentive.eval.data.DatasetSpec;
import dev.attentive.model.TwoTowerModelProvider;
import dev.attentive.model.TwoTowerModels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import tools.jackson.databind.json.JsonMapper;

/**
 * A checked {@link Spec}: everything needed to build a serving recommender, validated before any
 * data is loaded or any model trained. {@link #check} reports every problem at once in one
 * {@link AttentiveConfigException}. Immutable.
 *
 * @param origin where the config came from, for messages
 * @param data the training data, or null when a saved model is served
 * @param load the saved model directory, or null when training
 * @param modelName the model provider's name (null with {@code load})
 * @param modelSettings the provider's settings as given
 * @param retriever the retriever that serves the model's item vectors, or null for the model's own
 * @param indexDirectory the serving directory (journal, models, persistent index), or null for none
 * @param seed the training seed
 * @param threads the training threads
 * @param validation how early stopping is measured
 * @param fingerprint a digest of what produces the model (data, model and training settings)
 */
record Plan(String origin, Spec.DataChoice data, Path load, String modelName, Map<String, String> modelSettings,
        Retrieval retriever, Path indexDirectory, long seed, int threads, Validation validation, String fingerprint) {

    /** Validates the plan's own invariants (never null where a value is required). */
    Plan {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(validation, "validation");
        if ((data == null) == (load == null)) {
            throw new IllegalArgumentException("a plan serves trained data or a saved model, exactly one");
        }
    }

    /** The training seed when none is given (the command line's default too). */
    static final long DEFAULT_SEED = 2020;
    /** The model trained when none is named. */
    static final String DEFAULT_MODEL = "two-tower";
    /** The models whose retriever {@code retriever} can choose (a two-stage model serves its own retrieval). */
    static final List<String> RETRIEVING_MODELS = List.of("two-tower");

    /** The serving retriever and its settings (validated by its provider). */
    record Retrieval(String name, Map<String, String> settings) {
        Retrieval {
            settings = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        }
    }

    /** How early stopping is measured. */
    sealed interface Validation {
    }

    /** No validation: the model trains its configured epochs. */
    record NoValidation() implements Validation {
    }

    /** A share of each user's interactions held out. */
    record Holdout(double fraction, Attentive.HoldoutOrder order) implements Validation {
    }

    /** A separate validation dataset. */
    record ValidationData(Spec.DataChoice data) implements Validation {
    }

    /**
     * Checks a spec.
     *
     * @param spec what was asked for
     * @return the plan
     * @throws AttentiveConfigException listing every problem
     */
    static Plan check(Spec spec) {
        List<String> problems = new ArrayList<>(spec.problems);
        if (spec.unreadable) {
            throw new AttentiveConfigException(spec.origin, problems);
        }
        // With both data and a saved model given, that is the one problem; the rest is checked as for training.
        boolean training = spec.load == null || spec.data != null;
        if (spec.data != null && spec.load != null) {
            problems.add("give training data or a saved model, not both: remove 'data' (" + spec.data.key()
                    + ") or 'model.load' (" + spec.load + ")");
        } else if (spec.data == null && spec.load == null && !spec.dataKeyGiven) {
            problems.add("nothing to serve: set 'data' (training data: spec, movielens or synthetic) or 'model.load' "
                    + "(a directory a model was saved to)");
        }
        if (spec.data != null) {
            checkData(spec.data, problems);
        }
        if (spec.load != null) {
            checkModelDirectory(spec.load, problems);
        }

        String modelName = null;
        if (training) {
            modelName = spec.modelName == null ? DEFAULT_MODEL : spec.modelName;
            checkModel(modelName, spec.modelSettings, problems);
        } else if (spec.modelName != null || !spec.modelSettings.isEmpty()) {
            problems.add("'model.name' and 'model.settings' choose what to train, but 'model.load' serves a saved model "
                    + "with its saved settings; remove them or remove 'model.load'");
        }

        Retrieval retrieval = null;
        if (spec.retrieverName != null) {
            retrieval = checkRetriever(spec.retrieverName, spec.retrieverSettings, problems);
            if (training && modelName != null && ProviderRegistry.models().find(modelName).isPresent()
                    && !RETRIEVING_MODELS.contains(modelName.toLowerCase(Locale.ROOT))) {
                problems.add("'retriever' chooses how a " + String.join(" or ", RETRIEVING_MODELS) + " model serves "
                        + "its item vectors, but model '" + modelName + "' does not serve through it ("
                        + (modelName.equalsIgnoreCase("two-stage") ? "a two-stage model serves its own retrieval: set "
                                + "retrieval.retriever in its settings" : "it ranks items itself") + "); remove 'retriever'");
            }
            String format = training ? null : savedFormat(spec.load);
            if (format != null && !format.equals(TwoTowerModels.FORMAT)) {
                problems.add("'retriever' chooses how a two-tower model serves its item vectors, but " + spec.load
                        + " holds a " + format + " model, which serves its own retrieval; remove 'retriever'");
            }
        } else if (!spec.retrieverSettings.isEmpty()) {
            problems.add("'retriever.settings' is given without 'retriever.name'; name the retriever, e.g. lucene-hnsw");
        }

        Validation validation = checkTraining(spec, training, problems);
        if (spec.indexDirectory != null) {
            checkIndexDirectory(spec.indexDirectory, problems);
        }
        if (!problems.isEmpty()) {
            throw new AttentiveConfigException(spec.origin, problems);
        }
        long seed = spec.seed == null ? DEFAULT_SEED : spec.seed;
        int threads = spec.threads == null ? Runtime.getRuntime().availableProcessors() : spec.threads;
        Map<String, String> settings = new LinkedHashMap<>(spec.modelSettings);
        return new Plan(spec.origin, spec.data, spec.load, modelName, java.util.Collections.unmodifiableMap(settings),
                retrieval, spec.indexDirectory, seed, threads, validation,
                fingerprint(spec, modelName, seed, threads, validation));
    }

    private static void checkData(Spec.DataChoice choice, List<String> problems) {
        switch (choice) {
            case Spec.InMemory m -> {
                if (m.dataset().interactions().isEmpty()) {
                    problems.add("'" + m.key() + "': the dataset '" + m.dataset().name() + "' has no interactions");
                }
            }
            case Spec.SpecFile f -> {
                if (!Files.isRegularFile(f.file())) {
                    problems.add("'" + f.key() + "': no file " + f.file() + " (the dataset spec that describes the "
                            + "data files; a relative path resolves against the config file's folder)");
                    return;
                }
                DatasetSpec ds;
                try {
                    ds = DatasetSpec.read(f.file());
                } catch (DataFormatException e) {
                    problems.add("'" + f.key() + "': " + e.getMessage());
                    return;
                }
                Path base = f.file().getParent();
                checkDataFile(f, "interactions", ds.interactions(), base, problems);
                checkDataFile(f, "users", ds.users(), base, problems);
                checkDataFile(f, "items", ds.items(), base, problems);
            }
            case Spec.MovieLensFolder m -> {
                if (!Files.isDirectory(m.folder())) {
                    problems.add("'" + m.key() + "': no folder " + m.folder() + " (a MovieLens release such as "
                            + "ml-100k, unpacked; the fetch command downloads one)");
                }
            }
            case Spec.Synthetic s -> {
                // Its settings were checked when read; a null config already has its problem recorded.
            }
        }
    }

    /** The format a saved model's manifest names, or null when it cannot be read (that is reported elsewhere). */
    private static String savedFormat(Path dir) {
        try {
            String format = JsonMapper.builder().build().readTree(dir.resolve("model.json").toFile()).path("format")
                    .asString("");
            return format.isEmpty() ? null : format;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static void checkDataFile(Spec.SpecFile spec, String table, DatasetSpec.Table t, Path base,
            List<String> problems) {
        if (t == null) {
            return;
        }
        Path file = base.resolve(t.file()).normalize();
        if (!Files.isRegularFile(file)) {
            problems.add("'" + spec.key() + "': the " + table + " file " + file + " named by " + spec.file()
                    + " does not exist");
        }
    }

    private static void checkModelDirectory(Path dir, List<String> problems) {
        if (!Files.isDirectory(dir)) {
            problems.add("'model.load': no directory " + dir + " (the saved model to serve; save one with "
                    + "TwoTowerModels.save or recommend --save)");
        } else if (!Files.isRegularFile(dir.resolve("model.json"))) {
            problems.add("'model.load': " + dir + " is not a saved model: it has no model.json (name the directory "
                    + "that TwoTowerModels.save wrote)");
        }
    }

    private static void checkModel(String name, Map<String, String> settings, List<String> problems) {
        ModelProvider<?> provider;
        try {
            provider = ProviderRegistry.models().get(name);
        } catch (UnknownProviderException e) {
            problems.add("'model.name': " + e.getMessage());
            return;
        }
        Record config = null;
        try {
            config = provider.configure(settings);
        } catch (ConfigException e) {
            for (String p : e.problems()) {
                problems.add("'model.settings' of " + provider.name() + ": " + p);
            }
        } catch (IllegalArgumentException e) {
            problems.add("'model.settings' of " + provider.name() + ": " + e.getMessage());
        }
        if (config == null && provider instanceof TwoTowerModelProvider) {
            // Another setting is wrong; the plugin names may still be checked, with the defaults for the rest.
            config = pluginSettingsOnly(provider, settings);
        }
        if (config instanceof TwoTowerModelProvider.Config c) {
            checkTwoTowerPlugins(c, problems);
        }
    }

    private static Record pluginSettingsOnly(ModelProvider<?> provider, Map<String, String> settings) {
        Map<String, String> plugins = new LinkedHashMap<>();
        settings.forEach((k, v) -> {
            String key = k.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
            if (PLUGIN_SETTINGS.contains(key) || PLUGIN_PREFIXES.stream().anyMatch(key::startsWith)) {
                plugins.put(k, v);
            }
        });
        try {
            return provider.configure(plugins);
        } catch (IllegalArgumentException e) {
            return null; // the plugin settings themselves are malformed, and already reported
        }
    }

    /** The two-tower settings that name plugins or carry their settings (lowercase, without - and _). */
    private static final List<String> PLUGIN_SETTINGS = List.of("attention", "historyattention", "tower", "retriever",
            "attentionsettings", "historyattentionsettings", "retrieversettings");
    private static final List<String> PLUGIN_PREFIXES = List.of("attention.", "historyattention.", "retriever.");

    /**
     * The two-tower model's plugins, found by name with their settings bound, so that a misspelt
     * plugin is reported with every other problem instead of when training starts.
     */
    private static void checkTwoTowerPlugins(TwoTowerModelProvider.Config c, List<String> problems) {
        for (String problem : TwoTowerModelProvider.pluginProblems(c)) {
            problems.add("'model.settings' of two-tower: " + problem);
        }
    }

    private static Retrieval checkRetriever(String name, Map<String, String> settings, List<String> problems) {
        RetrieverProvider<?> provider;
        try {
            provider = ProviderRegistry.retrievers().get(name);
        } catch (UnknownProviderException e) {
            problems.add("'retriever.name': " + e.getMessage());
            return null;
        }
        Map<String, String> own = new LinkedHashMap<>();
        settings.forEach((k, v) -> {
            if (k.equalsIgnoreCase("path")) {
                problems.add("'retriever.settings.path': the index location is set by 'indexDirectory' (each model "
                        + "gets its own index in it); remove 'path' and set 'indexDirectory'");
            } else {
                own.put(k, v);
            }
        });
        try {
            provider.configure(own);
        } catch (ConfigException e) {
            for (String p : e.problems()) {
                problems.add("'retriever.settings' of " + provider.name() + ": " + p);
            }
        } catch (IllegalArgumentException e) {
            problems.add("'retriever.settings' of " + provider.name() + ": " + e.getMessage());
        }
        return new Retrieval(provider.name(), own);
    }

    private static Validation checkTraining(Spec spec, boolean training, List<String> problems) {
        if (!training) {
            List<String> given = new ArrayList<>();
            if (spec.seed != null) {
                given.add("training.seed");
            }
            if (spec.threads != null) {
                given.add("training.threads");
            }
            if (spec.holdout != null || spec.holdoutOrder != null || spec.validationData != null) {
                given.add("training.validation");
            }
            if (!given.isEmpty()) {
                problems.add(String.join(", ", given) + " apply to training, but 'model.load' serves a saved model; "
                        + "remove them or remove 'model.load'");
            }
            return new NoValidation();
        }
        if (spec.threads != null && spec.threads < 1) {
            problems.add("'training.threads' must be at least 1, got " + spec.threads);
        }
        Attentive.HoldoutOrder order = Attentive.HoldoutOrder.AUTO;
        if (spec.holdoutOrder != null) {
            try {
                order = Attentive.HoldoutOrder.valueOf(spec.holdoutOrder.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                problems.add("'training.validation.order' must be auto, latest or random, got '" + spec.holdoutOrder
                        + "'");
            }
            if (spec.holdout == null) {
                problems.add("'training.validation.order' needs 'training.validation.holdout', the share of each "
                        + "user's interactions to hold out (e.g. 0.1)");
            }
        }
        if (spec.holdout != null && spec.validationData != null) {
            problems.add("'training.validation.holdout' and 'training.validation.data' both choose the validation "
                    + "data; keep one");
            return new NoValidation();
        }
        if (spec.holdout != null) {
            double f = spec.holdout;
            if (!(f > 0 && f < 1)) {
                problems.add("'training.validation.holdout' must be a fraction in (0, 1) of each user's interactions, "
                        + "e.g. 0.1, got " + f);
                return new NoValidation();
            }
            return new Holdout(f, order);
        }
        if (spec.validationData != null) {
            checkData(spec.validationData, problems);
            return new ValidationData(spec.validationData);
        }
        return new NoValidation();
    }

    private static void checkIndexDirectory(Path dir, List<String> problems) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            problems.add("'indexDirectory': " + dir + " is a file; name a directory (it is created when absent)");
            return;
        }
        if (!Files.isDirectory(dir) || ServingDirectory.isServingDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            if (entries.iterator().hasNext()) {
                problems.add("'indexDirectory': " + dir + " is not empty and holds no Attentive serving state ("
                        + ServingDirectory.STATE + ", " + ServingDirectory.JOURNAL + " or " + ServingDirectory.LOCK
                        + "); name an empty or new directory");
            }
        } catch (IOException e) {
            problems.add("'indexDirectory': cannot list " + dir + ": " + e.getMessage());
        }
    }

    /** A digest of what produces the model, so a restart can tell that the config changed since. */
    private static String fingerprint(Spec spec, String modelName, long seed, int threads, Validation validation) {
        Map<String, String> parts = new TreeMap<>();
        parts.put("data", describe(spec.data));
        parts.put("load", String.valueOf(spec.load));
        parts.put("model", String.valueOf(modelName));
        parts.put("settings", new TreeMap<>(spec.modelSettings).toString());
        parts.put("seed", Long.toString(seed));
        parts.put("threads", Integer.toString(threads));
        parts.put("validation", validation instanceof ValidationData v ? describe(v.data()) : validation.toString());
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(parts.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    private static String describe(Spec.DataChoice choice) {
        return switch (choice) {
            case null -> "none";
            case Spec.InMemory m -> "dataset " + m.dataset().name() + " " + m.dataset().interactions().size() + " "
                    + m.dataset().interactions().hashCode() + " " + m.dataset().items().rows().size();
            case Spec.SpecFile f -> "spec " + f.file();
            case Spec.MovieLensFolder m -> "movielens " + m.folder();
            case Spec.Synthetic s -> "synthetic " + s.config() + " " + s.seed();
        };
    }
}
