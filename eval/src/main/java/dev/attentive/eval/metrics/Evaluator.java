package dev.attentive.eval.metrics;

import dev.attentive.api.Dataset;
import dev.attentive.api.Interaction;
import dev.attentive.api.ItemId;
import dev.attentive.api.Recommendation;
import dev.attentive.api.RecommendationRequest;
import dev.attentive.api.Recommender;
import dev.attentive.api.UserId;
import dev.attentive.kernels.ParallelFor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Full-catalogue ranking evaluation of any {@link Recommender}: for every user with at least one
 * target item, the model is asked for its top {@code max(K)} over the whole catalogue with the
 * user's training items excluded ({@code excludeSeen}) and the extra masked items (the validation
 * items, when scoring test) passed as exclusions. The harness checks the answer: a returned training
 * or masked item, a duplicate, or an unsorted list is an error of the model, reported with the user.
 * Thread safe; one evaluation uses up to {@code threads} threads.
 */
public final class Evaluator {
    private final Dataset train;
    private final int[] ks;
    private final int threads;
    private final Map<UserId, Set<ItemId>> trainItems = new HashMap<>();
    private final Map<ItemId, Long> popularity = new HashMap<>();
    private final List<ItemId> catalogue;
    private final int sampledNegatives;
    private final long sampleSeed;

    /**
     * An evaluator for models trained on {@code train}.
     *
     * @param train the training part (defines masked items, popularity and the catalogue: every item
     *     of its interactions and item table)
     * @param ks the cut-offs, each at least 1 and at most the catalogue size
     * @param threads how many threads, at least 1
     */
    public Evaluator(Dataset train, int[] ks, int threads) {
        this.train = train;
        this.ks = ks.clone();
        this.threads = threads;
        Set<ItemId> items = new LinkedHashSet<>(train.items().rows().keySet());
        for (Interaction i : train.interactions()) {
            trainItems.computeIfAbsent(i.user(), k -> new HashSet<>()).add(i.item());
            popularity.merge(i.item(), 1L, Long::sum);
            items.add(i.item());
        }
        this.catalogue = List.copyOf(items);
        this.sampledNegatives = 0;
        this.sampleSeed = 0;
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        if (ks.length == 0) {
            throw new IllegalArgumentException("give at least one cut-off K");
        }
        for (int k : ks) {
            if (k < 1 || k > catalogue.size()) {
                throw new IllegalArgumentException("K = " + k + " is outside [1, " + catalogue.size()
                        + "], the catalogue size of '" + train.name() + "'; choose a smaller K");
            }
        }
    }

    private Evaluator(Evaluator base, int negatives, long seed) {
        this.train = base.train;
        this.ks = base.ks;
        this.threads = base.threads;
        this.trainItems.putAll(base.trainItems);
        this.popularity.putAll(base.popularity);
        this.catalogue = base.catalogue;
        this.sampledNegatives = negatives;
        this.sampleSeed = seed;
    }

    /**
     * An evaluator with the same training part and cut-offs that ranks, for each user, only the
     * user's target items and {@code negatives} items drawn uniformly among the items the user has
     * neither in training, nor in the mask, nor in the target (all of them when fewer are left). The
     * negatives depend only on the seed and the user, so every model is ranked against the same
     * ones. Sampled metrics are higher than full-ranking metrics and can order models differently;
     * use them only where full ranking is unaffordable.
     *
     * @param negatives negatives per user, at least 1
     * @param seed the seed of the draw
     * @return the sampled evaluator
     */
    public Evaluator sampled(int negatives, long seed) {
        if (negatives < 1) {
            throw new IllegalArgumentException("sampled ranking needs at least 1 negative per user, got " + negatives);
        }
        return new Evaluator(this, negatives, seed);
    }

    /**
     * The number of sampled negatives per user.
     *
     * @return 0 for full-catalogue ranking
     */
    public int sampledNegatives() {
        return sampledNegatives;
    }

    /** The items outside the user's candidates (targets plus seeded negatives), excluded from the ranking. */
    private Set<ItemId> outsideSample(UserId user, Set<ItemId> relevant, Set<ItemId> masked) {
        Set<ItemId> seen = trainItems.getOrDefault(user, Set.of());
        List<ItemId> eligible = new ArrayList<>();
        for (ItemId item : catalogue) {
            if (!seen.contains(item) && !masked.contains(item) && !relevant.contains(item)) {
                eligible.add(item);
            }
        }
        long mixed = sampleSeed * 0x9E3779B97F4A7C15L + user.value().hashCode();
        java.util.SplittableRandom random = new java.util.SplittableRandom(mixed);
        int n = Math.min(sampledNegatives, eligible.size());
        for (int x = 0; x < n; x++) {
            int pick = x + random.nextInt(eligible.size() - x);
            ItemId t = eligible.get(x);
            eligible.set(x, eligible.get(pick));
            eligible.set(pick, t);
        }
        Set<ItemId> outside = new HashSet<>(masked);
        outside.addAll(eligible.subList(n, eligible.size()));
        return outside;
    }

