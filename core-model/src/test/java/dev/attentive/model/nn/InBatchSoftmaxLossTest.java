package dev.attentive.model.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.attentive.kernels.ParallelFor;
import dev.attentive.testkit.GradientCheck;
import dev.attentive.testkit.Seeds;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class InBatchSoftmaxLossTest {
    private static final ParallelFor ONE = new ParallelFor(1, "test");
    private static final ParallelFor TWO = new ParallelFor(2, "test");

    @AfterAll
    static void stop() {
        ONE.close();
        TWO.close();
    }

    @Test
    void plainSoftmaxMatchesHandComputedLoss() {
        // Row 0: logits [1, -1], positive 0: log(1 + e^-2) = 0.126928.
        // Row 1: logits [0.5, -0.5], positive 1: 0.5 + log(e^0.5 + e^-0.5) = 1.313262.
        var r = InBatchSoftmaxLoss.compute(new float[] {1f, 0.5f}, 2, new float[] {1f, -1f}, 2, 1, new int[] {0, 1},
                null, 1f, ONE);
        assertThat(r.loss).isCloseTo(0.7200948, within(1e-6));
        // d loss / d u_0 = (p00 - 1) * v0 / 2 + p01 * v1 / 2 with p01 = sigmoid(-2) = 0.1192029.
        assertThat((double) r.gradUsers[0]).isCloseTo((-0.1192029 * 1 + 0.1192029 * -1) / 2, within(1e-6));
    }

    @Test
    void logQCorrectionLowersPopularItemsLogits() {
        // q = [0.75, 0.25]: z_ij = u_i.v_j - log q_j. The rare negative of row 0 gains relative to the
        // popular positive, so row 0's loss rises from 0.126928 to log(1 + e^(0.386294 - 1.287682)).
        float[] correction = {(float) Math.log(0.75), (float) Math.log(0.25)};
        var r = InBatchSoftmaxLoss.compute(new float[] {1f, 0.5f}, 2, new float[] {1f, -1f}, 2, 1, new int[] {0, 1},
                correction, 1f, ONE);
        assertThat(r.loss).isCloseTo(0.4929045, within(1e-6));
        // With the opposite sign (adding log q) the loss would be 1.1292 instead.
        float[] flipped = {-correction[0], -correction[1]};
        var wrongSign = InBatchSoftmaxLoss.compute(new float[] {1f, 0.5f}, 2, new float[] {1f, -1f}, 2, 1,
                new int[] {0, 1}, flipped, 1f, ONE);
        assertThat(wrongSign.loss).isCloseTo(1.1292036, within(1e-6));
    }

    @Test
    void accidentalHitsAreNotNegatives() {
        // Rows 0 and 2 share item 0: each leaves the other's copy out of its softmax.
        var r = InBatchSoftmaxLoss.compute(new float[] {1f, 0.5f, -1f}, 3, new float[] {1f, -1f, 2f}, 3, 1,
                new int[] {0, 1, 0}, null, 1f, ONE);
        assertThat(r.loss).isCloseTo(1.7598820, within(1e-6));
        // Two copies of one item only: nothing is a negative, the loss is 0 and so are the gradients.
        var same = InBatchSoftmaxLoss.compute(new float[] {1f, 2f}, 2, new float[] {3f, 4f}, 2, 1, new int[] {7, 7},
                null, 1f, ONE);
        assertThat(same.loss).isCloseTo(0, within(1e-7));
        assertThat(same.gradUsers).containsOnly(0f);
    }

    @Test
    void gradientsMatchFiniteDifferencesWithExtraNegativesAndCorrection() {
        Seeds.forEach(4, 41, (random, seed) -> {
            int batch = 2 + random.nextInt(5);
            int extra = random.nextInt(3);
            int dim = 1 + random.nextInt(4);
            int n = batch + extra;
            float[] users = Seeds.floats(random, batch * dim, 1);
            float[] cands = Seeds.floats(random, n * dim, 1);
            int[] items = new int[n];
            for (int j = 0; j < n; j++) {
                items[j] = random.nextInt(n);
            }
            float[] correction = Seeds.floats(random, n, 2);
            float[] logScale = {(float) Math.log(2 + random.nextDouble())};
            java.util.function.DoubleSupplier loss = () -> InBatchSoftmaxLoss.compute(users, batch, cands, n, dim,
                    items, correction, (float) Math.exp(logScale[0]), ONE).loss;
            var r = InBatchSoftmaxLoss.compute(users, batch, cands, n, dim, items, correction,
                    (float) Math.exp(logScale[0]), ONE);
            GradientCheck.check("d/d users", users, r.gradUsers, loss, 1e-3, 2e-3, 1e-2);
            GradientCheck.check("d/d candidates", cands, r.gradCandidates, loss, 1e-3, 2e-3, 1e-2);
            GradientCheck.check("d/d logScale", logScale, new float[] {(float) r.gradLogScale}, loss, 1e-3, 2e-3, 1e-2);
        });
    }

    @Test
    void threadCountDoesNotChangeResults() {
        Seeds.forEach(3, 43, (random, seed) -> {
            int batch = 50;
            int dim = 8;
            float[] users = Seeds.floats(random, batch * dim, 1);
            float[] cands = Seeds.floats(random, batch * dim, 1);
            int[] items = new int[batch];
            for (int j = 0; j < batch; j++) {
                items[j] = random.nextInt(30);
            }
            var a = InBatchSoftmaxLoss.compute(users, batch, cands, batch, dim, items, null, 5f, ONE);
            var b = InBatchSoftmaxLoss.compute(users, batch, cands, batch, dim, items, null, 5f, TWO);
            assertThat(b.loss).isEqualTo(a.loss);
            assertThat(b.gradUsers).containsExactly(a.gradUsers);
            assertThat(b.gradCandidates).containsExactly(a.gradCandidates);
        });
    }
}
