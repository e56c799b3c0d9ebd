package dev.attentive.model.serve;

import dev.attentive.api.Explanation;
import dev.attentive.api.FeatureValue;
import dev.attentive.api.Features;
import dev.attentive.api.IndexedItem;
import dev.attentive.api.Interaction;
import dev.attentive.api.ItemFilter;
import dev.attentive.api.ItemId;
import dev.attentive.api.Recommendation;
import dev.attentive.api.RecommendationRequest;
import dev.attentive.api.Recommender;
import dev.attentive.api.Retriever;
import dev.attentive.api.ScoredItem;
import dev.attentive.api.Similarity;
import dev.attentive.api.spi.ProviderRegistry;
import dev.attentive.api.spi.RetrieverSpec;
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
 * and indexed in the configured retriever; known users' embeddings (id, features, most recent
 * training items) are cached; requests with features or recent items are embedded on the fly.
 * Thread safe: the model is read-only, forward passes are independent, retrievers are thread safe.
 */
public final class TwoTowerRecommender implements Recommender {
    private static final int CHUNK = 1024;

    public final TwoTowerModel model;
    public final int dim;
    private final float[] itemEmbeddings;
    private final float[] userEmbeddings;
    private final List<Set<ItemId>> seen;
    private final Retriever retriever;
    /** Explains recommendations (package-private for tests and benchmarks). */
    final Explainer explainer;

    public TwoTowerRecommender(TwoTowerModel model) {
        this.model = model;
        this.dim = model.config.dim();
        int items = model.items.length;
        itemEmbeddings = new float[items * dim];
        for (int start = 0; start < items; start += CHUNK) {
            int b = Math.min(CHUNK, items - start);
            FieldEncoder.Encoded[] rows = new FieldEncoder.Encoded[b];
            for (int r = 0; r < b; r++) {
                rows[r] = model.encodeItem(start + r);
            }
            System.arraycopy(model.item.forward(rows, null, false, null).embeddings, 0, itemEmbeddings, start * dim,
                    b * dim);
        }
        int users = model.users.length;
        userEmbeddings = new float[users * dim];
        for (int start = 0; start < users; start += CHUNK) {
            int b = Math.min(CHUNK, users - start);
            FieldEncoder.Encoded[] rows = new FieldEncoder.Encoded[b];
            int[][] histories = new int[b][];
            for (int r = 0; r < b; r++) {
                int u = start + r;
                rows[r] = model.encodeUser(u, model.userFeatures[u], Interaction.NO_TIMESTAMP, "user " + model.users[u]);
                histories[r] = model.historyRows(model.userItems[u], model.userItems[u].length);
            }
            System.arraycopy(model.user.forward(rows, histories, false, null).embeddings, 0, userEmbeddings,
                    start * dim, b * dim);
        }
        explainer = new Explainer(model, this::itemRow, this::itemEmbedding);
        seen = new ArrayList<>(users);
        for (int u = 0; u < users; u++) {
            Set<ItemId> s = new HashSet<>();
            for (int c : model.userItems[u]) {
                s.add(model.items[c]);
            }
            seen.add(Set.copyOf(s));
        }
        retriever = ProviderRegistry.retrievers().get(model.config.retriever()).create(Map.of(),
                new RetrieverSpec(dim, Similarity.DOT_PRODUCT, model.provenance.getOrDefault("dataFingerprint", "")));
        List<IndexedItem> indexed = new ArrayList<>(items);
        for (int c = 0; c < items; c++) {
            indexed.add(new IndexedItem(model.items[c], java.util.Arrays.copyOfRange(itemEmbeddings, c * dim,
                    (c + 1) * dim), model.itemFeatures[c]));
        }
        retriever.index(indexed);
    }

    @Override
    public List<Recommendation> recommend(RecommendationRequest request) {
        Integer known = request.userId() == null ? null : model.userIndex.get(request.userId());
        int u = known == null ? -1 : known;
        float[] query;
        Side.Pass pass = null;
        if (u >= 0 && request.userFeatures().values().isEmpty() && request.recentItems().isEmpty() && !request.explain()) {
            query = java.util.Arrays.copyOfRange(userEmbeddings, u * dim, (u + 1) * dim);
        } else {
            pass = embedUser(request, u);
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
        List<ScoredItem> hits = retriever.search(query, request.k(), request.filter(), exclusions);
        Explanation[] explanations = request.explain() ? explainer.explain(pass, hits) : null;
        List<Recommendation> out = new ArrayList<>(hits.size());
        for (int i = 0; i < hits.size(); i++) {
            ScoredItem hit = hits.get(i);
            Optional<Explanation> explanation = explanations == null ? Optional.empty() : Optional.of(explanations[i]);
            out.add(new Recommendation(hit.id(), hit.score(), explanation));
        }
        return out;
    }

    private Side.Pass embedUser(RecommendationRequest request, int u) {
        Map<String, FeatureValue> merged = new LinkedHashMap<>();
        if (u >= 0) {
            merged.putAll(model.userFeatures[u].values());
        }
        merged.putAll(request.userFeatures().values());
        String where = request.userId() == null ? "the anonymous request" : "user " + request.userId();
        FieldEncoder.Encoded row = model.encodeUser(u, new Features(merged), Interaction.NO_TIMESTAMP, where);
        int[] history;
        if (!request.recentItems().isEmpty()) {
            List<Integer> rows = new ArrayList<>();
            for (ItemId id : request.recentItems()) {
                Integer c = model.itemIndex.get(id);
                if (c != null && model.itemIdRow[c] != 0 && rows.size() < model.config.historyLength()) {
                    rows.add(model.itemIdRow[c]);
                }
            }
            history = rows.stream().mapToInt(Integer::intValue).toArray();
        } else if (u >= 0) {
            history = model.historyRows(model.userItems[u], model.userItems[u].length);
        } else {
            history = new int[0];
        }
        return model.user.forward(new FieldEncoder.Encoded[] {row}, new int[][] {history}, false, null);
    }

    @Override
    public List<Recommendation> similarItems(ItemId item, int k, ItemFilter filter) {
        Integer c = model.itemIndex.get(item);
        if (c == null) {
            throw new IllegalArgumentException("Unknown item '" + item + "': the model's catalogue has "
                    + model.items.length + " items; index it with features before asking for similar items");
        }
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
        float[] query = java.util.Arrays.copyOfRange(itemEmbeddings, c * dim, (c + 1) * dim);
        List<Recommendation> out = new ArrayList<>();
        for (ScoredItem hit : retriever.search(query, k, filter, Set.of(item))) {
            out.add(new Recommendation(hit.id(), hit.score()));
        }
        return out;
    }

    /** A copy of the catalogue's embeddings, row-major. */
    public float[] itemEmbeddings() {
        return itemEmbeddings.clone();
    }

    /** A copy of the known users' embeddings, row-major. */
    public float[] userEmbeddings() {
        return userEmbeddings.clone();
    }

    /** The encoded features of a catalogue item, the item tower's input (explanations read items through it). */
    FieldEncoder.Encoded itemRow(ItemId item) {
        return model.encodeItem(model.itemIndex.get(item));
    }

    /** The unit embedding of a catalogue item, a copy (explanations read items through it). */
    float[] itemEmbedding(ItemId item) {
        int c = model.itemIndex.get(item);
        return java.util.Arrays.copyOfRange(itemEmbeddings, c * dim, (c + 1) * dim);
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
