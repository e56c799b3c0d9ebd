package dev.attentive.model.serve;

import dev.attentive.api.Explanation;
import dev.attentive.api.Gradients;
import dev.attentive.api.ItemId;
import dev.attentive.api.ScoredItem;
import dev.attentive.api.Tower;
import dev.attentive.kernels.Vectors;
import dev.attentive.model.features.FieldEncoder;
import dev.attentive.model.nn.MlpTower;
import dev.attentive.model.nn.Side;
import dev.attentive.model.nn.TwoTowerModel;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Explains a two-tower recommendation: how its score {@code s = u . v} splits over the user's fields,
 * which item fields it rests on, and which recent items the history field pooled.
 *
 * <p><b>Linearisation.</b> Each tower maps its pooled fields {@code p} to {@code r = tower(p)} and
 * then to the unit embedding {@code r / |r|}. Holding that norm fixed, the score is linearised in the
 * pooled vector: user field {@code f}, entering the tower as the direction {@code d_f} (below),
 * contributes {@code c_f = v . (J_user d_f) / |r_u|}, with {@code J_user} the user tower's Jacobian
 * at the request's {@code p} and {@code v} the item's unit vector. This is the gradient of
 * {@code r_u . v / |r_u|} in {@code p} dotted with {@code d_f}: the first-order change of the score
 * per unit of scaling field {@code f}'s part of the input, {@code d/de s(p + e d_f)} at 0 with the
 * norm held. Symmetrically, item field {@code g} contributes {@code c'_g = u . (J_item d'_g) / |r_v|},
 * linearising the item tower at the item's pooled vector against the user's unit vector.
 *
 * <p><b>How a field enters</b>, read from the field attention's output width:
 * <ul>
 *   <li>{@code fields x dim} ({@code concat-mlp}, and any attention that concatenates, such as
 *       concatenating field gating): {@code d_f} is block {@code f} of the attention's output (for
 *       {@code concat-mlp} the field vector itself). Such an attention's weights explain nothing
 *       ({@code concat-mlp}'s are uniform by construction), so the listed field weights are the
 *       <em>normalised magnitudes of the contributions</em>: user field {@code f} weighs
 *       {@code |c_f| / sum |c|}, item field {@code g} weighs {@code |c'_g| / sum |c'|}, over the
 *       present fields; they sum to 1 and rank fields as the magnitudes of their contributions do.
 *       Where every contribution of a side is 0, that side lists the attention's weights instead.</li>
 *   <li>{@code dim} (pooling, such as {@code mean}): {@code d_f = w_f x_f}, the field's weighted
 *       vector; the field weights listed are the attention weights {@code w_f}.</li>
 *   <li>Any other width: no linearisation; user field {@code f} contributes {@code w_f s} and the
 *       field weights listed are the attention weights.</li>
 * </ul>
 * The contributions are the user side's {@code c_f} and, where the score was linearised, what the
 * linearisation leaves of it (the towers' biases and nonlinearity) as the contribution named
 * {@value #NONLINEAR}; they sum to the score up to double rounding. The item side's {@code c'_g} split
 * the same score a second way and are reported only through the item field weights (listing both
 * splits would count the score twice). History weights are the history attention's.
 *
 * <p><b>Cost.</b> Per request: one forward-mode pass through the user tower per user field
 * ({@link MlpTower#jacobianProducts}), then per hit one dot product per field. The item side's
 * {@code J_item d'_g / |r_v|} do not depend on the user, so they are computed once per item, in one
 * batched item-tower pass for the request's new items, and cached by item id together with the item's
 * unit vector as the catalogue gave it: an entry whose vector no longer matches the catalogue's is
 * computed afresh, so items whose features (and so embedding) change are never explained from stale
 * terms. The cache holds at most {@value #CACHE_LIMIT} items ({@code (fields + 1) x dim + fields}
 * floats each) and is emptied when full. Towers other than {@link MlpTower} are linearised through
 * their backward pass (one backward row per output component), which is correct but slower.
 *
 * <p>Thread safe: the model is read-only, every request works on its own arrays and the cache is
 * concurrent with immutable entries.
 */
final class Explainer {
    /** The name of the part of the score the linearisation leaves. */
    static final String NONLINEAR = "(nonlinear)";
    /** The most items whose terms are kept. */
    static final int CACHE_LIMIT = 1 << 14;

    /** How a side's fields enter its tower, from the field attention's output width. */
    private enum Combine {
        /** {@code fields x dim}: field f is block f of the attention output. */
        BLOCKS,
        /** {@code dim}: field f enters as {@code w_f x_f}. */
        SUM,
        /** Anything else: not linearised. */
        OPAQUE;

        static Combine of(Side side, int dim) {
            int width = side.attention.outputDim();
            return width == dim ? SUM : width == side.fieldCount() * dim ? BLOCKS : OPAQUE;
        }
    }

    private final TwoTowerModel model;
    private final Function<ItemId, FieldEncoder.Encoded> itemRows;
    private final Function<ItemId, float[]> itemVectors;
    private final int dim;
    private final Combine userCombine;
    private final Combine itemCombine;
    private final String[] userNames;
    private final String[] itemNames;
    /** Item ids by row of the item id table (row 0, the unknown bucket, is "?"): the history's names. */
    private final String[] itemIdByRow;
    private final ConcurrentHashMap<ItemId, ItemTerms> items = new ConcurrentHashMap<>();

    /**
     * An explainer of a model's recommendations.
     *
     * @param model the model
     * @param itemRows an item's encoded features, the item tower's input (called for items not cached)
     * @param itemVectors an item's unit vector as the catalogue serves it (called once per hit; read,
     *     never written; a copy of it is the cache key)
     */
    Explainer(TwoTowerModel model, Function<ItemId, FieldEncoder.Encoded> itemRows,
            Function<ItemId, float[]> itemVectors) {
        this.model = model;
        this.itemRows = itemRows;
        this.itemVectors = itemVectors;
        this.dim = model.config.dim();
        this.userCombine = Combine.of(model.user, dim);
        this.itemCombine = Combine.of(model.item, dim);
        this.userNames = names(model.user);
        this.itemNames = names(model.item);
        FieldEncoder itemIds = model.item.fields.get(0);
        itemIdByRow = new String[itemIds.rows()];
        itemIdByRow[0] = "?";
        itemIds.vocabulary.forEach((id, row) -> itemIdByRow[row] = id);
    }

    /**
     * Explains the hits of one request.
     *
     * @param userPass the request's user pass (one row)
     * @param hits the hits, with the scores to split
     * @return one explanation per hit, in order
     */
    Explanation[] explain(Side.Pass userPass, List<ScoredItem> hits) {
        int k = hits.size();
        Explanation[] out = new Explanation[k];
        if (k == 0) {
            return out;
        }
        int fields = model.user.fieldCount();
        float[] w = userPass.attentionPass.weights();
        List<Explanation.Weight> history = history(userPass);
        List<Explanation.Weight> attentionWeights = attentionWeights(userNames, w);
        float[] userTerms = userCombine == Combine.OPAQUE ? null : terms(model.user, userCombine, userPass, 0);
        float[][] vectors = new float[k][];
        ItemTerms[] itemTerms = itemTerms(hits, vectors);
        float[] u = userPass.embeddings;
        String[] labels = new String[fields + 1];
        double[] values = new double[fields + 1];
        for (int h = 0; h < k; h++) {
            double score = hits.get(h).score();
            List<Explanation.Weight> userWeights = attentionWeights;
            int n = 0;
            if (userTerms == null) {
                for (int f = 0; f < fields; f++) {
                    if (w[f] != 0) {
                        labels[n] = userNames[f];
                        values[n++] = w[f] * score;
                    }
                }
            } else {
                double sum = 0;
                for (int f = 0; f < fields; f++) {
                    if (w[f] != 0) {
                        double c = Vectors.dotLanes(vectors[h], 0, userTerms, f * dim, dim);
                        sum += c;
                        labels[n] = userNames[f];
                        values[n++] = c;
                    }
                }
                labels[n] = NONLINEAR;
                values[n++] = score - sum;
            }
            int[] order = order(values, n, true);
            if (userCombine == Combine.BLOCKS) {
                // The fields' normalised magnitudes, in the contributions' order (the remainder, last in
                // input order, left out).
                double total = 0;
                for (int i = 0; i < n - 1; i++) {
                    total += Math.abs(values[i]);
                }
                if (total > 0) {
                    Explanation.Weight[] weights = new Explanation.Weight[n - 1];
                    int m = 0;
                    for (int i = 0; i < n; i++) {
                        if (order[i] != n - 1) {
                            weights[m++] = new Explanation.Weight(labels[order[i]], Math.abs(values[order[i]]) / total);
                        }
                    }
                    userWeights = List.of(weights);
                }
            }
            out[h] = new Explanation(userWeights, history, itemWeights(itemTerms[h], u), listed(labels, values, order, n));
        }
        return out;
    }

    /** The item field weights of one hit: the attention's, or the normalised item-side contributions. */
    private List<Explanation.Weight> itemWeights(ItemTerms t, float[] u) {
        if (t.terms == null) {
            return t.attention;
        }
        int fields = itemNames.length;
        double[] c = new double[fields];
        for (int f = 0; f < fields; f++) {
            c[f] = t.weights[f] == 0 ? 0 : Vectors.dotLanes(u, 0, t.terms, f * dim, dim);
        }
        return magnitudes(itemNames, t.weights, c, t.attention);
    }

    /**
     * {@code |c_f| / sum |c|} over the fields present (attention weight not 0), highest first; the
     * fallback when every contribution is 0.
     */
    private static List<Explanation.Weight> magnitudes(String[] names, float[] weights, double[] c,
            List<Explanation.Weight> fallback) {
        int fields = names.length;
        double total = 0;
        for (int f = 0; f < fields; f++) {
            total += Math.abs(c[f]);
        }
        if (!(total > 0)) {
            return fallback;
        }
        String[] labels = new String[fields];
        double[] values = new double[fields];
        int n = 0;
        for (int f = 0; f < fields; f++) {
            if (weights[f] != 0) {
                labels[n] = names[f];
                values[n++] = Math.abs(c[f]) / total;
            }
        }
        return ranked(labels, values, n, false);
    }

    /** The attention weights of one row (from offset 0) that are above 0, highest first. */
    private static List<Explanation.Weight> attentionWeights(String[] names, float[] weights) {
        String[] labels = new String[names.length];
        double[] values = new double[names.length];
        int n = 0;
        for (int f = 0; f < names.length; f++) {
            if (weights[f] > 0) {
                labels[n] = names[f];
                values[n++] = weights[f];
            }
        }
        return ranked(labels, values, n, false);
    }

    /**
     * The first {@code n} labelled values as weights, highest value (or magnitude) first, ties in
     * input order.
     */
    private static List<Explanation.Weight> ranked(String[] labels, double[] values, int n, boolean byMagnitude) {
        return listed(labels, values, order(values, n, byMagnitude), n);
    }

    /**
     * The positions of the first {@code n} values, highest value (or magnitude) first, ties in input
     * order: an insertion sort on primitive keys, as the lists are short.
     */
    private static int[] order(double[] values, int n, boolean byMagnitude) {
        int[] order = new int[n];
        double[] keys = new double[n];
        for (int i = 0; i < n; i++) {
            double key = byMagnitude ? Math.abs(values[i]) : values[i];
            int j = i;
            while (j > 0 && Double.compare(keys[j - 1], key) < 0) {
                order[j] = order[j - 1];
                keys[j] = keys[j - 1];
                j--;
            }
            order[j] = i;
            keys[j] = key;
        }
        return order;
    }

    private static List<Explanation.Weight> listed(String[] labels, double[] values, int[] order, int n) {
        Explanation.Weight[] out = new Explanation.Weight[n];
        for (int i = 0; i < n; i++) {
            out[i] = new Explanation.Weight(labels[order[i]], values[order[i]]);
        }
        return List.of(out);
    }

    /** The history attention's weights of the request's recent items, highest first. */
    private List<Explanation.Weight> history(Side.Pass userPass) {
        if (userPass.historyPass == null) {
            return List.of();
        }
        float[] weights = userPass.historyPass.weights();
        int[] rows = userPass.histories[0];
        int n = Math.min(weights.length / userPass.historyPass.batch(), rows.length);
        String[] names = new String[n];
        for (int i = 0; i < n; i++) {
            names[i] = itemIdByRow[rows[i]];
        }
        return attentionWeights(names, weights);
    }

    /**
     * The hits' item terms, from the cache where the catalogue's vector still matches, the others
     * computed in one batched item-tower pass and cached.
     *
     * @param vectors filled with each hit's unit vector
     */
    private ItemTerms[] itemTerms(List<ScoredItem> hits, float[][] vectors) {
        int k = hits.size();
        ItemTerms[] found = new ItemTerms[k];
        int[] missing = new int[k];
        int misses = 0;
        for (int h = 0; h < k; h++) {
            ItemId id = hits.get(h).id();
            vectors[h] = itemVectors.apply(id);
            ItemTerms cached = items.get(id);
            if (cached != null && Arrays.equals(cached.vector, vectors[h])) {
                found[h] = cached;
            } else {
                missing[misses++] = h;
            }
        }
        if (misses == 0) {
            return found;
        }
        FieldEncoder.Encoded[] rows = new FieldEncoder.Encoded[misses];
        for (int i = 0; i < misses; i++) {
            rows[i] = itemRows.apply(hits.get(missing[i]).id());
        }
        Side.Pass pass = model.item.forward(rows, null, false, null);
        if (pass.attentionPass.batch() != misses) {
            // The item side attends one row object once; hits are distinct items, so this means the
            // row lookup returned one object for two items.
            throw new IllegalStateException("The item rows of " + misses + " distinct hits were attended as "
                    + pass.attentionPass.batch() + " rows: the item row lookup must return one row object per item");
        }
        int fields = model.item.fieldCount();
        float[] weights = pass.attentionPass.weights();
        for (int i = 0; i < misses; i++) {
            int h = missing[i];
            float[] row = Arrays.copyOfRange(weights, i * fields, (i + 1) * fields);
            ItemTerms t = new ItemTerms(vectors[h].clone(), row, attentionWeights(itemNames, row),
                    itemCombine == Combine.BLOCKS ? terms(model.item, Combine.BLOCKS, pass, i) : null);
            if (items.size() >= CACHE_LIMIT) {
                items.clear();
            }
            items.put(hits.get(h).id(), t);
            found[h] = t;
        }
        return found;
    }

    /**
     * {@code J d_f / |r|} for each field of one row of a side's pass ({@code fields x dim}): the tower's
     * Jacobian at the row applied to the field's direction, over the norm of the tower's output.
     */
    private float[] terms(Side side, Combine combine, Side.Pass pass, int row) {
        int fields = side.fieldCount();
        int width = side.attention.outputDim();
        float[] pooled = pass.attentionPass.output();
        int[] at = new int[fields];
        float[] directions;
        int offset;
        if (combine == Combine.BLOCKS) {
            // Field f's direction is its block of the attention output, where the output already holds it.
            directions = pooled;
            offset = row * width;
            for (int f = 0; f < fields; f++) {
                at[f] = f * dim;
            }
        } else {
            float[] w = pass.attentionPass.weights();
            directions = new float[fields * dim];
            offset = 0;
            for (int f = 0; f < fields; f++) {
                Vectors.axpy(w[row * fields + f], pass.fieldVectors, (row * fields + f) * dim, directions, f * dim, dim);
            }
        }
        float[] terms = new float[fields * dim];
        jacobianProducts(side.tower, pass.towerPass, row, pooled, row * width, directions, offset, dim, at, fields,
                terms);
        float inv = 1 / pass.norms[row];
        for (int i = 0; i < terms.length; i++) {
            terms[i] *= inv;
        }
        return terms;
    }

    /**
     * {@link MlpTower#jacobianProducts} for any tower: forward mode for {@link MlpTower}; for any
     * other, the Jacobian {@code J} itself by reverse mode (the row's input repeated once per output
     * component, backward with the identity), then each product from the direction's window.
     *
     * @param input the tower's input, holding the row at {@code inputOffset}
     */
    static void jacobianProducts(Tower tower, Tower.Pass pass, int row, float[] input, int inputOffset,
            float[] directions, int offset, int width, int[] at, int count, float[] products) {
        if (tower instanceof MlpTower mlp) {
            mlp.jacobianProducts(pass, row, directions, offset, width, at, count, products);
            return;
        }
        int in = tower.inputDim();
        int out = tower.outputDim();
        float[] copies = new float[out * in];
        float[] identity = new float[out * out];
        for (int o = 0; o < out; o++) {
            System.arraycopy(input, inputOffset, copies, o * in, in);
            identity[o * out + o] = 1;
        }
        float[] jacobian = new float[out * in];
        tower.backward(tower.forward(copies, out, false, null), identity, jacobian, new Gradients(tower.parameters()));
        for (int j = 0; j < count; j++) {
            for (int o = 0; o < out; o++) {
                products[j * out + o] = Vectors.dot(jacobian, o * in + at[j], directions, offset + j * width, width);
            }
        }
    }

    private static String[] names(Side side) {
        int n = side.fields.size();
        String[] names = new String[side.fieldCount()];
        for (int f = 0; f < n; f++) {
            names[f] = side.fields.get(f).name;
        }
        if (side.historyAttention != null) {
            names[n] = "history";
        }
        return names;
    }

    /** How many items' terms are cached (for tests). */
    int cachedItems() {
        return items.size();
    }

    /** Forgets every item's terms (for benchmarks of the uncached path). */
    void forgetItems() {
        items.clear();
    }

    /**
     * What explaining an item needs that does not depend on the user: the unit vector it was computed
     * for (the cache key), its attention weights (as an array and as the listed weights), and with
     * {@link Combine#BLOCKS} its terms {@code J_item d'_g / |r_v|} ({@code fields x dim}), else null.
     * Immutable once published (final fields, arrays never written after construction).
     */
    private static final class ItemTerms {
        final float[] vector;
        final float[] weights;
        final List<Explanation.Weight> attention;
        final float[] terms;

        ItemTerms(float[] vector, float[] weights, List<Explanation.Weight> attention, float[] terms) {
            this.vector = vector;
            this.weights = weights;
            this.attention = attention;
            this.terms = terms;
        }
    }
}
