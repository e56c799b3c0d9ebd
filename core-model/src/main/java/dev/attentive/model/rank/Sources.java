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
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    /** Per-item flags of one candidate list: a byte per catalogue item rather than boxed sets and maps. */
    private static final byte EXCLUDED = 1;
    private static final byte RETRIEVED = 2;
    private static final byte LISTED = 4;

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
        int[] known = request.userId() == null ? null : userItems.get(request.userId());
        int[] out = new int[(int) Math.min(length, (long) request.recentItems().size() + (known == null ? 0 : known.length))];
        boolean[] listed = new boolean[catalogue.size()];
        int size = 0;
        for (ItemId id : request.recentItems()) {
            Integer c = catalogue.index.get(id);
            if (size < out.length && c != null && !listed[c]) {
                listed[c] = true;
                out[size++] = c;
            }
        }
        if (known != null) {
            for (int i = 0; i < known.length && size < out.length; i++) {
                if (!listed[known[i]]) {
                    listed[known[i]] = true;
                    out[size++] = known[i];
                }
            }
        }
        return size == out.length ? out : Arrays.copyOf(out, size);
    }

    /**
     * The union of both sources' top {@code n} eligible items for a request, then {@code extra}
     * items (training negatives) not already in it, with z-scored source scores.
     *
     * @throws IllegalArgumentException when the request names features the retrieval does not know
     */
    Candidates candidates(RecommendationRequest request, int n, int historyLength, int[] extra) {
        int size = catalogue.size();
        // The retrieval applies filter, exclusions and seen items inside its retriever; 2n gives its
        // scores for more of the regression's candidates.
        RecommendationRequest wide = new RecommendationRequest(request.userId(), request.userFeatures(),
                request.recentItems(), 2 * n, request.filter(), request.exclusions(), request.excludeSeen(), false);
        List<Recommendation> retrieved = retrieval.recommend(wide);
        byte[] flags = new byte[size];
        int[] retrievedItems = new int[retrieved.size()];
        float[] retrievalScores = new float[size];
        float floor = Float.POSITIVE_INFINITY;
        for (int r = 0; r < retrievedItems.length; r++) {
            int c = catalogue.index.get(retrieved.get(r).item());
            float score = (float) retrieved.get(r).score();
            retrievedItems[r] = c;
            retrievalScores[c] = score;
            flags[c] |= RETRIEVED;
            floor = Math.min(floor, score);
        }
        // The regression reads the whole history, the ranker its most recent historyLength items.
        int[] fullHistory = history(request, Integer.MAX_VALUE);
        int[] history = fullHistory.length <= historyLength ? fullHistory : Arrays.copyOf(fullHistory, historyLength);
        int[] known = request.userId() == null ? null : userItems.get(request.userId());
        for (ItemId id : request.exclusions()) {
            Integer c = catalogue.index.get(id);
            if (c != null) {
                flags[c] |= EXCLUDED;
            }
        }
        if (request.excludeSeen() && known != null) {
            for (int c : known) {
                flags[c] |= EXCLUDED;
            }
        }
        float[] regressionScores = new float[size];
        regression.score(fullHistory, regressionScores);
        TopK top = new TopK(n);
        for (int i = 0; i < size; i++) {
            if ((flags[i] & EXCLUDED) == 0 && top.wouldAccept(regressionScores[i])
                    && request.filter().matches(catalogue.itemFeatures[i])) {
                top.offer(i, regressionScores[i]);
            }
        }
        int[] fromRegression = new int[top.size()];
        top.drainBestFirst(fromRegression, new float[fromRegression.length]);
        // The union in order of first appearance: the regression's, the retrieval's top n, the extras.
        int[] items = new int[fromRegression.length + Math.min(n, retrievedItems.length) + extra.length];
        int count = 0;
        for (int c : fromRegression) {
            count = list(items, count, flags, c);
        }
        for (int r = 0; r < Math.min(n, retrievedItems.length); r++) {
            count = list(items, count, flags, retrievedItems[r]);
        }
        for (int c : extra) {
            count = list(items, count, flags, c);
        }
        items = Arrays.copyOf(items, count);
        int s = NAMES.size();
        float missing = Float.isFinite(floor) ? floor : 0f;
        float[] scores = new float[items.length * s];
        for (int k = 0; k < items.length; k++) {
            boolean got = (flags[items[k]] & RETRIEVED) != 0;
            scores[k * s] = regressionScores[items[k]];
            scores[k * s + 1] = got ? retrievalScores[items[k]] : missing;
            scores[k * s + 2] = got ? 1f : 0f;
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

    /** Appends item {@code c} to the list unless it is already in it; returns the new length. */
    private static int list(int[] items, int count, byte[] flags, int c) {
        if ((flags[c] & LISTED) != 0) {
            return count;
        }
        flags[c] |= LISTED;
        items[count] = c;
        return count + 1;
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

    /** True for fits shared between trainings (see {@code TwoStageTrainer.SHARE_FITS}): close does nothing. */
    private volatile boolean keptOpen;

    /** Marks this fit as shared, so that closing it leaves it open; returns it. */
    Sources keptOpen() {
        keptOpen = true;
        return this;
    }

    @Override
    public void close() {
        if (!keptOpen) {
            retrieval.close();
        }
    }
}
