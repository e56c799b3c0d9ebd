package dev.attentive.model.rank;

import dev.attentive.api.Explanation;
import dev.attentive.api.ItemCatalogue;
import dev.attentive.api.ItemFilter;
import dev.attentive.api.ItemId;
import dev.attentive.api.Ranker;
import dev.attentive.api.RankerBatch;
import dev.attentive.api.Recommendation;
import dev.attentive.api.RecommendationRequest;
import dev.attentive.api.RecommendationResponse;
import dev.attentive.api.Recommender;
import dev.attentive.api.UserId;
import dev.attentive.api.spi.RankerShape;
import dev.attentive.model.TwoStageModelProvider;
import dev.attentive.model.serve.TwoTowerRecommender;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Serves the two-stage pipeline: candidate sources, then the ranker over their union, then the top
 * k. A request whose user is unknown to the sources and that has no recent items gets the
 * retrieval's own order (there is no history to rank with). Thread safe: the sources and the ranker
 * allow concurrent calls, and nothing here is mutated after construction (the ranker's parameters
 * change only while it is trained, before the instance is handed out).
 */
public final class TwoStageRecommender implements Recommender {
    final Sources sources;
    final Ranker ranker;
    final int candidates;
    final int historyLength;
    private final TwoStageModelProvider.Config config;
    private final Map<String, String> rankerConfig;
    private final Map<String, String> provenance;

    /**
     * A model over trained (or loaded) parts.
     *
     * @param sources the serving sources (fitted on the whole training set)
     * @param ranker the ranker, trained or to be trained in place
     * @param config the pipeline's config
     * @param rankerConfig the ranker's resolved settings
     * @param provenance filled in by the trainer until the model is handed out
     */
    TwoStageRecommender(Sources sources, Ranker ranker, TwoStageModelProvider.Config config,
            Map<String, String> rankerConfig, Map<String, String> provenance) {
        this.sources = sources;
        this.ranker = ranker;
        this.config = config;
        this.candidates = config.candidates();
        this.historyLength = config.historyLength();
        this.rankerConfig = Collections.unmodifiableMap(new LinkedHashMap<>(rankerConfig)); // in component order
        this.provenance = provenance;
    }

    /**
     * The state this model serves from, for the model store. Not a copy: the arrays and the ranker
     * are this model's.
     *
     * @return the state
     * @throws IllegalStateException when the retrieval is not a two-tower model (it always is when
     *     the two-stage trainer or {@link #restore} made this model)
     */
    public TwoStageState state() {
        if (!(sources.retrieval instanceof TwoTowerRecommender retrieval)) {
            throw new IllegalStateException("The two-stage retrieval is a " + sources.retrieval.getClass().getName()
                    + ", not a two-tower model");
        }
        Catalogue c = sources.catalogue;
        return new TwoStageState(config, Collections.unmodifiableMap(new LinkedHashMap<>(provenance)), retrieval,
                ranker, rankerConfig, c.items, List.of(c.itemFeatures), c.users, c.slots.layout(),
                Collections.unmodifiableMap(sources.userItems), sources.regression.weights());
    }

