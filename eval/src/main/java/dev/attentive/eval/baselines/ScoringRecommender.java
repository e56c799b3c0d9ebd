package dev.attentive.eval.baselines;

import dev.attentive.api.Features;
import dev.attentive.api.ItemFilter;
import dev.attentive.api.ItemId;
import dev.attentive.api.Recommendation;
import dev.attentive.api.RecommendationRequest;
import dev.attentive.api.Recommender;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A recommender that scores the whole catalogue into a float array and selects the top K with a
 * bounded heap, masking seen, excluded and filtered items first. Ties go to the lower item index,
 * so results are deterministic. Thread safe: each call uses its own buffers.
 *
 * <p>A known user's history is the user's training items plus the request's recent items that are in
 * the catalogue (so an item-based model such as EASE scores from what the user did since training);
 * an unknown user's history is the recent items alone. With {@code excludeSeen}, the whole history is
 * excluded.
 */
abstract class ScoringRecommender implements Recommender {
    final InteractionMatrix matrix;

    ScoringRecommender(InteractionMatrix matrix) {
        this.matrix = matrix;
    }

    /**
     * Fills {@code out} (catalogue-sized, zeroed) with scores.
     *
     * @param user the user's index, or -1 for a user unknown in training
     * @param history item indexes standing for the user's history (training items and the request's
     *     recent items, or the recent items alone for an unknown user)
     * @param out the scores
     */
    abstract void score(int user, int[] history, float[] out);

    /**
     * Fills {@code out} with scores, given also the request's user features; feature-aware models
     * override this to serve users unknown in training. The default ignores the features.
     */
    void score(int user, int[] history, Features userFeatures, float[] out) {
        score(user, history, out);
    }

    @Override
    public List<Recommendation> recommend(RecommendationRequest request) {
        for (String field : request.userFeatures().values().keySet()) {
            if (matrix.data.users().schema().field(field).isEmpty()) {
                throw new IllegalArgumentException("Unknown user feature '" + field + "' in the request: the model was "
                        + "trained with user fields " + matrix.data.users().schema().names()
                        + "; remove it or train with a user table that has it");
            }
        }
        Integer user = request.user().map(matrix.userIndex::get).orElse(null);
        int[] recent = request.recentItems().stream().map(matrix.itemIndex::get)
                .filter(java.util.Objects::nonNull).mapToInt(Integer::intValue).toArray();
        int[] history;
        if (user != null) {
            int[] trained = matrix.itemsOf(user);
            history = recent.length == 0 ? trained
                    : java.util.stream.IntStream.concat(Arrays.stream(trained), Arrays.stream(recent)).distinct().toArray();
        } else {
            history = Arrays.stream(recent).distinct().toArray();
        }
        float[] scores = new float[matrix.itemCount()];
        score(user == null ? -1 : user, history, request.userFeatures(), scores);
        if (request.excludeSeen()) {
            for (int i : history) {
                scores[i] = Float.NEGATIVE_INFINITY;
            }
        }
        for (ItemId excluded : request.exclusions()) {
            Integer i = matrix.itemIndex.get(excluded);
            if (i != null) {
                scores[i] = Float.NEGATIVE_INFINITY;
            }
        }
        if (request.filter() != ItemFilter.all()) {
            for (int i = 0; i < scores.length; i++) {
                Features f = matrix.data.items().get(matrix.items[i]);
                if (!request.filter().matches(f)) {
                    scores[i] = Float.NEGATIVE_INFINITY;
                }
            }
        }
        return top(scores, request.k());
    }

    @Override
    public List<Recommendation> similarItems(ItemId item, int k, ItemFilter filter) {
        Integer index = matrix.itemIndex.get(item);
        if (index == null) {
            throw new IllegalArgumentException("Unknown item " + item + ": it is not in the training catalogue");
        }
        float[] scores = new float[matrix.itemCount()];
        score(-1, new int[] {index}, scores);
        scores[index] = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < scores.length; i++) {
            if (filter != ItemFilter.all() && !filter.matches(matrix.data.items().get(matrix.items[i]))) {
                scores[i] = Float.NEGATIVE_INFINITY;
            }
        }
        return top(scores, k);
    }

    /** The top k of the finite scores, best first; ties to the lower index. */
    final List<Recommendation> top(float[] scores, int k) {
        int[] heap = new int[Math.min(k, scores.length)];
        int size = 0;
        for (int i = 0; i < scores.length; i++) {
            float s = scores[i];
            if (s == Float.NEGATIVE_INFINITY || Float.isNaN(s)) {
                continue;
            }
            if (size < heap.length) {
                heap[size] = i;
                siftUp(heap, size, scores);
                size++;
            } else if (better(i, heap[0], scores)) {
                heap[0] = i;
                siftDown(heap, size, scores);
            }
        }
        Integer[] order = new Integer[size];
        for (int j = 0; j < size; j++) {
            order[j] = heap[j];
        }
        Arrays.sort(order, (a, b) -> better(a, b, scores) ? -1 : better(b, a, scores) ? 1 : 0);
        List<Recommendation> out = new ArrayList<>(size);
        for (int i : order) {
            out.add(new Recommendation(matrix.items[i], scores[i]));
        }
        return out;
    }

    /** Whether item a ranks before item b. */
    private static boolean better(int a, int b, float[] s) {
        return s[a] > s[b] || (s[a] == s[b] && a < b);
    }

    // A min-heap on rank: the root is the worst of the kept items.
    private static void siftUp(int[] heap, int pos, float[] s) {
        while (pos > 0) {
            int parent = (pos - 1) / 2;
            if (better(heap[parent], heap[pos], s)) {
                int t = heap[parent];
                heap[parent] = heap[pos];
                heap[pos] = t;
                pos = parent;
            } else {
                return;
            }
        }
    }

    private static void siftDown(int[] heap, int size, float[] s) {
        int pos = 0;
        while (true) {
            int l = 2 * pos + 1;
            int r = l + 1;
            int worst = pos;
            if (l < size && better(heap[worst], heap[l], s)) {
                worst = l;
            }
            if (r < size && better(heap[worst], heap[r], s)) {
                worst = r;
            }
            if (worst == pos) {
                return;
            }
            int t = heap[pos];
            heap[pos] = heap[worst];
            heap[worst] = t;
            pos = worst;
        }
    }
}
