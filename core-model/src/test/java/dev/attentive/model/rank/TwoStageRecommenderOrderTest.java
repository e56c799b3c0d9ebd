package dev.attentive.model.rank;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The primitive-key ordering of a ranked list is the order of the boxed comparator it replaced:
 * descending score by {@code Double.compare} of the negated scores (so NaN last, and 0.0 before
 * -0.0), ties by ascending catalogue index. Seeded; the seed is in every failure message.
 */
class TwoStageRecommenderOrderTest {
    private static final float[] SPECIAL = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
        Float.MIN_VALUE, -Float.MIN_VALUE, Float.MAX_VALUE, 1f, -1f};

    @Test
    void ordersAsTheBoxedComparatorDid() {
        long seed = 20_260_101;
        SplittableRandom random = new SplittableRandom(seed);
        for (int round = 0; round < 500; round++) {
            int m = 1 + random.nextInt(60);
            float[] scores = new float[m];
            for (int k = 0; k < m; k++) {
                // Few distinct values, so that ties are common; special values now and then.
                scores[k] = random.nextInt(8) == 0 ? SPECIAL[random.nextInt(SPECIAL.length)] : random.nextInt(-3, 4) / 2f;
            }
            int[] items = random.ints(0, 10_000).distinct().limit(m).toArray();
            Integer[] boxed = new Integer[m];
            for (int k = 0; k < m; k++) {
                boxed[k] = k;
            }
            Arrays.sort(boxed, Comparator.<Integer>comparingDouble(k -> -scores[k]).thenComparingInt(k -> items[k]));
            int top = 1 + random.nextInt(m);
            int[] expected = Arrays.stream(boxed).limit(top).mapToInt(Integer::intValue).toArray();
            assertThat(TwoStageRecommender.order(scores, items, top))
                    .as("seed %d round %d: scores %s items %s", seed, round, Arrays.toString(scores), Arrays.toString(items))
                    .containsExactly(expected);
        }
    }
}
