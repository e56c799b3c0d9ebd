package dev.attentive.runtime;

import dev.attentive.api.Dataset;
import dev.attentive.api.FeatureTable;
import dev.attentive.api.Features;
import dev.attentive.api.Interaction;
import dev.attentive.api.ItemId;
import dev.attentive.api.Recommender;
import dev.attentive.api.UserId;
import dev.attentive.api.spi.EpochStats;
import dev.attentive.api.spi.ProviderRegistry;
import dev.attentive.api.spi.TrainingContext;
import dev.attentive.eval.data.DatasetSpec;
import dev.attentive.eval.data.MovieLens;
import dev.attentive.eval.data.SyntheticData;
import dev.attentive.eval.metrics.Evaluator;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;

/**
 * Trains a model as a {@link Plan} says: loads the data, holds out the validation share, builds the
 * early-stopping callback (NDCG@10 on the held-out interactions, computed by the harness's own
 * {@link Evaluator} exactly as the experiment runner's validation does) and trains through the
 * model provider. Stateless.
 */
final class Training {
    private static final System.Logger LOG = System.getLogger(Training.class.getName());

    private Training() {
    }

    /**
     * Loads a data source.
     *
     * @param choice the source
     * @return the dataset
     * @throws dev.attentive.eval.data.DataFormatException naming file, line and field of a malformed file
     */
    static Dataset load(Spec.DataChoice choice) {
        return switch (choice) {
            case Spec.InMemory m -> m.dataset();
            case Spec.SpecFile f -> DatasetSpec.load(f.file());
            case Spec.MovieLensFolder m -> MovieLens.load(m.folder().getFileName().toString(), m.folder());
            case Spec.Synthetic s -> new SyntheticData(s.config()).generate(s.seed());
        };
    }

    /** The training part and the validation callback (NaN when there is no validation). */
    record Prepared(Dataset train, ToDoubleFunction<Recommender> validation) {
    }

    /**
     * Loads the training data and prepares validation.
     *
     * @param plan the plan, with training data
     * @return the training part and the callback
     * @throws AttentiveConfigException when the data does not allow the chosen validation
     */
    static Prepared prepare(Plan plan) {
        Dataset data = load(plan.data());
        return switch (plan.validation()) {
            case Plan.NoValidation n -> new Prepared(data, r -> Double.NaN);
            case Plan.ValidationData v -> new Prepared(data, ndcgAt10(data, load(v.data()), plan.threads()));
            case Plan.Holdout h -> {
                Dataset[] parts = holdout(plan, data, h);
                yield new Prepared(parts[0], ndcgAt10(parts[0], parts[1], plan.threads()));
            }
        };
    }

    /**
     * Trains the plan's model.
     *
     * @param plan the plan, with training data
     * @param progress receives each epoch's statistics
     * @return the trained model
     */
    static Recommender train(Plan plan, Consumer<EpochStats> progress) {
        Prepared prepared = prepare(plan);
        TrainingContext context = new TrainingContext(plan.seed(), plan.threads(), prepared.validation(), progress);
        LOG.log(System.Logger.Level.INFO, "Training {0} on {1} ({2} interactions, seed {3}, {4} threads)",
                plan.modelName(), prepared.train().name(), prepared.train().interactions().size(), plan.seed(),
                plan.threads());
        return ProviderRegistry.models().get(plan.modelName()).train(prepared.train(), plan.modelSettings(), context);
    }

    /**
     * The early-stopping metric: NDCG@10 (at the catalogue size when that is smaller) of a model on
     * the validation interactions, with each user's training items excluded — the harness's
     * {@link Evaluator}, as the experiment runner and the tuner call it.
     */
    static ToDoubleFunction<Recommender> ndcgAt10(Dataset train, Dataset valid, int threads) {
        Set<ItemId> catalogue = new HashSet<>(train.items().rows().keySet());
        train.interactions().forEach(i -> catalogue.add(i.item()));
        int k = Math.min(10, catalogue.size());
        Evaluator evaluator = new Evaluator(train, new int[] {k}, threads);
        String key = "ndcg@" + k;
        return r -> evaluator.evaluate(r, valid, null).get(key);
    }