    /**
     * A model that serves from a state, as the one it was taken from did.
     *
     * @param state the state (a loaded model's); its arrays and ranker are used, not copied
     * @return the model; closing it closes the retrieval
     * @throws IllegalArgumentException when the parts do not fit together: the ranker's shape is not
     *     that of the catalogue and slots, the regression is not catalogue-sized, a user's item is
     *     outside the catalogue, or the retrieval returns items the catalogue lacks
     */
    public static TwoStageRecommender restore(TwoStageState state) {
        FeatureSlots slots = new FeatureSlots(state.slots());
        Catalogue catalogue = new Catalogue(state.items(), state.itemFeatures(), slots, state.users());
        RankerShape expected = new RankerShape(catalogue.size(), slots.valueCount(), catalogue.userSlots(),
                catalogue.itemSlots(), Sources.NAMES);
        if (!expected.equals(state.ranker().shape())) {
            throw new IllegalArgumentException("the ranker's shape " + state.ranker().shape() + " is not the one "
                    + "the catalogue and feature slots need, " + expected);
        }
        for (ItemId item : state.retrieval().model.items) {
            if (!catalogue.index.containsKey(item)) {
                throw new IllegalArgumentException("the retrieval's catalogue has item " + item
                        + ", which the two-stage catalogue lacks");
            }
        }
        Map<UserId, int[]> userItems = new LinkedHashMap<>();
        for (var e : state.userItems().entrySet()) {
            for (int c : e.getValue()) {
                if (c < 0 || c >= catalogue.size()) {
                    throw new IllegalArgumentException("user " + e.getKey() + " has item index " + c
                            + ", outside the catalogue of " + catalogue.size() + " items");
                }
            }
            userItems.put(e.getKey(), e.getValue());
        }
        ItemRegression regression = ItemRegression.of(catalogue.size(), state.itemRegression());
        TwoStageModelProvider.Config config = state.config();
        float[] scale = new float[Sources.NAMES.size()];
        for (int j = 0; j < scale.length; j++) {
            scale[j] = config.sourceScale().get(j).floatValue();
        }
        Sources sources = new Sources(catalogue, state.retrieval(), regression, userItems, scale);
        return new TwoStageRecommender(sources, state.ranker(), config, state.rankerConfig(),
                new LinkedHashMap<>(state.provenance()));
    }

    /** Packs one candidate list into a ranker batch. */
    static RankerBatch batch(Catalogue catalogue, List<Sources.Candidates> lists, int historyLength) {
        int size = 1;
        for (Sources.Candidates c : lists) {
            size = Math.max(size, c.items().length);
        }
        int s = Sources.NAMES.size();
        int u = catalogue.userSlots();
        int f = catalogue.itemSlots();
        int b = lists.size();
        int[] history = new int[b * historyLength];
        int[] items = new int[b * size];
        float[] scores = new float[b * size * s];
        int[] userValues = new int[b * u];
        int[] itemValues = new int[b * size * f];
        Arrays.fill(history, -1);
        Arrays.fill(items, -1);
        Arrays.fill(itemValues, -1);
        for (int l = 0; l < b; l++) {
            Sources.Candidates c = lists.get(l);
            System.arraycopy(c.history(), 0, history, l * historyLength, Math.min(historyLength, c.history().length));
            System.arraycopy(c.items(), 0, items, l * size, c.items().length);
            System.arraycopy(c.scores(), 0, scores, l * size * s, c.scores().length);
            System.arraycopy(c.userValues(), 0, userValues, l * u, u);
            for (int k = 0; k < c.items().length; k++) {
                System.arraycopy(catalogue.itemValues, c.items()[k] * f, itemValues, (l * size + k) * f, f);
            }
        }
        return new RankerBatch(b, size, historyLength, history, items, scores, userValues, itemValues);
    }

    @Override
    public List<Recommendation> recommend(RecommendationRequest request) {
        return respond(request).items();
    }

    /**
     * {@inheritDoc}
     *
     * <p>The basis is {@link RecommendationResponse.Basis#KNOWN_USER} when the user is one the
     * pipeline was trained on. An unknown or anonymous request with recent items is ranked over the
     * recent items the catalogue holds ({@link RecommendationResponse.Basis#REQUEST_CONTEXT} when
     * there is at least one of them or the request has features, else
     * {@link RecommendationResponse.Basis#FALLBACK}); one without recent items gets the retrieval's
     * answer and basis. The unknown recent items are those the trained catalogue does not hold (the
     * ranker and the item regression know no other item), in request order.
     *
     * @throws IllegalArgumentException when the request names a user feature the model does not know,
     *     or its filter names an unknown item field or compares a field of another type
     */
    @Override
    public RecommendationResponse respond(RecommendationRequest request) {
        checkFilter(request.filter());
        boolean known = request.userId() != null && sources.userItems.containsKey(request.userId());
        if (!known && request.recentItems().isEmpty()) {
            return sources.retrieval.respond(request);
        }
        List<ItemId> unknown = new ArrayList<>();
        boolean usable = false;
        for (ItemId id : request.recentItems()) {
            if (sources.catalogue.index.containsKey(id)) {
                usable = true;
            } else {
                unknown.add(id);
            }
        }
        RecommendationResponse.Basis basis = known ? RecommendationResponse.Basis.KNOWN_USER
                : usable || !request.userFeatures().values().isEmpty() ? RecommendationResponse.Basis.REQUEST_CONTEXT
                        : RecommendationResponse.Basis.FALLBACK;
        Sources.Candidates c = sources.candidates(request, Math.max(candidates, request.k()), historyLength, new int[0]);
        if (c.items().length == 0) {
            return new RecommendationResponse(List.of(), basis, unknown);
        }
        Ranker.Pass pass = ranker.forward(batch(sources.catalogue, List.of(c), historyLength), false, null);
        float[] scores = pass.scores();
        int[] order = order(scores, c.items(), Math.min(request.k(), c.items().length));
        List<Recommendation> out = new ArrayList<>(order.length);
        for (int k : order) {
            ItemId item = sources.catalogue.items.get(c.items()[k]);
            Optional<Explanation> why = request.explain()
                    ? Optional.of(explain(c, pass.historyWeights(), k, scores[k])) : Optional.empty();
            out.add(new Recommendation(item, scores[k], why));
        }
        return new RecommendationResponse(out, basis, unknown);
    }

