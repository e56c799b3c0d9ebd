package dev.attentive.model.serve;

import dev.attentive.api.Attention;
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
import dev.attentive.kernels.Vectors;
import dev.attentive.model.features.FieldEncoder;
import dev.attentive.model.nn.Side;
import dev.attentive.model.nn.TwoTowerModel;
import java.util.ArrayList;
import java.util.Comparator;
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
    /** The name of the part of the score the linearisation leaves (see {@link #explain}). */
    static final String NONLINEAR = "(nonlinear)";

    public final TwoTowerModel model;
    public final int dim;
    private final float[] itemEmbeddings;
    private final float[] userEmbeddings;
    private final List<Set<ItemId>> seen;
    private final Retriever retriever;
    /** Item ids by row of the item id table (row 0, the unknown bucket, is "?"). */
    private final String[] itemIdByRow;

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
        FieldEncoder itemIds = model.item.fields.get(0);
        itemIdByRow = new String[itemIds.rows()];
        itemIdByRow[0] = "?";
        itemIds.vocabulary.forEach((id, row) -> itemIdByRow[row] = id);
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
        List<Recommendation> out = new ArrayList<>(hits.size());
        for (ScoredItem hit : hits) {
            Optional<Explanation> explanation = request.explain()
                    ? Optional.of(explain(pass, hit)) : Optional.empty();
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

    /**
     * Explains one recommendation. Field and history weights come from the attention passes. The
     * score {@code s = u . v}, {@code u = r / |r|}, {@code r = tower(p)}, {@code p} the pooled user
     * fields, is split by a linearisation of the tower: with {@code g = J_tower(p)^T v / |r|} (the
     * gradient of {@code r . v / |r|} in {@code p}, holding the norm fixed), user field {@code f} with
     * attention weight {@code w_f} and vector {@code x_f} contributes {@code w_f (g . x_f)}; what this
     * leaves of the score (the tower's biases and nonlinearity) is reported as {@code "(nonlinear)"},
     * so the contributions sum to the score exactly (up to double rounding). When the field attention
     * concatenates the fields ({@code concat-mlp}, output width fields × dim), field {@code f}
     * contributes {@code g_f . x_f} with {@code g_f} the block of the gradient that multiplies it (its
     * uniform "weights" carry no meaning). Otherwise each field contributes {@code w_f s} and there is
     * no remainder.
     */
    private Explanation explain(Side.Pass userPass, ScoredItem hit) {
        Side user = model.user;
        List<String> userNames = names(user);
        List<Explanation.Weight> userWeights = weights(userPass.attentionPass, 0, userNames);
        List<Explanation.Weight> history = List.of();
        if (userPass.historyPass != null) {
            List<String> recent = new ArrayList<>();
            for (int row : userPass.histories[0]) {
                recent.add(itemIdByRow[row]);
            }
            history = weights(userPass.historyPass, 0, recent);
        }
        int c = model.itemIndex.get(hit.id());
        Side.Pass itemPass = model.item.forward(new FieldEncoder.Encoded[] {model.encodeItem(c)}, null, false, null);
        List<Explanation.Weight> itemWeights = weights(itemPass.attentionPass, 0, names(model.item));

        double score = hit.score();
        float[] w = userPass.attentionPass.weights();
        int fields = user.fieldCount();
        List<Explanation.Weight> contributions = new ArrayList<>();
        int pooled = user.attention.outputDim();
        if (pooled == dim || pooled == fields * dim) {
            float[] gradRaw = new float[dim];
            float inv = 1 / userPass.norms[0];
            for (int d = 0; d < dim; d++) {
                gradRaw[d] = itemEmbeddings[c * dim + d] * inv;
            }
            float[] g = new float[pooled];
            user.tower.backward(userPass.towerPass, gradRaw, g, new dev.attentive.api.Gradients(user.tower.parameters()));
            double sum = 0;
            for (int f = 0; f < fields; f++) {
                if (w[f] == 0) {
                    continue;
                }
                // Pooling into the field space: field f enters as w_f x_f. Concatenation: x_f fills block f.
                double share = pooled == dim
                        ? w[f] * (double) Vectors.dot(g, 0, userPass.fieldVectors, f * dim, dim)
                        : Vectors.dot(g, f * dim, userPass.fieldVectors, f * dim, dim);
                contributions.add(new Explanation.Weight(userNames.get(f), share));
                sum += share;
            }
            contributions.add(new Explanation.Weight(NONLINEAR, score - sum));
        } else {
            for (int f = 0; f < fields; f++) {
                if (w[f] != 0) {
                    contributions.add(new Explanation.Weight(userNames.get(f), w[f] * score));
                }
            }
        }
        contributions.sort(Comparator.comparingDouble((Explanation.Weight x) -> Math.abs(x.value())).reversed());
        return new Explanation(userWeights, history, itemWeights, contributions);
    }

    private static List<String> names(Side side) {
        List<String> names = new ArrayList<>();
        side.fields.forEach(f -> names.add(f.name));
        if (side.historyAttention != null) {
            names.add("history");
        }
        return names;
    }

    private static List<Explanation.Weight> weights(Attention.Pass pass, int row, List<String> names) {
        float[] w = pass.weights();
        int fields = w.length / pass.batch();
        List<Explanation.Weight> out = new ArrayList<>();
        for (int f = 0; f < Math.min(fields, names.size()); f++) {
            if (w[row * fields + f] > 0) {
                out.add(new Explanation.Weight(names.get(f), w[row * fields + f]));
            }
        }
        out.sort(Comparator.comparingDouble(Explanation.Weight::value).reversed());
        return out;
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

    /** The unit embedding of a catalogue item, a copy. */
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