    /**
     * Holds out a share of each user's interactions: for a user with {@code n >= 2} interactions,
     * {@code round(fraction * n)} of them, at least 1 and at most {@code n - 1}; users with one
     * interaction keep it for training. {@code latest} holds out the latest by timestamp (ties in source
     * order), {@code random} a seeded random choice, {@code auto} latest when every interaction has a
     * timestamp and random otherwise. Items that only the held-out interactions name stay in the
     * catalogue (as item-table rows without features, unless the table has them).
     *
     * @return the training part and the held-out part
     */
    static Dataset[] holdout(Plan plan, Dataset data, Plan.Holdout h) {
        boolean timed = data.hasTimestamps();
        if (h.order() == Attentive.HoldoutOrder.LATEST && !timed) {
            long missing = data.interactions().stream().filter(i -> !i.hasTimestamp()).count();
            throw new AttentiveConfigException(plan.origin(), List.of("'training.validation.order' is latest, but "
                    + missing + " of " + data.interactions().size() + " interactions of '" + data.name()
                    + "' have no timestamp; use random (or auto, which picks random then)"));
        }
        boolean latest = h.order() == Attentive.HoldoutOrder.LATEST || (h.order() == Attentive.HoldoutOrder.AUTO && timed);
        LOG.log(System.Logger.Level.INFO, "Holding out {0} of each user''s interactions ({1}) for early stopping",
                h.fraction(), latest ? "the latest" : "a random share");
        List<Interaction> all = data.interactions();
        Map<UserId, List<Integer>> byUser = new LinkedHashMap<>();
        for (int i = 0; i < all.size(); i++) {
            byUser.computeIfAbsent(all.get(i).user(), u -> new ArrayList<>()).add(i);
        }
        boolean[] held = new boolean[all.size()];
        SplittableRandom random = new SplittableRandom(plan.seed());
        for (List<Integer> own : byUser.values()) {
            int n = own.size();
            if (n < 2) {
                continue;
            }
            int m = (int) Math.max(1, Math.min(n - 1, Math.round(h.fraction() * n)));
            List<Integer> order = new ArrayList<>(own);
            if (latest) {
                order.sort(Comparator.comparingLong(i -> all.get(i).timestamp())); // stable: ties keep source order
                for (int x = n - m; x < n; x++) {
                    held[order.get(x)] = true;
                }
            } else {
                for (int x = 0; x < m; x++) {
                    int pick = x + random.nextInt(n - x);
                    Integer t = order.get(x);
                    order.set(x, order.get(pick));
                    order.set(pick, t);
                    held[order.get(x)] = true;
                }
            }
        }
        List<Interaction> train = new ArrayList<>();
        List<Interaction> valid = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            (held[i] ? valid : train).add(all.get(i));
        }
        if (valid.isEmpty()) {
            throw new AttentiveConfigException(plan.origin(), List.of("'training.validation.holdout' holds out nothing: "
                    + "no user of '" + data.name() + "' has two interactions; train without validation"));
        }
        Set<ItemId> trained = new HashSet<>();
        train.forEach(i -> trained.add(i.item()));
        Map<ItemId, Features> rows = new LinkedHashMap<>(data.items().rows());
        for (Interaction i : valid) {
            if (!trained.contains(i.item())) {
                rows.putIfAbsent(i.item(), Features.NONE);
            }
        }
        FeatureTable<ItemId> items = rows.size() == data.items().rows().size() ? data.items()
                : new FeatureTable<>(data.items().schema(), rows);
        return new Dataset[] {new Dataset(data.name(), train, data.users(), items), data.withInteractions(valid)};
    }
}
