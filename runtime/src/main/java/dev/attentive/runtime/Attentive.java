package dev.attentive.runtime;

import dev.attentive.api.Dataset;
import dev.attentive.api.spi.EpochStats;
import dev.attentive.eval.runner.ModelSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The entry point for host applications: from code or from one JSON/YAML config file to a
 * thread-safe {@link ServingRecommender}.
 *
 * <pre>{@code
 * // From a config file (keys, defaults and ranges: runtime/CONFIG.md)
 * try (ServingRecommender recommender = Attentive.fromConfig(Path.of("attentive.yaml")).build()) {
 *     List<Recommendation> top = recommender.recommend(RecommendationRequest.forUser(UserId.of("u1")).build());
 * }
 *
 * // From code
 * ServingRecommender recommender = Attentive.builder()
 *         .data(dataset)                                  // or .dataSpec(path), or .load(savedModelDir)
 *         .model("two-tower[dim=32,epochs=20]")
 *         .retriever("lucene-hnsw[fanout=50]")
 *         .indexDirectory(Path.of("/var/lib/shop/attentive"))
 *         .holdout(0.1, Attentive.HoldoutOrder.LATEST)   // early stopping on NDCG@10
 *         .build();
 * }</pre>
 *
 * <p>{@link Builder#build()} validates everything before it loads data or trains — unknown keys,
 * values of the wrong type, missing files and directories, unknown model, retriever and plugin names,
 * invalid settings — and reports every problem at once in one {@link AttentiveConfigException} whose
 * message is one line naming each place (file, line and column; or the key) and the fix.
 *
 * @since 0.2.0
 */
public final class Attentive {
    private Attentive() {
    }

    /**
     * A builder for configuring in code. Errors name each value by its config-file key (each method
     * says which it sets).
     *
     * @return a new builder with every default
     */
    public static Builder builder() {
        return new Builder(new Spec());
    }

    /**
     * A builder holding what a JSON ({@code .json}, or any other name) or YAML ({@code .yaml},
     * {@code .yml}) config file says; relative paths in it resolve against the file's folder. The
     * builder's methods override the file's values. Problems in the file (a missing or unreadable
     * file, unknown keys, wrong types) are reported by {@link Builder#build()} together with every
     * other problem.
     *
     * @param configFile the config file
     * @return a builder with the file's values
     */
    public static Builder fromConfig(Path configFile) {
        Objects.requireNonNull(configFile, "configFile");
        Spec spec = new Spec();
        ConfigFile.read(configFile, spec);
        return new Builder(spec);
    }

    /** Which of a user's interactions are held out for early stopping. */
    public enum HoldoutOrder {
        /** The latest when every interaction has a timestamp, otherwise a random share (the default). */
        AUTO,
        /** The latest by timestamp (ties in source order); every interaction needs a timestamp. */
        LATEST,
        /** A random share, drawn with the training seed. */
        RANDOM
    }

    /**
     * Configures a {@link ServingRecommender}. Each setter replaces an earlier value (from the file or
     * an earlier call). Not thread safe.
     *
     * @since 0.2.0
     */
    public static final class Builder {
        private final Spec spec;
        private Consumer<EpochStats> progress = s -> { };

        private Builder(Spec spec) {
            this.spec = spec;
        }

        /**
         * Trains on a dataset given in code (config key {@code data}); replaces any other data source.
         *
         * @param dataset the training data
         * @return this builder
         */
        public Builder data(Dataset dataset) {
            spec.data = new Spec.InMemory("data", Objects.requireNonNull(dataset, "dataset"));
            return this;
        }

        /**
         * Trains on the files a dataset spec describes (config key {@code data.spec}): a JSON or YAML
         * spec of a CSV/TSV interactions file and optional user and item feature tables, as
         * {@code dev.attentive.eval.data.DatasetSpec} reads it. Replaces any other data source.
         *
         * @param specFile the spec file; relative to the working directory unless absolute
         * @return this builder
         */
        public Builder dataSpec(Path specFile) {
            spec.data = new Spec.SpecFile("data.spec", resolve(specFile));
            return this;
        }

        /**
         * Serves a saved model instead of training one (config key {@code model.load}).
         *
         * @param savedModelDir a directory written by {@code TwoTowerModels.save}
         * @return this builder
         */
        public Builder load(Path savedModelDir) {
            spec.load = resolve(savedModelDir);
            return this;
        }

        /**
         * The model to train, by provider name with optional settings in brackets (config key
         * {@code model}): {@code two-tower} (the default) or {@code two-tower[dim=32,epochs=20]}. List
         * settings use {@code |} inside brackets ({@code userWidths=256|128}). Replaces earlier
         * settings given with the spec form; {@link #modelSetting} adds to them.
         *
         * @param modelSpec the provider name, optionally with settings (malformed brackets are reported
         *     by {@link #build()} with every other problem)
         * @return this builder
         */
        public Builder model(String modelSpec) {
            ModelSpec parsed = parse("model", modelSpec, "two-tower[dim=32,epochs=20]");
            if (parsed != null) {
                spec.modelName = parsed.name();
                spec.modelSettings.clear();
                spec.modelSettings.putAll(parsed.settings());
            }
            return this;
        }

        /**
         * Sets one model setting (config key {@code model.settings.KEY}); plugin settings are prefixed
         * with the plugin's setting, e.g. {@code attention.heads}.
         *
         * @param key the setting
         * @param value a string, number, boolean, or a list of them
         * @return this builder
         */
        public Builder modelSetting(String key, Object value) {
            spec.modelSettings.put(Objects.requireNonNull(key, "key"), text(value));
            return this;
        }

        /**
         * The retriever that serves the model's item vectors (config key {@code retriever}), by name with
         * optional settings: {@code exact} or {@code lucene-hnsw[fanout=50]}. Unset, a trained model
         * serves through the retriever its settings name (two-tower: {@code exact}) and a loaded model
         * through the one it was saved with.
         *
         * @param retrieverSpec the retriever name, optionally with settings (malformed brackets are
         *     reported by {@link #build()} with every other problem)
         * @return this builder
         */
        public Builder retriever(String retrieverSpec) {
            ModelSpec parsed = parse("retriever", retrieverSpec, "lucene-hnsw[fanout=50]");
            if (parsed != null) {
                spec.retrieverName = parsed.name();
                spec.retrieverSettings.clear();
                spec.retrieverSettings.putAll(parsed.settings());
            }
            return this;
        }

        /**
         * Sets one retriever setting (config key {@code retriever.settings.KEY}).
         *
         * @param key the setting
         * @param value a string, number, boolean, or a list of them
         * @return this builder
         */
        public Builder retrieverSetting(String key, Object value) {
            spec.retrieverSettings.put(Objects.requireNonNull(key, "key"), text(value));
            return this;
        }

        /**
         * The serving directory (config key {@code indexDirectory}): the catalogue journal, the committed
         * model and the retriever's persistent index live there, so the recommender comes back after a
         * restart or crash with every acknowledged catalogue change. Created when absent; it must be
         * empty or a serving directory. Unset (the default), everything is kept in memory.
         *
         * @param directory the directory
         * @return this builder
         */
        public Builder indexDirectory(Path directory) {
            spec.indexDirectory = resolve(directory);
            return this;
        }

        /**
         * The training seed (config key {@code training.seed}; default 2020).
         *
         * @param seed the seed
         * @return this builder
         */
        public Builder seed(long seed) {
            spec.seed = seed;
            return this;
        }

        /**
         * The training threads (config key {@code training.threads}; default: every processor).
         *
         * @param threads at least 1
         * @return this builder
         */
        public Builder threads(int threads) {
            spec.threads = threads;
            return this;
        }

        /**
         * Holds out a share of each user's interactions for early stopping on NDCG@10 (config keys
         * {@code training.validation.holdout} and {@code .order}); replaces {@link #validation}.
         *
         * @param fraction the share in (0, 1); a user with {@code n >= 2} interactions holds out
         *     {@code round(fraction * n)}, at least 1 and at most {@code n - 1}
         * @param order which interactions
         * @return this builder
         */
        public Builder holdout(double fraction, HoldoutOrder order) {
            spec.holdout = fraction;
            spec.holdoutOrder = Objects.requireNonNull(order, "order").name();
            spec.validationData = null;
            return this;
        }

        /**
         * Stops training early on NDCG@10 over a separate validation dataset (config key
         * {@code training.validation.data}); replaces {@link #holdout}.
         *
         * @param validation the validation interactions (their users and items as in the training data)
         * @return this builder
         */
        public Builder validation(Dataset validation) {
            spec.validationData = new Spec.InMemory("training.validation.data",
                    Objects.requireNonNull(validation, "validation"));
            spec.holdout = null;
            spec.holdoutOrder = null;
            return this;
        }

        /**
         * Receives each training epoch's statistics (loss, throughput, validation metric), for progress
         * output. Default: none.
         *
         * @param listener the listener, called on the training thread
         * @return this builder
         */
        public Builder progress(Consumer<EpochStats> listener) {
            this.progress = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Checks everything {@link #build()} checks before training, without loading data or training:
         * for a command that validates a config file.
         *
         * @throws AttentiveConfigException listing every problem
         */
        public void validate() {
            Plan.check(spec);
        }

        /**
         * Validates everything (see {@link Attentive}), then opens the index directory (when set) and
         * serves its committed model — or, when it has none, trains the model (or loads the saved one),
         * commits it there, and replays the catalogue journal onto it.
         *
         * @return the serving recommender; close it when the application stops
         * @throws AttentiveConfigException listing every problem with the configuration, before any
         *     training
         * @throws dev.attentive.eval.data.DataFormatException when a data file is malformed (file, line, field)
         * @throws IllegalStateException when the index directory is in use by another recommender, or its
         *     journal does not fit the model
         * @throws java.io.UncheckedIOException when the index directory or model files cannot be read or written
         */
        public ServingRecommender build() {
            return ServingRecommender.open(Plan.check(spec), progress);
        }

        /** What this builder holds so far (for the package's tests). */
        Spec spec() {
            return spec;
        }

        /** Parses the string form, recording a malformed one as a problem for {@link #build()} to report. */
        private ModelSpec parse(String key, String text, String example) {
            Objects.requireNonNull(text, key);
            try {
                return ModelSpec.parse(text);
            } catch (IllegalArgumentException e) {
                spec.problems.add("'" + key + "' = '" + text + "' is not name[key=value,...]: " + e.getMessage()
                        + " (write e.g. " + example + ")");
                return null;
            }
        }

        private Path resolve(Path p) {
            return spec.base.resolve(Objects.requireNonNull(p, "path")).normalize();
        }

        private static String text(Object value) {
            Objects.requireNonNull(value, "value");
            if (value instanceof List<?> list) {
                return list.stream().map(String::valueOf).collect(Collectors.joining(","));
            }
            if (value instanceof Map<?, ?>) {
                throw new IllegalArgumentException("A setting value is a string, number, boolean or list, not a map; "
                        + "write a plugin's settings with a prefix, e.g. attention.heads");
            }
            return String.valueOf(value);
        }
    }
}