    /**
     * Refused: the pipeline's catalogue is fixed at training.
     *
     * @throws UnsupportedOperationException always, saying why and what to serve instead
     */
    @Override
    public ItemCatalogue catalogue() {
        throw new UnsupportedOperationException("The two-stage model's catalogue cannot change yet: its ranker and "
                + "item regression score only the " + sources.catalogue.size() + " items of the trained catalogue and "
                + "cannot take new items. Serve the retrieval model ('two-tower') when the catalogue must change.");
    }

    /** Checks a filter against the catalogue's item schema (the retrieval's, which the trainer always makes). */
    private void checkFilter(ItemFilter filter) {
        if (sources.retrieval instanceof TwoTowerRecommender retrieval) {
            filter.checkAgainst(retrieval.model.itemSchema);
        }
    }

    /**
     * The positions of the {@code top} best candidates: by descending score, ties by ascending
     * catalogue index (the order of {@code Double.compare} on the negated scores, NaN last). Sorts
     * primitive keys, {@code (order bits of -score) << 32 | item}, rather than boxed positions.
     */
    static int[] order(float[] scores, int[] items, int top) {
        int m = items.length;
        long[] keys = new long[m];
        long[] byItem = new long[m];
        for (int k = 0; k < m; k++) {
            keys[k] = ((long) orderBits(-scores[k]) << 32) | items[k];
            byItem[k] = ((long) items[k] << 32) | k;
        }
        Arrays.sort(keys);
        Arrays.sort(byItem);
        int[] out = new int[top];
        for (int r = 0; r < top; r++) {
            int at = Arrays.binarySearch(byItem, (long) (int) keys[r] << 32);
            out[r] = (int) byItem[at >= 0 ? at : -at - 1];
        }
        return out;
    }

    /** An int whose signed order is {@link Float#compare}'s order of the floats (NaN above +infinity). */
    private static int orderBits(float f) {
        int bits = Float.floatToIntBits(f);
        return bits ^ ((bits >> 31) & 0x7fffffff);
    }

    /**
     * The candidate's "because of" history items are the ranker's history weights for that
     * candidate (with target attention they differ from candidate to candidate); the whole score is
     * the ranker's, reported as the one contribution {@code ranker}.
     */
    private Explanation explain(Sources.Candidates c, float[] weights, int k, float score) {
        List<Explanation.Weight> history = new ArrayList<>();
        int n = Math.min(historyLength, c.history().length);
        for (int t = 0; t < n; t++) {
            float w = weights[k * historyLength + t];
            if (w > 0) {
                history.add(new Explanation.Weight(sources.catalogue.items.get(c.history()[t]).value(), w));
            }
        }
        history.sort(Comparator.comparingDouble((Explanation.Weight w) -> w.value()).reversed());
        return new Explanation(List.of(), history, List.of(),
                List.of(new Explanation.Weight("ranker", score)));
    }

    @Override
    public List<Recommendation> similarItems(ItemId item, int k, ItemFilter filter) {
        checkFilter(filter);
        return sources.retrieval.similarItems(item, k, filter);
    }

    @Override
    public void close() {
        sources.close();
    }
}
