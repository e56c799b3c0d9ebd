package dev.attentive.model.rank;

import dev.attentive.api.Dataset;
import dev.attentive.api.Features;
import dev.attentive.api.ItemId;
import dev.attentive.api.Recommendation;
import dev.attentive.api.RecommendationRequest;
import dev.attentive.api.Recommender;
import dev.attentive.api.UserId;
import dev.attentive.api.spi.ProviderRegistry;
import dev.attentive.api.spi.TrainingContext;
import dev.attentive.kernels.TopK;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One fit of the candidate sources on one set of interactions: the {@code two-tower} retrieval
 * (filters and exclusions applied inside its retriever) and the item-item regression, plus what the
 * ranker reads of that fit (the users' items, the items' popularity). {@link #candidates} builds the
 * same candidate list, with the same per-candidate source scores, for ranker training and serving.
 * Thread safe.
 */
final class Sources implements AutoCloseable {
    /** The per-candidate numbers the ranker reads, in order. */
    static final List<String> NAMES = List.of("item-regression", "two-tower", "two-tower-retrieved", "popularity");


    final Catalogue catalogue;
    final Recommender retrieval;
    final ItemRegression regression;
    final Map<UserId, int[]> userItems;
    final float[] popularity;

    /**
     * Each number's scale after z-scoring: a ranker whose wide part starts at weight 1 per number
     * starts from this blend, and its Adam steps move the larger-scaled numbers' effective weights
     * faster.
     */
    private final float[] scale;

    Sources(Catalogue catalogue, Recommender retrieval, ItemRegression regression, Map<UserId, int[]> userItems,
            float[] scale) {
        this.catalogue = catalogue;
        this.scale = scale;
        this.retrieval = retrieval;
        this.regression = regression;
        this.userItems = userItems;
        popularity = new float[catalogue.size()];
        for (int[] items : userItems.values()) {
            for (int i : items) {
                popularity[i]++;
            }
        }
        for (int i = 0; i < popularity.length; i++) {
            popularity[i] = (float) Math.log1p(popularity[i]);
        }
    }

    /** Fits both sources on {@code fit} (the full catalogue's feature tables, some interactions). */
    static Sources fit(Catalogue catalogue, Dataset fit, Map<String, String> retrievalSettings, double lambda,
            float[] scale, TrainingContext context) {
        Recommender retrieval = ProviderRegistry.models().get("two-tower").train(fit, retrievalSettings, context);
        Map<UserId, int[]> userItems = catalogue.userItems(fit.interactions());
        ItemRegression regression = ItemRegression.fit(catalogue.size(), userItems.values().toArray(new int[0][]),
                lambda, context.threads());
        return new Sources(catalogue, retrieval, regression, userItems, scale);
    }

    /**
     * A candidate list: catalogue indices, the ranker's per-candidate numbers
     * ({@code items.length * NAMES.size()}), the user's history (most recent first) and user
     * feature values.
     */
    record Candidates(int[] items, float[] scores, int[] history, int[] userValues) {
    }

    /** The history of a request in this fit: its recent items, then (for a known user) the user's items. */
    int[] history(RecommendationRequest request, int length) {
        List<Integer> out = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        for (ItemId id : request.recentItems()) {
            Integer c = catalogue.index.get(id);
            if (c != null && out.size() < length && seen.add(c)) {
                out.add(c);
            }
        }
        int[] known = request.userId() == null ? null : userItems.get(request.userId());
        if (known != null) {
            for (int c : known) {
                if (out.size() < length && seen.add(c)) {
                    out.add(c);
                }
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * The union of both sources' top {@code n} eligible items for a request, then {@code extra}
     * items (training negatives) not already in it, with z-scored source scores.
     *
     * @throws IllegalArgumentException when the request names features the retrieval does not know
     */
    Candidates candidates(RecommendationRequest request, int n, int historyLength, int[] extra) {
        // The retrieval applies filter, exclusions and seen items inside its retriever; 2n gives its
        // scores for more of the regression's candidates.
        RecommendationRequest wide = new RecommendationRequest(request.userId(), request.userFeatures(),
                request.recentItems(), 2 * n, request.filter(), request.exclusions(), request.excludeSeen(), false);
        List<Recommendation> retrieved = retrieval.recommend(wide);
        Map<Integer, Float> retrievalScore = new HashMap<>();
        for (Recommendation r : retrieved) {
            retrievalScore.put(catalogue.index.get(r.item()), (float) r.score());
        }
        int[] history = history(request, historyLength);
        int[] known = request.userId() == null ? null : userItems.get(request.userId());
        Set<Integer> excluded = new HashSet<>();
        for (ItemId id : request.exclusions()) {
            Integer c = catalogue.index.get(id);
            if (c != null) {
                excluded.add(c);
            }
        }
        if (request.excludeSeen() && known != null) {
            for (int c : known) {
                excluded.add(c);
            }
        }
        float[] regressionScores = new float[catalogue.size()];
        // The regression reads the whole history (the ranker only its most recent historyLength items).
        regression.score(history(request, Integer.MAX_VALUE), regressionScores);
        TopK top = new TopK(n);
        for (int i = 0; i < catalogue.size(); i++) {
            if (!excluded.contains(i) && top.wouldAccept(regressionScores[i])
                    && request.filter().matches(catalogue.itemFeatures[i])) {
                top.offer(i, regressionScores[i]);
            }
        }
        int[] fromRegression = new int[top.size()];
        top.drainBestFirst(fromRegression, new float[fromRegression.length]);
        LinkedHashMap<Integer, Boolean> union = new LinkedHashMap<>();
        for (int c : fromRegression) {
            union.put(c, true);
        }
        for (int r = 0; r < Math.min(n, retrieved.size()); r++) {
            union.put(catalogue.index.get(retrieved.get(r).item()), true);
        }
        for (int c : extra) {
            union.put(c, true);
        }
        int[] items = union.keySet().stream().mapToInt(Integer::intValue).toArray();
        float floor = Float.POSITIVE_INFINITY;
        for (float s : retrievalScore.values()) {
            floor = Math.min(floor, s);
        }
        int s = NAMES.size();
        float[] scores = new float[items.length * s];
        for (int k = 0; k < items.length; k++) {
            Float t = retrievalScore.get(items[k]);
            scores[k * s] = regressionScores[items[k]];
            scores[k * s + 1] = t != null ? t : (Float.isFinite(floor) ? floor : 0f);
            scores[k * s + 2] = t != null ? 1f : 0f;
            scores[k * s + 3] = popularity[items[k]];
        }
        for (int j = 0; j < s; j++) {
            if (j != 2) {
                standardise(scores, j, s, items.length);
            }
            for (int k = 0; k < items.length; k++) {
                scores[k * s + j] *= scale[j];
            }
        }
        Features features = request.userFeatures();
        if (request.userId() != null && catalogue.users.rows().containsKey(request.userId())) {
            Map<String, dev.attentive.api.FeatureValue> merged = new LinkedHashMap<>(
                    catalogue.users.get(request.userId()).values());
            merged.putAll(features.values());
            features = new Features(merged);
        }
        int[] userValues = catalogue.userSlots() == 0 ? new int[0] : catalogue.slots.encodeUser(features);
        return new Candidates(items, scores, history, userValues);
    }

    /** Z-scores column {@code j} of a {@code rows x stride} table over its rows. */
    private static void standardise(float[] table, int j, int stride, int rows) {
        if (rows == 0) {
            return;
        }
        double sum = 0;
        double sq = 0;
        for (int r = 0; r < rows; r++) {
            double v = table[r * stride + j];
            sum += v;
            sq += v * v;
        }
        double mean = sum / rows;
        double sd = Math.sqrt(Math.max(0, sq / rows - mean * mean));
        for (int r = 0; r < rows; r++) {
            table[r * stride + j] = (float) ((table[r * stride + j] - mean) / (sd + 1e-6));
        }
    }

    @Override
    public void close() {
        retrieval.close();
    }
}
