package dev.attentive.model;

import dev.attentive.api.Dataset;
import dev.attentive.api.FieldSpec;
import dev.attentive.api.Recommender;
import dev.attentive.api.spi.ConfigException;
import dev.attentive.api.spi.ModelInputs;
import dev.attentive.api.spi.ModelProvider;
import dev.attentive.api.spi.Provider;
import dev.attentive.api.spi.ProviderRegistry;
import dev.attentive.api.spi.TowerProvider;
import dev.attentive.api.spi.UnknownProviderException;
import dev.attentive.api.spi.TrainingContext;
import dev.attentive.model.nn.TwoTowerModel;
import dev.attentive.model.train.Trainer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code two-tower} model: a user tower and an item tower whose unit embeddings' dot product
 * ranks items, trained with an in-batch sampled softmax (temperature, logQ correction, accidental
 * hits removed, optional uniform extra negatives) or, with {@code softmax=full}, a softmax over the
 * whole catalogue. Field embeddings are pooled by an
 * {@link dev.attentive.api.Attention} plugin named in the config and mapped by a
 * {@link dev.attentive.api.Tower} plugin; the trained model serves through a
 * {@link dev.attentive.api.Retriever} plugin. Thread safe; {@link #train} may run concurrently
 * for different datasets.
 *
 * <p>Use it by name: {@code ProviderRegistry.models().get("two-tower").train(dataset,
 * Map.of("attention", "mean", "epochs", "20"), TrainingContext.of(2020))}. Save and load trained
 * models with {@link TwoTowerModels}.
 *
 * <p>Explanations ({@code RecommendationRequest.explain(true)}; nothing is computed otherwise): the
 * score {@code s = u . v} is split over the user fields by linearising the user tower at the request:
 * field {@code f}, entering the tower's input as {@code d_f}, contributes {@code c_f = g . d_f} with
 * {@code g} the gradient of {@code r . v / |r|} in the tower's input (the norm of the tower output
 * {@code r} held fixed), the first-order change of the score when the field's vector is scaled; the
 * rest of the score (biases and nonlinearity) is the contribution named {@code (nonlinear)}, so the
 * contributions sum to the score. With a field attention that concatenates ({@code concat-mlp}, the
 * default: output width fields x dim, {@code d_f} the field's block) the attention weights mean
 * nothing, so the user field weights are the normalised contribution magnitudes
 * {@code |c_f| / sum |c|}, and the item field weights are the same for the item tower linearised at
 * the item against {@code u}; with a pooling attention (output width dim, {@code d_f = w_f x_f}) the
 * field weights are the attention weights. The history item weights are the history attention's.
 * An explained request costs, beyond a plain one, the user's forward pass and one forward-mode pass
 * per user field through the user tower; the item side's terms are computed once per item and cached.
 */
public final class TwoTowerModelProvider implements ModelProvider<TwoTowerModelProvider.Config> {
    /** The provider name. */
    public static final String NAME = "two-tower";

    /** The retriever setting that names an index directory, by the convention of {@code lucene-hnsw}. */
    static final String INDEX_PATH = "path";

    /** Creates the provider (for {@link java.util.ServiceLoader}). */
    public TwoTowerModelProvider() {
    }

    /** The optimiser of the two-tower model (own float implementations). */
    public enum Optimiser {
        /** Adam (Kingma and Ba), weight decay added to the gradient. */
        ADAM,
        /** Adam with decoupled weight decay (Loshchilov and Hutter). */
        ADAMW,
        /** Adagrad. */
        ADAGRAD
    }

    /** Which items form the user's history field during training. */
    public enum HistoryMode {
        /** The most recent training items strictly before the interaction being learned (no leak of the target). */
        CAUSAL,
        /**
         * The user's most recent training items, the same for every interaction of the user (as served);
         * the target item may be among them.
         */
        STATIC,
        /**
         * The static history without the item being learned: the user's most recent training items,
         * leaving out every occurrence of the interaction's own item. Served like {@code static} (a
         * served user's history holds no test item either), so training no longer rewards finding the
         * target in the history.
         *
         * @since 0.2.0
         */
        STATIC_MINUS_TARGET
    }

    /**
     * The candidates of the training softmax.
     *
     * @since 0.2.0
     */
    public enum Softmax {
        /**
         * The batch's positives (and {@code negatives} uniform extra ones), with the logQ correction
         * when {@code logQ} is on and accidental hits removed: the cost of a step grows with the batch,
         * not the catalogue.
         */
        SAMPLED,
        /**
         * Every catalogue item, each step: the item tower runs over the whole catalogue (with its
         * training dropout) and each row's target competes with every other item, the user's other
         * items included. Nothing is sampled, so {@code logQ} does not apply (it is ignored) and
         * {@code negatives} must be 0. A step costs the item tower's pass over the catalogue and a
         * {@code batch x items} logit matrix, affordable for catalogues of some thousands of items.
         */
        FULL
    }

    /**
     * The model's hyper-parameters. Defaults follow the ML-100K reference shape.
     *
     * @param dim the embedding dimension D of every field vector and of the output (default 64)
     * @param tower the tower plugin of both sides (default {@code mlp})
     * @param userWidths the user tower's hidden widths, for {@code mlp} (default {@code [128]})
     * @param itemWidths the item tower's hidden widths, for {@code mlp} (default {@code [128]})
     * @param activation the {@code mlp} activation, {@code relu} or {@code gelu} (default relu)
     * @param attention the field attention plugin of both towers (default {@code concat-mlp}: the best
     *     of the ML-100K ablation under both protocols, see the README; {@code attention-pooling} when the
     *     field weights of explanations should mean something)
     * @param historyAttention the plugin pooling the user's recent items, or {@code none} for no
     *     history field (default {@code mean}; chosen on ML-100K validation NDCG@10, seed 2020, see
     *     {@code historyMode})
     * @param historyLength how many recent items the history holds (default 50)
     * @param historyMode {@code causal}, {@code static} or {@code static-minus-target} history during
     *     training (default static: on ML-100K, seed 2020, lr 0.005, the best validation NDCG@10 was
     *     0.174 causal, 0.216 static, 0.211 without history); serving always uses the user's most recent
     *     items
     * @param historyDropout during training only, the probability that each history item of a training
     *     row is left out of that row's history, drawn anew at every step (default 0: none; a denoising
     *     regulariser, as Mult-DAE's input dropout); serving always sees the whole history
     * @param userIdDropout during training only, the probability that a training row's user id is hidden
     *     (the row is encoded as an unknown user with the same features and history), drawn per row and
     *     step (default 0: never; the tower learns to rank from features and history, not only from a
     *     per-user vector); a known user is served with its id
     * @param attentionSettings settings of the field attention plugin, {@code key=value} pairs separated by
     *     {@code ;} (default empty); settings keys prefixed {@code attention.} are added here
     * @param historyAttentionSettings settings of the history attention plugin, in the same form
     *     (default empty); settings keys prefixed {@code historyAttention.} are added here
     * @param context whether hour-of-day and day-of-week of the interaction enter the user tower
     *     (request features {@code hour} and {@code dayOfWeek} at serving; default false)
     * @param temperature the softmax temperature, or its start value when learned (default 0.07)
     * @param learnTemperature whether the temperature is trained (default false)
     * @param logQ whether the logQ correction is applied (default true; only {@code softmax=sampled}
     *     samples, so {@code softmax=full} ignores it)
     * @param logQWeight how much of the logQ correction is applied: each candidate's logit loses
     *     {@code logQWeight * log q} (default 1.5; 1 is the correction that makes the sampled softmax an
     *     unbiased estimate of the full one, what 0.1.x and earlier 0.2.0 snapshots trained with). Above 1
     *     the training favours frequent items, below 1 it holds them back. 1.5 was chosen on validation NDCG@10:
     *     ML-100K (RecBole protocol and temporal leave-one-out) and ML-1M (RecBole protocol) all scored
     *     higher with it than with 1 (README, COMPATIBILITY). Training only; ignored where {@code logQ}
     *     is off or {@code softmax=full}; a saved model without the setting was trained with 1
     * @param negatives extra uniformly sampled negatives per batch (default 0); must be 0 with
     *     {@code softmax=full}
     * @param softmax the training softmax, {@code sampled} (the batch's items, default) or {@code full}
     *     (every catalogue item; {@code logQ} is then ignored, nothing being sampled); see {@link Softmax}
     * @param epochs the maximum number of epochs (default 30)
     * @param batch the mini-batch size (default 1024)
     * @param lr the learning rate (default 0.02: on ML-100K with static history the best validation
     *     NDCG@10 rose from 0.200 at 1e-3 to 0.229 at 0.02)
     * @param optimiser {@code adam}, {@code adamw} or {@code adagrad} (default adam)
     * @param weightDecay the weight decay (default 0)
     * @param clipNorm the global gradient norm clip, 0 for none (default 0)
     * @param weightAverage the decay of an exponential moving average of the weights (Polyak averaging),
     *     0 for none (default 0). Above 0, after every step each weight's average moves towards it by
     *     {@code 1 - min(weightAverage, (1 + t) / (10 + t))} at step {@code t} (the warm-up of TensorFlow's
     *     {@code ExponentialMovingAverage}, so early averages are not held at the initialisation); each
     *     epoch is validated with the averaged weights and the model is the best epoch's average.
     *     0.99 averages over about a hundred steps. It costs a pass over every weight per step, the
     *     embedding tables included, and a copy of them in memory. Training only: serving reads the
     *     weights as saved
     * @param patience epochs without validation improvement before stopping (default 5)
     * @param maxVocabulary categorical fields with more training values are hashed (default 10000)
     * @param hashBuckets the buckets of a hashed field (default 4096)
     * @param numericBuckets quantile buckets of numeric fields, 0 to standardise instead (default 10)
     * @param retriever the retriever plugin serving item vectors (default {@code exact}); it may carry
     *     its settings in brackets, separated by {@code ,} or {@code ;}:
     *     {@code lucene-hnsw[fanout=50,maxConn=32]} is {@code retriever=lucene-hnsw} with
     *     {@code retrieverSettings=fanout=50;maxConn=32} (the config keeps the two apart)
     * @param retrieverSettings settings of the retriever plugin, {@code key=value} pairs separated by
     *     {@code ;} (default empty); settings keys prefixed {@code retriever.} are added here, after
     *     those given in brackets. Training refuses a {@code path}: an index directory is chosen when
     *     serving (see {@code TwoTowerModels.serve})
     */
    public record Config(int dim, String tower, List<Integer> userWidths, List<Integer> itemWidths, String activation,
            String attention, String historyAttention, int historyLength, HistoryMode historyMode,
            double historyDropout, double userIdDropout, String attentionSettings, String historyAttentionSettings, boolean context,
            double temperature,
            boolean learnTemperature, boolean logQ, double logQWeight, int negatives, Softmax softmax, int epochs, int batch, double lr,
            Optimiser optimiser, double weightDecay, double clipNorm, double weightAverage, int patience, int maxVocabulary,
            int hashBuckets, int numericBuckets, String retriever, String retrieverSettings) {
        /** Validates every setting, reporting all problems at once; splits {@code name[settings]} of the retriever. */
        public Config {
            var p = new ConfigException.Problems(NAME);
            if (retriever != null && retriever.indexOf('[') >= 0) {
                try {
                    String[] split = splitRetriever(retriever);
                    retriever = split[0];
                    retrieverSettings = retrieverSettings == null || retrieverSettings.isBlank() ? split[1]
                            : split[1].isEmpty() ? retrieverSettings : split[1] + ";" + retrieverSettings;
                } catch (IllegalArgumentException e) {
                    p.add(e.getMessage());
                }
            }
            p.check(dim >= 1, "dim must be at least 1, got " + dim);
            p.check(tower != null && !tower.isBlank(), "tower must name a tower plugin such as mlp");
            p.check(userWidths != null && userWidths.stream().allMatch(w -> w != null && w >= 1),
                    "userWidths must be positive widths, got " + userWidths);
            p.check(itemWidths != null && itemWidths.stream().allMatch(w -> w != null && w >= 1),
                    "itemWidths must be positive widths, got " + itemWidths);
            p.check("relu".equalsIgnoreCase(activation) || "gelu".equalsIgnoreCase(activation),
                    "activation must be relu or gelu, got " + activation);
            p.check(attention != null && !attention.isBlank(), "attention must name an attention plugin such as mean");
            p.check(historyAttention != null && !historyAttention.isBlank(),
                    "historyAttention must name an attention plugin or be none");
            p.check(historyLength >= 1, "historyLength must be at least 1, got " + historyLength);
            p.check(historyMode != null, "historyMode must be causal, static or static-minus-target");
            p.check(historyDropout >= 0 && historyDropout < 1, "historyDropout must be at least 0 and below 1 "
                    + "(the probability of leaving out a history item), got " + historyDropout);
            p.check(userIdDropout >= 0 && userIdDropout < 1, "userIdDropout must be at least 0 and below 1 "
                    + "(the probability of hiding a training row's user id), got " + userIdDropout);
            checkSettings(p, "attentionSettings", attentionSettings);
            checkSettings(p, "historyAttentionSettings", historyAttentionSettings);
            p.check(temperature > 0 && Double.isFinite(temperature), "temperature must be positive, got " + temperature);
            p.check(logQWeight >= 0 && Double.isFinite(logQWeight), "logQWeight must be a finite number at least 0 "
                    + "(1 applies the whole logQ correction), got " + logQWeight);
            p.check(negatives >= 0, "negatives must be at least 0, got " + negatives);
            p.check(softmax != null, "softmax must be sampled or full");
            p.check(softmax != Softmax.FULL || negatives <= 0, "negatives=" + negatives + " does not apply with "
                    + "softmax=full (every catalogue item is already a negative of every row); leave negatives at 0, "
                    + "or use softmax=sampled for extra sampled negatives");
            p.check(epochs >= 1, "epochs must be at least 1, got " + epochs);
            p.check(batch >= 2, "batch must be at least 2 (the softmax needs in-batch negatives), got " + batch);
            p.check(lr > 0 && Double.isFinite(lr), "lr must be positive, got " + lr);
            p.check(optimiser != null, "optimiser must be adam, adamw or adagrad");
            p.check(weightDecay >= 0, "weightDecay must be at least 0, got " + weightDecay);
            p.check(clipNorm >= 0, "clipNorm must be at least 0 (0 disables clipping), got " + clipNorm);
            p.check(weightAverage >= 0 && weightAverage < 1, "weightAverage must be at least 0 and below 1 "
                    + "(the decay of the weights' moving average, e.g. 0.99; 0 disables it), got " + weightAverage);
            p.check(patience >= 1, "patience must be at least 1, got " + patience);
            p.check(maxVocabulary >= 1, "maxVocabulary must be at least 1, got " + maxVocabulary);
            p.check(hashBuckets >= 1, "hashBuckets must be at least 1, got " + hashBuckets);
            p.check(numericBuckets >= 0 && numericBuckets != 1,
                    "numericBuckets must be 0 (standardise) or at least 2, got " + numericBuckets);
            p.check(retriever != null && !retriever.isBlank(), "retriever must name a retriever plugin such as exact");
            checkSettings(p, "retrieverSettings", retrieverSettings);
            p.throwIfAny();
            userWidths = List.copyOf(userWidths);
            itemWidths = List.copyOf(itemWidths);
        }

        private static void checkSettings(ConfigException.Problems p, String name, String value) {
            if (value == null) {
                p.check(false, name + " must be given (empty for the plugin's defaults)");
                return;
            }
            try {
                parseSettings(value);
            } catch (IllegalArgumentException e) {
                p.check(false, name + ": " + e.getMessage());
            }
        }

        /** Whether the user tower has a history field. */
        public boolean hasHistory() {
            return !"none".equalsIgnoreCase(historyAttention);
        }
    }

    /**
     * Splits a retriever written with its settings in brackets.
     *
     * @param retriever {@code name} or {@code name[key=value,key=value]} ({@code ,} or {@code ;} between pairs)
     * @return the name and the settings, {@code ;}-separated (empty without brackets)
     * @throws IllegalArgumentException when the brackets are not one pair closing the text
     */
    static String[] splitRetriever(String retriever) {
        int open = retriever.indexOf('[');
        if (open < 0) {
            return new String[] {retriever.trim(), ""};
        }
        if (!retriever.endsWith("]") || retriever.indexOf('[', open + 1) >= 0 || retriever.indexOf(']') < open) {
            throw new IllegalArgumentException("retriever '" + retriever + "' must be a name, or a name with its "
                    + "settings in brackets such as lucene-hnsw[fanout=50,maxConn=32]");
        }
        return new String[] {retriever.substring(0, open).trim(),
                retriever.substring(open + 1, retriever.length() - 1).replace(',', ';').trim()};
    }

    /**
     * Parses plugin settings written {@code key=value;key=value}.
     *
     * @param settings the settings, possibly empty
     * @return key to value, in order
     * @throws IllegalArgumentException naming a part without {@code =} or a repeated key
     */
    public static Map<String, String> parseSettings(String settings) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String part : settings.split(";")) {
            if (part.isBlank()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("'" + part.trim() + "' is not key=value (write e.g. heads=2;layers=1)");
            }
            String key = part.substring(0, eq).trim();
            if (out.put(key, part.substring(eq + 1).trim()) != null) {
                throw new IllegalArgumentException("key '" + key + "' is given twice");
            }
        }
        return out;
    }

    /**
     * Binds settings; keys prefixed {@code attention.}, {@code historyAttention.} or {@code retriever.}
     * (case-insensitive) go to the plugin named by {@code attention}, {@code historyAttention} or
     * {@code retriever}, appended to {@code attentionSettings}, {@code historyAttentionSettings} or
     * {@code retrieverSettings}.
     */
    @Override
    public Config configure(Map<String, String> settings) {
        Map<String, String> own = NestedSettings.fold(settings, Map.of("attention.", "attentionSettings",
                "historyattention.", "historyAttentionSettings", "retriever.", "retrieverSettings"));
        return ModelProvider.super.configure(own);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Config defaultConfig() {
        return new Config(64, "mlp", List.of(128), List.of(128), "relu", ConcatMlpProvider.NAME, "mean", 50, HistoryMode.STATIC, 0, 0, "", "",
                false, 0.07, false,
                true, 1.5, 0, Softmax.SAMPLED, 30, 1024, 0.02, Optimiser.ADAM, 0, 0, 0, 5, 10_000, 4096, 10, "exact", "");
    }

    /**
     * {@inheritDoc}
     *
     * <p>Before any data is encoded, every plugin the config names (attention, history attention,
     * tower, retriever) is found by name and its settings are bound, so that a misspelt name or
     * setting fails at once, all of them in one {@link ConfigException}.
     *
     * @throws ConfigException when a plugin is not installed or refuses its settings, or the retriever
     *     is given a {@code path} (choose an index directory when serving, with {@code TwoTowerModels.serve})
     */
    @Override
    public Recommender train(Dataset train, Config config, TrainingContext context) {
        var problems = new ConfigException.Problems(NAME);
        checkPlugins(config, "", problems);
        problems.throwIfAny();
        return new Trainer(train, config, context).run();
    }

    /**
     * Finds every plugin a config names and binds its settings, recording each problem.
     *
     * @param config the config
     * @param prefix put before each setting's name in the problems (e.g. {@code "retrieval."})
     * @param problems where the problems go
     */
    static void checkPlugins(Config config, String prefix, ConfigException.Problems problems) {
        configure(problems, prefix + "attention", ProviderRegistry.attention(), config.attention(),
                config.attentionSettings());
        if (config.hasHistory()) {
            configure(problems, prefix + "historyAttention", ProviderRegistry.attention(), config.historyAttention(),
                    config.historyAttentionSettings());
        }
        ProviderRegistry<TowerProvider<?>> towers = ProviderRegistry.towers();
        towers.find(config.tower()).ifPresentOrElse(tower -> {
            for (List<Integer> widths : List.of(config.userWidths(), config.itemWidths())) {
                try {
                    tower.configure(TwoTowerModel.towerSettings(tower.name(), widths, config.activation()));
                } catch (ConfigException e) {
                    problems.add(prefix + "tower: " + e.getMessage());
                }
            }
        }, () -> problems.add(prefix + "tower: " + unknown(towers, config.tower())));
        configure(problems, prefix + "retriever", ProviderRegistry.retrievers(), config.retriever(),
                config.retrieverSettings());
        problems.check(!parseSettings(config.retrieverSettings()).containsKey(INDEX_PATH), prefix + "retriever."
                + INDEX_PATH + ": training keeps no index on disk (each epoch's validation serves a model of its own); "
                + "leave it out and keep the served index in a directory with TwoTowerModels.serve(model, serving), "
                + "or with 'indexDirectory' in an Attentive config");
    }

    /**
     * What {@link #train} would report about the plugins a config names, without data or training:
     * every attention, history attention, tower and retriever plugin is found by name and its
     * settings bound, and a retriever {@code path} is refused. For host code that checks a config
     * before it starts work, with its other checks.
     *
     * @param config the config
     * @return every problem, one line each; empty when all plugins are installed and accept their
     *     settings
     * @since 0.2.0
     */
    public static List<String> pluginProblems(Config config) {
        var problems = new ConfigException.Problems(NAME);
        checkPlugins(config, "", problems);
        try {
            problems.throwIfAny();
            return List.of();
        } catch (ConfigException e) {
            return e.problems();
        }
    }

    private static void configure(ConfigException.Problems problems, String setting,
            ProviderRegistry<? extends Provider<?>> registry, String name, String settings) {
        registry.find(name).ifPresentOrElse(provider -> {
            try {
                provider.configure(parseSettings(settings));
            } catch (ConfigException e) {
                problems.add(setting + "Settings: " + e.getMessage());
            }
        }, () -> problems.add(setting + ": " + unknown(registry, name)));
    }

    /** The registry's message for a name it does not have (the available names and the artifact to add). */
    private static String unknown(ProviderRegistry<?> registry, String name) {
        try {
            registry.get(name);
            throw new IllegalStateException("registry found '" + name + "' on the second look");
        } catch (UnknownProviderException e) {
            return e.getMessage();
        }
    }

    /**
     * Every field of the data's user and item schemas (the towers embed each one), the user's recent
     * items when {@code historyAttention} is not {@code none}, and the hour and day of week of each
     * interaction when {@code context} is on.
     */
    @Override
    public Optional<ModelInputs> inputs(Dataset data, Config config) {
        List<String> other = new java.util.ArrayList<>();
        if (config.hasHistory()) {
            other.add("recent items (" + config.historyAttention() + ", " + config.historyMode().name()
                    .toLowerCase(java.util.Locale.ROOT) + ")");
        }
        if (config.context()) {
            other.add("hour and day of week of each interaction");
        }
        return Optional.of(new ModelInputs(data.users().schema().fields().stream().map(FieldSpec::name).toList(),
                data.items().schema().fields().stream().map(FieldSpec::name).toList(), other));
    }
}