    /**
     * The catalogue size.
     *
     * @return the number of rankable items
     */
    public int catalogueSize() {
        return catalogue.size();
    }

    /**
     * Evaluates a model on target interactions.
     *
     * @param model the model, trained on this evaluator's training part
     * @param target the interactions to find (validation or test), not empty
     * @param mask further interactions whose items are excluded per user (the validation part when
     *     scoring test), or null
     * @return the per-user and summary metrics
     * @throws IllegalArgumentException when the target is empty or the model breaks the contract
     */
    public EvaluationResult evaluate(Recommender model, Dataset target, Dataset mask) {
        return evaluate(model, target, mask, false);
    }

    /**
     * Evaluates a model on target interactions that follow a known part, the way sequential
     * recommenders are evaluated under leave-one-out (SASRec, RecBole): the known part's items are
     * excluded like a mask <em>and</em> given to the model as the user's most recent history. Each
     * request carries as its {@link RecommendationRequest#recentItems() recent items} the user's
     * training and known interactions, most recent first (by timestamp, ties in input order with
     * training first; input order without timestamps). The model is not retrained: what changes is
     * only what it is told the user did last. A model that ignores recent items for known users
     * scores as under {@link #evaluate(Recommender, Dataset, Dataset)}.
     *
     * @param model the model, trained on this evaluator's training part
     * @param target the interactions to find (test), not empty
     * @param known the interactions between training and target (the validation part), excluded and
     *     given as history; not null
     * @return the per-user and summary metrics
     * @throws IllegalArgumentException when the target is empty or the model breaks the contract
     * @since 0.2.0
     */
    public EvaluationResult evaluateAfter(Recommender model, Dataset target, Dataset known) {
        return evaluate(model, target, java.util.Objects.requireNonNull(known, "known"), true);
    }

    private EvaluationResult evaluate(Recommender model, Dataset target, Dataset mask, boolean maskAsHistory) {
        long start = System.nanoTime();
        Map<UserId, Set<ItemId>> relevant = new TreeMap<>();
        for (Interaction i : target.interactions()) {
            relevant.computeIfAbsent(i.user(), k -> new HashSet<>()).add(i.item());
        }
        if (relevant.isEmpty()) {
            throw new IllegalArgumentException("The evaluation part of '" + target.name()
                    + "' is empty: no user has a target interaction. Check the split ratios or the filter.");
        }
        Map<UserId, Set<ItemId>> masked = new HashMap<>();
        if (mask != null) {
            for (Interaction i : mask.interactions()) {
                masked.computeIfAbsent(i.user(), k -> new HashSet<>()).add(i.item());
            }
        }
        List<UserId> users = new ArrayList<>(relevant.keySet());
        Map<UserId, List<ItemId>> histories = maskAsHistory ? histories(relevant.keySet(), mask) : Map.of();
        int maxK = 0;
        for (int k : ks) {
            maxK = Math.max(maxK, k);
        }
        RankingMetrics.Metric[] metrics = RankingMetrics.Metric.values();
        double[][][] values = new double[metrics.length][ks.length][users.size()];
        Map<ItemId, Integer> itemIndex = new HashMap<>();
        for (int i = 0; i < catalogue.size(); i++) {
            itemIndex.put(catalogue.get(i), i);
        }
        AtomicLongArray[] counts = new AtomicLongArray[ks.length];
        for (int k = 0; k < ks.length; k++) {
            counts[k] = new AtomicLongArray(catalogue.size());
        }
        double[][] popSum = new double[ks.length][users.size()];
        int top = maxK;
        // Users cost unevenly (history lengths, exclusions), so they are handed out one at a time;
        // each writes only its own slots (and commutative atomic counts), so the result does not
        // depend on scheduling.
        ParallelFor.forEach(users.size(), threads, u -> {
            UserId user = users.get(u);
            Set<ItemId> rel = relevant.get(user);
            Set<ItemId> exclude = masked.getOrDefault(user, Set.of());
            if (sampledNegatives > 0) {
                exclude = outsideSample(user, rel, exclude);
            }
            List<Recommendation> recs = model.recommend(RecommendationRequest.forUser(user).k(top)
                    .recentItems(histories.getOrDefault(user, List.of()))
                    .exclude(exclude).excludeSeen(true).build());
            check(user, recs, exclude, top);
            boolean[] hit = new boolean[recs.size()];
            for (int r = 0; r < recs.size(); r++) {
                hit[r] = rel.contains(recs.get(r).item());
            }
            for (int m = 0; m < metrics.length; m++) {
                for (int k = 0; k < ks.length; k++) {
                    values[m][k][u] = RankingMetrics.value(metrics[m], hit, rel.size(), ks[k]);
                }
            }
            for (int k = 0; k < ks.length; k++) {
                double pop = 0;
                int n = Math.min(ks[k], recs.size());
                for (int r = 0; r < n; r++) {
                    ItemId item = recs.get(r).item();
                    Integer index = itemIndex.get(item);
                    if (index != null) {
                        counts[k].incrementAndGet(index);
                    }
                    pop += popularity.getOrDefault(item, 0L);
                }
                popSum[k][u] = n == 0 ? 0 : pop / n;
            }
        });
        Map<String, double[]> perUser = new LinkedHashMap<>();
        Map<String, Double> summary = new LinkedHashMap<>();
        for (int k = 0; k < ks.length; k++) {
            for (int m = 0; m < metrics.length; m++) {
                String key = metrics[m].key(ks[k]);
                perUser.put(key, values[m][k]);
                summary.put(key, mean(values[m][k]));
            }
            long[] c = new long[catalogue.size()];
            int covered = 0;
            for (int i = 0; i < c.length; i++) {
                c[i] = counts[k].get(i);
                if (c[i] > 0) {
                    covered++;
                }
            }
            summary.put("coverage@" + ks[k], (double) covered / catalogue.size());
            summary.put("avgpop@" + ks[k], mean(popSum[k]));
            summary.put("gini@" + ks[k], RankingMetrics.gini(c));
        }
        return new EvaluationResult(users, perUser, summary, (System.nanoTime() - start) / 1e9);
    }

