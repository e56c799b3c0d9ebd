package dev.attentive.model;

import dev.attentive.api.Dataset;
import dev.attentive.api.FieldSpec;
import dev.attentive.api.Recommender;
import dev.attentive.api.spi.ConfigException;
import dev.attentive.api.spi.ModelInputs;
import dev.attentive.api.spi.ModelProvider;
import dev.attentive.api.spi.ProviderRegistry;
import dev.attentive.api.spi.RankerProvider;
import dev.attentive.api.spi.UnknownProviderException;
import dev.attentive.api.spi.TrainingContext;
import dev.attentive.model.rank.TwoStageTrainer;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code two-stage} model: candidate sources, then a {@link dev.attentive.api.Ranker} plugin
 * (found by name through {@code ProviderRegistry.rankers()}, e.g. {@code target-attention} or
 * {@code mlp} from {@code attentive-attention}) that re-scores their union, then the top k.
 *
 * <h2>Candidate sources</h2>
 * The {@code two-tower} retrieval (its settings passed through {@code retrieval.*}; filters,
 * exclusions and seen items applied inside its retriever) and a closed-form item-item regression
 * (EASE: {@code B = I - P diag(1/diag P)}, {@code P = (X^T X + lambda I)^-1}, Cholesky in double).
 * Each gives its top {@code candidates} eligible items; the ranker scores their union. Per candidate
 * it reads, z-scored over the list: the regression's score, the retrieval's score (its lowest
 * retrieved score when the item is not among its top {@code 2 candidates}), whether the retrieval
 * returned it (0/1, not z-scored), and the item's log popularity; multiplied by {@code sourceScale}
 * so that a ranker whose wide part starts at weight 1 each starts from that blend. The ranker's own item and
 * feature-value embeddings carry everything else; it never sees the retrieval's embeddings.
 *
 * <p>{@code itemInit=retrieval} starts the ranker's item embeddings from the inner fit's two-tower
 * item vectors (a start, not an input: the served ranker still never reads the serving retrieval's
 * embeddings).
 *
 * <h2>Training without leakage</h2>
 * The model only ever receives the training set; the harness keeps validation and test items out of
 * it. Inside it:
 * <ol>
 *   <li><b>Nested split.</b> Each user with at least 3 training items holds out
 *       {@code round(holdout * n)} (at least 1) of them: the latest ones ({@code holdoutOrder=latest},
 *       or {@code auto} when every interaction has a timestamp) or a seeded random share
 *       ({@code random}, or {@code auto} without timestamps).</li>
 *   <li><b>Full fit.</b> Both sources are fitted on the whole training set; these serve. The
 *       retrieval stops early on the validation callback, as {@code two-tower} does alone.</li>
 *   <li><b>Inner fit.</b> Both sources are fitted again on the training set minus the held-out
 *       items, the retrieval for the number of epochs the full fit chose and without the validation
 *       callback (which measures against the whole training set).</li>
 *   <li><b>Lists.</b> Per user, the inner sources' candidates (the user's inner-fit items excluded,
 *       as at serving) plus {@code negatives} random items not in the inner fit. The ranker's targets
 *       are the user's held-out items in the list; every other item of the list is a negative
 *       (the sources' hard candidates and the random ones). Lists without a target are dropped.</li>
 *   <li><b>Ranker.</b> Listwise softmax loss over each list (the mean of {@code -log softmax} over
 *       its targets), Adam, lists in mini-batches of {@code batch} ({@code listsPerUser} lists per
 *       user, each with its own random negatives); {@code checksPerEpoch} times per epoch the
 *       validation callback scores the served pipeline (full-fit sources and the current ranker), and
 *       the best check's ranker is kept (the untrained ranker included), stopping after
 *       {@code patience} epochs without improvement. The wide part ({@code wide.*} parameters) learns
 *       at {@code lr} (frozen for the first {@code wideFreeze} epochs), the rest at
 *       {@code lr * deepLrScale}, embedding tables at a further {@code embeddingLrScale}.</li>
 * </ol>
 * So no ranker target was a positive the sources that produced its list were fitted on, and no
 * validation or test item is a target. {@code TwoStageLeakageTest} checks both.
 *
 * <p>Serving: a request whose user is unknown and that has no recent items gets the retrieval's
 * order. Explanations give, per candidate, the ranker's history weights ("because of"), which differ
 * per candidate with {@code target-attention}. {@code similarItems} is the retrieval's. Thread safe.
 *
 * <p>Saving: {@link TwoTowerModels#save} writes the whole pipeline (format
 * {@value TwoTowerModels#TWO_STAGE_FORMAT}: the retrieval as a nested two-tower directory, the item
 * regression, the ranker's slots, catalogue, resolved settings and parameters, and this config), and
 * {@link TwoTowerModels#load} serves it again exactly as saved.
 */
public final class TwoStageModelProvider implements ModelProvider<TwoStageModelProvider.Config> {
    /** The provider name. */
    public static final String NAME = "two-stage";

    /** Creates the provider (for {@link java.util.ServiceLoader}). */
    public TwoStageModelProvider() {
    }

    /** Which of a user's training items the nested split holds out. */
    public enum HoldoutOrder {
        /** The latest when every interaction has a timestamp, else random. */
        AUTO,
        /** A seeded random share. */
        RANDOM,
        /** The most recent ones. */
        LATEST
    }

    /** How the ranker's item embeddings start. */
    public enum ItemInit {
        /** The ranker's own random initialisation. */
        RANDOM,
        /** The inner-fit retrieval's item vectors (leak-free: that fit saw no held-out item). */
        RETRIEVAL
    }

    /**
     * The pipeline's settings.
     *
     * @param ranker the ranker plugin (default {@code target-attention})
     * @param rankerSettings its settings, {@code key=value;...}; keys prefixed {@code ranker.} go here
     * @param retrievalSettings the {@code two-tower} retrieval's settings, {@code key=value;...}; keys
     *     prefixed {@code retrieval.} go here (default empty: two-tower's defaults)
     * @param candidates how many candidates each source gives (default 100)
     * @param lambda the item-item regression's ridge penalty (default 500)
     * @param historyLength how many recent items the ranker attends over (default 50)
     * @param holdout the share of each user's training items held out for ranker targets (default 0.2)
     * @param holdoutOrder which items are held out (default random: on ML-100K, RecBole protocol, seed
     *     2020, validation NDCG@10 0.2406 random vs 0.2383 latest)
     * @param sourceScale the factors of the four per-candidate numbers (regression, retrieval,
     *     retrieved, popularity), written {@code a|b|c|d} (default {@code 4|2|1|0.5}: the PyTorch
     *     peer's 4:2 start)
     * @param negatives random negatives added to each training list (default 20)
     * @param epochs the most ranker epochs (default 10)
     * @param batch lists per ranker step (default 32)
     * @param lr the ranker's Adam learning rate (default 0.003)
     * @param weightDecay the ranker's L2 weight decay (default 0)
     * @param patience ranker epochs without validation improvement before stopping (default 2)
     * @param listsPerUser training lists per user, each with its own draw of {@code negatives} random
     *     negatives (the sources' candidates and the targets are the same in each; default 1)
     * @param checksPerEpoch validations per ranker epoch, evenly spaced over its steps; early stopping
     *     may keep the ranker of any of them (default 1)
     * @param deepLrScale the factor of {@code lr} for the ranker's deep part, every parameter whose
     *     name does not start with {@code wide.} (default 1)
     * @param wideFreeze ranker epochs during which the wide part ({@code wide.*} parameters) keeps its
     *     initial blend and only the deep part learns, as a residual (default 0)
     * @param itemInit how the ranker's {@code item.embedding} starts: {@code random} (the ranker's own
     *     initialisation) or {@code retrieval} (the inner fit's two-tower item vectors, which saw no
     *     held-out item; needs the ranker's {@code dim} equal to the retrieval's; default random)
     * @param embeddingLrScale the factor of the deep part's learning rate for the ranker's embedding
     *     tables (parameters whose name ends with {@code .embedding}); 0 keeps them at their start,
     *     e.g. the retrieval's item vectors (default 1)
     */
    public record Config(String ranker, String rankerSettings, String retrievalSettings, int candidates, double lambda,
            int historyLength, double holdout, HoldoutOrder holdoutOrder, List<Double> sourceScale, int negatives, int epochs, int batch, double lr,
            double weightDecay, int patience, int listsPerUser, int checksPerEpoch, double deepLrScale, int wideFreeze,
            ItemInit itemInit, double embeddingLrScale) {
        /** Validates every setting, reporting all problems at once. */
        public Config {
            var p = new ConfigException.Problems(NAME);
            p.check(ranker != null && !ranker.isBlank(), "ranker must name a ranker plugin such as target-attention or mlp");
            checkSettings(p, "rankerSettings", rankerSettings);
            checkSettings(p, "retrievalSettings", retrievalSettings);
            p.check(candidates >= 1, "candidates must be at least 1, got " + candidates);
            p.check(lambda > 0 && Double.isFinite(lambda), "lambda must be positive, got " + lambda);
            p.check(historyLength >= 1, "historyLength must be at least 1, got " + historyLength);
            p.check(holdout > 0 && holdout < 1, "holdout must be between 0 and 1 (exclusive), got " + holdout);
            p.check(holdoutOrder != null, "holdoutOrder must be auto, random or latest");
            p.check(sourceScale != null && sourceScale.size() == 4 && sourceScale.stream().allMatch(x -> x != null && Double.isFinite(x)),
                    "sourceScale must be 4 finite numbers a|b|c|d (regression, retrieval, retrieved, popularity), got " + sourceScale);
            p.check(negatives >= 0, "negatives must be at least 0, got " + negatives);
            p.check(epochs >= 0, "epochs must be at least 0, got " + epochs);
            p.check(batch >= 1, "batch must be at least 1, got " + batch);
            p.check(lr > 0 && Double.isFinite(lr), "lr must be positive, got " + lr);
            p.check(weightDecay >= 0, "weightDecay must be at least 0, got " + weightDecay);
            p.check(patience >= 1, "patience must be at least 1, got " + patience);
            p.check(listsPerUser >= 1 && listsPerUser <= 100, "listsPerUser must be between 1 and 100, got " + listsPerUser);
            p.check(checksPerEpoch >= 1 && checksPerEpoch <= 100, "checksPerEpoch must be between 1 and 100, got " + checksPerEpoch);
            p.check(deepLrScale > 0 && Double.isFinite(deepLrScale), "deepLrScale must be positive, got " + deepLrScale);
            p.check(wideFreeze >= 0, "wideFreeze must be at least 0 epochs, got " + wideFreeze);
            p.check(itemInit != null, "itemInit must be random or retrieval");
            p.check(embeddingLrScale >= 0 && Double.isFinite(embeddingLrScale),
                    "embeddingLrScale must be 0 (frozen embeddings) or positive, got " + embeddingLrScale);
            p.throwIfAny();
            sourceScale = List.copyOf(sourceScale);
        }

        private static void checkSettings(ConfigException.Problems p, String name, String value) {
            if (value == null) {
                p.check(false, name + " must be given (empty for the plugin's defaults)");
                return;
            }
            try {
                TwoTowerModelProvider.parseSettings(value);
            } catch (IllegalArgumentException e) {
                p.check(false, name + ": " + e.getMessage());
            }
        }
    }

    /** Binds settings; keys prefixed {@code ranker.} or {@code retrieval.} go to those plugins' settings. */
    @Override
    public Config configure(Map<String, String> settings) {
        Map<String, String> own = NestedSettings.fold(settings,
                Map.of("ranker.", "rankerSettings", "retrieval.", "retrievalSettings"));
        return ModelProvider.super.configure(own);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Config defaultConfig() {
        return new Config("target-attention", "", "", 100, 500, 50, 0.2, HoldoutOrder.RANDOM, List.of(4.0, 2.0, 1.0, 0.5), 20, 10, 32, 0.003, 0, 2,
                1, 1, 1, 0, ItemInit.RANDOM, 1);
    }

    /**
     * What its retrieval two-tower model reads (see {@link TwoTowerModelProvider#inputs}), and the
     * user's recent items, which the ranker attends over.
     */
    @Override
    public Optional<ModelInputs> inputs(Dataset data, Config config) {
        ModelInputs retrieval = new TwoTowerModelProvider().inputs(data, TwoTowerModelProvider.parseSettings(config.retrievalSettings()))
                .orElse(ModelInputs.INTERACTIONS_ONLY);
        List<String> other = new java.util.ArrayList<>(retrieval.other());
        other.add("recent items (ranker)");
        return Optional.of(new ModelInputs(data.users().schema().fields().stream().map(FieldSpec::name).toList(),
                data.items().schema().fields().stream().map(FieldSpec::name).toList(), other));
    }

    /**
     * {@inheritDoc}
     *
     * <p>Before any data is encoded, the ranker and every plugin of the retrieval (attention, history
     * attention, tower, retriever) are found by name and their settings bound, so that a misspelt name
     * or setting fails at once, all of them in one {@link ConfigException}.
     *
     * @throws ConfigException when a plugin is not installed or refuses its settings, or the
     *     retrieval's retriever is given a {@code path}
     */
    @Override
    public Recommender train(Dataset train, Config config, TrainingContext context) {
        var problems = new ConfigException.Problems(NAME);
        ProviderRegistry<RankerProvider<?>> rankers = ProviderRegistry.rankers();
        rankers.find(config.ranker()).ifPresentOrElse(ranker -> {
            try {
                ranker.configure(TwoTowerModelProvider.parseSettings(config.rankerSettings()));
            } catch (ConfigException e) {
                problems.add("rankerSettings: " + e.getMessage());
            }
        }, () -> {
            try {
                rankers.get(config.ranker());
            } catch (UnknownProviderException e) {
                problems.add("ranker: " + e.getMessage());
            }
        });
        try {
            TwoTowerModelProvider.Config retrieval = new TwoTowerModelProvider()
                    .configure(TwoTowerModelProvider.parseSettings(config.retrievalSettings()));
            TwoTowerModelProvider.checkPlugins(retrieval, "retrieval.", problems);
        } catch (ConfigException e) {
            problems.add("retrievalSettings: " + e.getMessage());
        }
        problems.throwIfAny();
        return new TwoStageTrainer(train, config, context).run();
    }
}
