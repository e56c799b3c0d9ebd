package dev.attentive.model;

import dev.attentive.api.Dataset;
import dev.attentive.api.FieldSpec;
import dev.attentive.api.Recommender;
import dev.attentive.api.spi.ConfigException;
import dev.attentive.api.spi.ModelInputs;
import dev.attentive.api.spi.ModelProvider;
import dev.attentive.api.spi.TrainingContext;
import dev.attentive.model.train.Trainer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code two-tower} model: a user tower and an item tower whose unit embeddings' dot product
 * ranks items, trained with an in-batch sampled softmax (temperature, logQ correction, accidental
 * hits removed, optional uniform extra negatives). Field embeddings are pooled by an
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
 * user and item field weights and the history item weights are the attention weights of the two
 * towers; the score {@code s = u . v} is split over the user fields by linearising the user tower at
 * the request: field {@code f} contributes {@code w_f (g . x_f)} with {@code g} the gradient of
 * {@code r . v / |r|} in the pooled vector (the norm of the tower output {@code r} held fixed), and
 * the rest of the score (biases and nonlinearity) is the contribution named {@code (nonlinear)}, so
 * the contributions sum to the score.
 */
public final class TwoTowerModelProvider implements ModelProvider<TwoTowerModelProvider.Config> {
    /** The provider name. */
    public static final String NAME = "two-tower";

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
        STATIC
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
     * @param historyMode {@code causal} or {@code static} history during training (default static: on
     *     ML-100K, seed 2020, lr 0.005, the best validation NDCG@10 was 0.174 causal, 0.216 static,
     *     0.211 without history)
     * @param attentionSettings settings of the field attention plugin, {@code key=value} pairs separated by
     *     {@code ;} (default empty); settings keys prefixed {@code attention.} are added here
     * @param historyAttentionSettings settings of the history attention plugin, in the same form
     *     (default empty); settings keys prefixed {@code historyAttention.} are added here
     * @param context whether hour-of-day and day-of-week of the interaction enter the user tower
     *     (request features {@code hour} and {@code dayOfWeek} at serving; default false)
     * @param temperature the softmax temperature, or its start value when learned (default 0.07)
     * @param learnTemperature whether the temperature is trained (default false)
     * @param logQ whether the logQ correction is applied (default true)
     * @param negatives extra uniformly sampled negatives per batch (default 0)
     * @param epochs the maximum number of epochs (default 30)
     * @param batch the mini-batch size (default 1024)
     * @param lr the learning rate (default 0.02: on ML-100K with static history the best validation
     *     NDCG@10 rose from 0.200 at 1e-3 to 0.229 at 0.02)
     * @param optimiser {@code adam}, {@code adamw} or {@code adagrad} (default adam)
     * @param weightDecay the weight decay (default 0)
     * @param clipNorm the global gradient norm clip, 0 for none (default 0)
     * @param patience epochs without validation improvement before stopping (default 5)
     * @param maxVocabulary categorical fields with more training values are hashed (default 10000)
     * @param hashBuckets the buckets of a hashed field (default 4096)
     * @param numericBuckets quantile buckets of numeric fields, 0 to standardise instead (default 10)
     * @param retriever the retriever plugin serving item vectors (default {@code exact})
     */
    public record Config(int dim, String tower, List<Integer> userWidths, List<Integer> itemWidths, String activation,
            String attention, String historyAttention, int historyLength, HistoryMode historyMode,
            String attentionSettings, String historyAttentionSettings, boolean context, double temperature,
            boolean learnTemperature, boolean logQ, int negatives, int epochs, int batch, double lr,
            Optimiser optimiser, double weightDecay, double clipNorm, int patience, int maxVocabulary,
            int hashBuckets, int numericBuckets, String retriever) {
        /** Validates every setting, reporting all problems at once. */
        public Config {
            var p = new ConfigException.Problems(NAME);
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
            p.check(historyMode != null, "historyMode must be causal or static");
            checkSettings(p, "attentionSettings", attentionSettings);
            checkSettings(p, "historyAttentionSettings", historyAttentionSettings);
            p.check(temperature > 0 && Double.isFinite(temperature), "temperature must be positive, got " + temperature);
            p.check(negatives >= 0, "negatives must be at least 0, got " + negatives);
            p.check(epochs >= 1, "epochs must be at least 1, got " + epochs);
            p.check(batch >= 2, "batch must be at least 2 (the softmax needs in-batch negatives), got " + batch);
            p.check(lr > 0 && Double.isFinite(lr), "lr must be positive, got " + lr);
            p.check(optimiser != null, "optimiser must be adam, adamw or adagrad");
            p.check(weightDecay >= 0, "weightDecay must be at least 0, got " + weightDecay);
            p.check(clipNorm >= 0, "clipNorm must be at least 0 (0 disables clipping), got " + clipNorm);
            p.check(patience >= 1, "patience must be at least 1, got " + patience);
            p.check(maxVocabulary >= 1, "maxVocabulary must be at least 1, got " + maxVocabulary);
            p.check(hashBuckets >= 1, "hashBuckets must be at least 1, got " + hashBuckets);
            p.check(numericBuckets >= 0 && numericBuckets != 1,
                    "numericBuckets must be 0 (standardise) or at least 2, got " + numericBuckets);
            p.check(retriever != null && !retriever.isBlank(), "retriever must name a retriever plugin such as exact");
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
     * Binds settings; keys prefixed {@code attention.} or {@code historyAttention.} (case-insensitive)
     * go to the plugin named by {@code attention} or {@code historyAttention}, appended to
     * {@code attentionSettings} or {@code historyAttentionSettings}.
     */
    @Override
    public Config configure(Map<String, String> settings) {
        Map<String, String> own = NestedSettings.fold(settings,
                Map.of("attention.", "attentionSettings", "historyattention.", "historyAttentionSettings"));
        return ModelProvider.super.configure(own);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Config defaultConfig() {
        return new Config(64, "mlp", List.of(128), List.of(128), "relu", ConcatMlpProvider.NAME, "mean", 50, HistoryMode.STATIC, "", "",
                false, 0.07, false,
                true, 0, 30, 1024, 0.02, Optimiser.ADAM, 0, 0, 5, 10_000, 4096, 10, "exact");
    }

    @Override
    public Recommender train(Dataset train, Config config, TrainingContext context) {
        return new Trainer(train, config, context).run();
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