    /**
     * Each user's training then known interactions in stable time order (missing timestamps sort
     * first, keeping input order), reversed: most recent first.
     */
    private Map<UserId, List<ItemId>> histories(Set<UserId> users, Dataset known) {
        Map<UserId, List<Interaction>> byUser = new HashMap<>();
        for (Dataset part : List.of(train, known)) {
            for (Interaction i : part.interactions()) {
                if (users.contains(i.user())) {
                    byUser.computeIfAbsent(i.user(), k -> new ArrayList<>()).add(i);
                }
            }
        }
        Map<UserId, List<ItemId>> out = new HashMap<>();
        byUser.forEach((user, list) -> {
            list.sort(java.util.Comparator.comparingLong(i -> i.hasTimestamp() ? i.timestamp() : Long.MIN_VALUE));
            List<ItemId> items = new ArrayList<>(list.size());
            for (int x = list.size() - 1; x >= 0; x--) {
                items.add(list.get(x).item());
            }
            out.put(user, items);
        });
        return out;
    }

    private void check(UserId user, List<Recommendation> recs, Set<ItemId> exclude, int k) {
        if (recs.size() > k) {
            throw new IllegalArgumentException("The model returned " + recs.size() + " items for user " + user
                    + " but was asked for " + k);
        }
        Set<ItemId> seen = trainItems.getOrDefault(user, Set.of());
        Set<ItemId> returned = new HashSet<>();
        double previous = Double.POSITIVE_INFINITY;
        for (Recommendation r : recs) {
            if (seen.contains(r.item())) {
                throw new IllegalArgumentException("The model recommended training item " + r.item() + " to user "
                        + user + " although excludeSeen was set: it leaks training items into the ranking");
            }
            if (exclude.contains(r.item())) {
                throw new IllegalArgumentException("The model recommended excluded item " + r.item() + " to user " + user);
            }
            if (!returned.add(r.item())) {
                throw new IllegalArgumentException("The model recommended item " + r.item() + " twice to user " + user);
            }
            if (r.score() > previous) {
                throw new IllegalArgumentException("The model's recommendations for user " + user
                        + " are not sorted by descending score");
            }
            previous = r.score();
        }
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return v.length == 0 ? 0 : s / v.length;
    }

    /**
     * The training part this evaluator masks.
     *
     * @return the training dataset
     */
    public Dataset train() {
        return train;
    }
}
