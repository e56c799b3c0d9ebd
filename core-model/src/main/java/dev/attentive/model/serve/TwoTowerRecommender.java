package dev.attentive.model.serve;

import dev.attentive.api.Explanation;
import dev.attentive.api.FeatureValue;
import dev.attentive.api.Features;
import dev.attentive.api.IndexedItem;
import dev.attentive.api.Interaction;
import dev.attentive.api.ItemCatalogue;
import dev.attentive.api.ItemFilter;
import dev.attentive.api.ItemId;
import dev.attentive.api.Recommendation;
import dev.attentive.api.RecommendationRequest;
import dev.attentive.api.RecommendationResponse;
import dev.attentive.api.Recommender;
import dev.attentive.api.Retriever;
import dev.attentive.api.ScoredItem;
import dev.attentive.api.Similarity;
import dev.attentive.api.spi.ProviderRegistry;
import dev.attentive.api.spi.RetrieverSpec;
import dev.attentive.model.TwoTowerModelProvider;
import dev.attentive.model.features.FieldEncoder;
import dev.attentive.model.nn.Side;
import dev.attentive.model.nn.TwoTowerModel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Serves a trained {@link TwoTowerModel}: item embeddings of the whole catalogue are computed once
 * and indexed in the configured retriever (or another, see {@link #serve}; a persistent index that
 * reopens for this item tower is used as it is, without embedding the catalogue); known users'
 * embeddings (id, features, most recent training items) are cached; requests with features or recent
 * items are embedded on the fly.
 *
 * <p>The catalogue lives ({@link #catalogue()}): items put after training are embedded by the item
 * tower and written to the retriever; removed items leave it. Answers, similar items and
 * explanations read the catalogue as it is when the request starts.
 *
 * <p>What a request's history can use ({@link #respond}): the user tower's history field reads the
 * item id table, so a recent item counts only when the model was trained on its id. A recent item
 * the model has no trained id row for — an id it never saw, an item put after training under a new
 * id, or a catalogue item without training interactions — cannot enter the history and is reported in
 * {@link RecommendationResponse#unknownRecentItems()}. An item removed from the catalogue after
 * training still has its trained row and still describes the user, so it is used, not reported.
 * For a known user, recent items given in a request <em>are</em> the history (its first
 * {@code historyLength} usable ones); the user's training items are not appended to them, so pass
 * the whole recent history, most recent first, not only what happened since training. (The
 * harness's baselines instead add recent items to the training ones; its
 * {@code --test-history train+valid} passes the whole history, which reads the same under both.)
 *
 * <p>Thread safe: the model is read-only, forward passes are independent, retrievers are thread safe,
 * and the catalogue serialises its changes while reads take no lock.
 */
public final class TwoTowerRecommender implements Recommender {

    private static final System.Logger LOG = System.getLogger(TwoTowerRecommender.class.getName());

    public final TwoTowerModel model;
    public final int dim;
    private final ServingState state;
    private final float[] userEmbeddings;
    private final List<Set<ItemId>> seen;
    private final Retriever retriever;
    /** Explains recommendations (package-private for tests and benchmarks). */
    final Explainer explainer;
    private final LivingCatalogue catalogue;

    /**
     * Serves a trained model through the retriever its config names, with the config's retriever
     * settings: the whole catalogue is embedded and indexed.
     *
     * @param model the trained model; read-only from here on
     */
    public TwoTowerRecommender(TwoTowerModel model) {
        this(model, new ServingState(model), model.config.retriever(),
                TwoTowerModelProvider.parseSettings(model.config.retrieverSettings()));
    }

    /**
     * Serves a trained model through the given retriever. The retriever's spec carries the item
     * tower's fingerprint ({@link TwoTowerModel#itemTowerFingerprint()}). A retriever that opens
     * holding items (a persistent index reopened, which the retriever has checked was built for this
     * fingerprint) is used as it is: the catalogue is neither embedded nor indexed again. An empty one
     * gets the trained catalogue, which is then committed.
     *
     * @param model the trained model; read-only from here on
     * @param retriever the retriever plugin's name
     * @param settings its settings
     * @return the recommender; closing it closes (and so commits) the retriever
     * @throws IllegalArgumentException when the retriever is unknown, refuses the settings, or refuses
     *     to open its index for this model
     */
    public static TwoTowerRecommender serve(TwoTowerModel model, String retriever, Map<String, String> settings) {
        return new TwoTowerRecommender(model, new ServingState(model), retriever, settings);
    }

    /**
     * This recommender's model through another retriever, as {@link #serve}; shares what this
     * recommender computed (user embeddings, item vectors, fingerprint) instead of computing it
     * again. Catalogue changes made through this recommender are not carried over. Both
     * recommenders stay open and are closed on their own.
     *
     * @param retriever the retriever plugin's name
     * @param settings its settings
     * @return the new recommender
     */
    public TwoTowerRecommender withRetriever(String retriever, Map<String, String> settings) {
        return new TwoTowerRecommender(model, state, retriever, settings);
    }

    private TwoTowerRecommender(TwoTowerModel model, ServingState state, String retrieverName,
            Map<String, String> settings) {
        this.model = model;
        this.dim = model.config.dim();
        this.state = state;
        this.userEmbeddings = state.userEmbeddings;
        this.seen = state.seen;
        this.retriever = ProviderRegistry.retrievers().get(retrieverName).create(settings,
                new RetrieverSpec(dim, Similarity.DOT_PRODUCT, state.fingerprint));
        try {
            int held = retriever.size();
            if (held == 0) {
                float[] vectors = state.itemVectors(model);
                List<IndexedItem> indexed = new ArrayList<>(model.items.length);
                for (int c = 0; c < model.items.length; c++) {
                    indexed.add(new IndexedItem(model.items[c], java.util.Arrays.copyOfRange(vectors, c * dim,
                            (c + 1) * dim), model.itemFeatures[c]));
                }
                retriever.index(indexed);
                retriever.commit();
            } else {
                LOG.log(System.Logger.Level.INFO, () -> "Serving from the " + retrieverName + " index it opened with "
                        + held + " items, built for item tower " + state.fingerprint + "; the catalogue was not "
                        + "indexed again");
            }
        } catch (RuntimeException e) {
            retriever.close();
            throw e;
        }
        this.catalogue = new LivingCatalogue(model, retriever, this::embedItem, c -> state.itemVector(model, c));
        this.explainer = new Explainer(model, this::itemRow, this::explainedVector);
    }

    /**
     * The living catalogue: put, update and remove items while serving. A change is visible to every
     * request that starts after the changing call returns (with {@code lucene-hnsw}'s default
     * {@code refreshIntervalMs=0}; with a refresh interval above 0 a put item reaches answers within
     * that interval, while a removal is immediate either way). Items put under an id the model was
     * trained on keep its trained id row; other ids are embedded from their features alone (cold
     * start). Thread safe.
     *
     * @return the catalogue
     */
    @Override
    public ItemCatalogue catalogue() {
        return catalogue;
    }

    @Override
    public List<Recommendation> recommend(RecommendationRequest request) {
        return respond(request).items();
    }

    /**
     * {@inheritDoc}
     *
     * <p>The basis is {@link RecommendationResponse.Basis#KNOWN_USER} when the user id is one the
     * model was trained on; {@link RecommendationResponse.Basis#REQUEST_CONTEXT} for an unknown or
     * anonymous user when the request has features or at least one recent item the history can use
     * (see the class comment); {@link RecommendationResponse.Basis#FALLBACK} otherwise. The unknown
     * recent items are those the history cannot use, in request order.
     *
     * @throws IllegalArgumentException when the request names a user feature the model does not know,
     *     or its filter names an unknown item field or compares a field of another type
     */
    @Override
    public RecommendationResponse respond(RecommendationRequest request) {
        request.filter().checkAgainst(model.itemSchema);
        Integer known = request.userId() == null ? null : model.userIndex.get(request.userId());
        int u = known == null ? -1 : known;
        RecentItems recent = recentItems(request.recentItems());
        float[] query;
        Side.Pass pass = null;
        if (u >= 0 && request.userFeatures().values().isEmpty() && request.recentItems().isEmpty() && !request.explain()) {
            query = java.util.Arrays.copyOfRange(userEmbeddings, u * dim, (u + 1) * dim);
        } else {
            pass = embedUser(request, u, recent);
            query = pass.embeddings;
        }
        Set<ItemId> exclusions = request.exclusions();
        if (request.excludeSeen() && u >= 0) {
            if (exclusions.isEmpty()) {
                exclusions = seen.get(u);
            } else {
                Set<ItemId> union = new HashSet<>(seen.get(u));
                union.addAll(exclusions);
                exclusions = union;
            }
        }
        List<ScoredItem> hits = catalogue.search(query, request.k(), request.filter(), exclusions);
        Explanation[] explanations = request.explain() ? explainer.explain(pass, hits) : null;
        List<Recommendation> out = new ArrayList<>(hits.size());
        for (int i = 0; i < hits.size(); i++) {
            ScoredItem hit = hits.get(i);
            Optional<Explanation> explanation = explanations == null ? Optional.empty() : Optional.of(explanations[i]);
            out.add(new Recommendation(hit.id(), hit.score(), explanation));
        }
        RecommendationResponse.Basis basis = u >= 0 ? RecommendationResponse.Basis.KNOWN_USER
                : !request.userFeatures().values().isEmpty() || recent.rows().length > 0
                        ? RecommendationResponse.Basis.REQUEST_CONTEXT : RecommendationResponse.Basis.FALLBACK;
        return new RecommendationResponse(out, basis, recent.unknown());
    }

    /**
     * A request's recent items as the history reads them.
     *
     * @param rows the item id table rows of the usable ones, in request order, at most historyLength
     * @param unknown the ones without a trained id row, in request order
     */
    private record RecentItems(int[] rows, List<ItemId> unknown) {
    }

    private RecentItems recentItems(List<ItemId> recent) {
        if (recent.isEmpty()) {
            return new RecentItems(new int[0], List.of());
        }
        List<Integer> rows = new ArrayList<>();
        List<ItemId> unknown = new ArrayList<>();
        Map<String, Integer> vocabulary = model.item.fields.get(0).vocabulary;
        for (ItemId id : recent) {
            Integer row = vocabulary.get(id.value());
            if (row == null) {
                unknown.add(id);
            } else if (rows.size() < model.config.historyLength()) {
                rows.add(row);
            }
        }
        return new RecentItems(rows.stream().mapToInt(Integer::intValue).toArray(), unknown);
    }

    private Side.Pass embedUser(RecommendationRequest request, int u, RecentItems recent) {
        Map<String, FeatureValue> merged = new LinkedHashMap<>();
        if (u >= 0) {
            merged.putAll(model.userFeatures[u].values());
        }
        merged.putAll(request.userFeatures().values());
        String where = request.userId() == null ? "the anonymous request" : "user " + request.userId();
        FieldEncoder.Encoded row = model.encodeUser(u, new Features(merged), Interaction.NO_TIMESTAMP, where);
        int[] history;
        if (!request.recentItems().isEmpty()) {
            history = recent.rows();
        } else if (u >= 0) {
            history = model.historyRows(model.userItems[u], model.userItems[u].length);
        } else {
            history = new int[0];
        }
        return model.user.forward(new FieldEncoder.Encoded[] {row}, new int[][] {history}, false, null);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Works for every item the catalogue holds, those put after training included.
     *
     * @throws IllegalArgumentException when the catalogue does not hold the item (the message says
     *     whether it was removed), when {@code k < 1}, or when the filter names an unknown item field
     *     or compares a field of another type
     */
    @Override
    public List<Recommendation> similarItems(ItemId item, int k, ItemFilter filter) {
        filter.checkAgainst(model.itemSchema);
        LivingCatalogue.Held held = catalogue.find(item).orElseThrow(() -> catalogue.unknownItem(item));
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
        float[] query = catalogue.vector(held);
        List<Recommendation> out = new ArrayList<>();
        for (ScoredItem hit : catalogue.search(query, k, filter, Set.of(item))) {
            out.add(new Recommendation(hit.id(), hit.score()));
        }
        return out;
    }

    /**
     * A copy of the trained catalogue's embeddings, row-major (items put since are not among them);
     * embedded on the first call when the index was reopened rather than built.
     */
    public float[] itemEmbeddings() {
        return state.itemVectors(model).clone();
    }

    /**
     * The item tower's fingerprint that this recommender's retriever was opened for.
     *
     * @return 64 hex digits
     */
    public String itemTowerFingerprint() {
        return state.fingerprint;
    }

    /** A copy of the known users' embeddings, row-major. */
    public float[] userEmbeddings() {
        return userEmbeddings.clone();
    }

    /**
     * The encoded features of an item of an answer, the item tower's input (explanations read items
     * through it): items put after training are encoded from the features they were put with, and an
     * item removed since the search started from those it last had.
     */
    FieldEncoder.Encoded itemRow(ItemId item) {
        return model.encodeItem(item, catalogue.lastHeld(item).features());
    }

    /** The unit vector of an item of an answer as it was last held (explanations read items through it). */
    private float[] explainedVector(ItemId item) {
        return catalogue.vector(catalogue.lastHeld(item));
    }

    /** The unit embedding of an item the catalogue holds, a copy. */
    float[] itemEmbedding(ItemId item) {
        return catalogue.vector(catalogue.find(item).orElseThrow(() -> catalogue.unknownItem(item))).clone();
    }

    /** Embeds an item from its features alone (cold start): its id field is missing unless trained. */
    float[] embedItem(ItemId id, Features features) {
        return model.item.forward(new FieldEncoder.Encoded[] {model.encodeItem(id, features)}, null, false, null)
                .embeddings;
    }

    @Override
    public void close() {
        retriever.close();
    }
}
