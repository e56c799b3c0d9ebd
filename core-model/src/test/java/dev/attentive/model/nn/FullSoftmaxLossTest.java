package dev.attentive.model.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.attentive.kernels.ParallelFor;
import dev.attentive.testkit.GradientCheck;
import dev.attentive.testkit.Seeds;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class FullSoftmaxLossTest {
    private static final ParallelFor ONE = new ParallelFor(1, "test");
    private static final ParallelFor TWO = new ParallelFor(2, "test");

    @AfterAll
    static void stop() {
        ONE.close();
        TWO.close();
    }

    @Test
    void matchesHandComputedLoss() {
        // Catalogue v = [1, -1, 2] (dim 1). Row 0: u = 1, target 0, logits [1, -1, 2]:
        // log(e + e^-1 + e^2) - 1 = 1.3490122. Row 1: u = 0.5, target 2, logits [0.5, -0.5, 1]:
        // log(e^0.5 + e^-0.5 + e) - 1 = 0.6041306. Mean 0.9765714.
        var r = FullSoftmaxLoss.compute(new float[] {1f, 0.5f}, 2, new float[] {1f, -1f, 2f}, 3, 1, new int[] {0, 2},
                1f, ONE);
        assertThat(r.loss).isCloseTo(0.9765714, within(1e-6));
        // Item 1 is a negative of both rows: d loss / d v_1 = (p_01 * u_0 + p_11 * u_1) / 2.
        double z0 = Math.E + Math.exp(-1) + Math.exp(2);
        double z1 = Math.exp(0.5) + Math.exp(-0.5) + Math.E;
        assertThat((double) r.gradCandidates[1]).isCloseTo((Math.exp(-1) / z0 * 1 + Math.exp(-0.5) / z1 * 0.5) / 2,
                within(1e-6));
        assertThat(r.gradCandidates).hasSize(3);
        assertThat(r.gradUsers).hasSize(2);
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Seeds.forEach(4, 61, (random, seed) -> {
            int batch = 1 + random.nextInt(6);
            int items = 2 + random.nextInt(7);
            int dim = 1 + random.nextInt(4);
            float[] users = Seeds.floats(random, batch * dim, 1);
            float[] catalogue = Seeds.floats(random, items * dim, 1);
            int[] targets = new int[batch];
            for (int i = 0; i < batch; i++) {
                // Repeats allowed: two rows of one item are still two rows, each with the one column.
                targets[i] = random.nextInt(items);
            }
            float[] logScale = {(float) Math.log(2 + random.nextDouble())};
            java.util.function.DoubleSupplier loss = () -> FullSoftmaxLoss.compute(users, batch, catalogue, items, dim,
                    targets, (float) Math.exp(logScale[0]), ONE).loss;
            var r = FullSoftmaxLoss.compute(users, batch, catalogue, items, dim, targets, (float) Math.exp(logScale[0]),
                    ONE);
            GradientCheck.check("d/d users", users, r.gradUsers, loss, 1e-3, 2e-3, 1e-2);
            GradientCheck.check("d/d catalogue", catalogue, r.gradCandidates, loss, 1e-3, 2e-3, 1e-2);
            GradientCheck.check("d/d logScale", logScale, new float[] {(float) r.gradLogScale}, loss, 1e-3, 2e-3,
                    1e-2);
        });
    }

    @Test
    void equalsTheSampledLossOverTheSameCandidates() {
        // The batch's positives are distinct items and the catalogue is exactly those items, in another
        // order: the sampled loss without logQ then has the same candidates per row, so the same loss and
        // gradients (the catalogue's gradient rows permuted back to the batch's columns).
        Seeds.forEach(5, 67, (random, seed) -> {
            int batch = 2 + random.nextInt(30);
            int dim = 1 + random.nextInt(9);
            float scale = 1 + 15 * (float) random.nextDouble();
            float[] users = Seeds.floats(random, batch * dim, 1);
            float[] positives = Seeds.floats(random, batch * dim, 1);
            int[] itemOfColumn = new int[batch];
            for (int j = 0; j < batch; j++) {
                itemOfColumn[j] = j;
            }
            for (int j = batch - 1; j > 0; j--) {
                int k = random.nextInt(j + 1);
                int t = itemOfColumn[j];
                itemOfColumn[j] = itemOfColumn[k];
                itemOfColumn[k] = t;
            }
            float[] catalogue = new float[batch * dim];
            for (int j = 0; j < batch; j++) {
                System.arraycopy(positives, j * dim, catalogue, itemOfColumn[j] * dim, dim);
            }
            var sampled = InBatchSoftmaxLoss.compute(users, batch, positives, batch, dim, itemOfColumn, null, scale,
                    ONE);
            var full = FullSoftmaxLoss.compute(users, batch, catalogue, batch, dim, itemOfColumn, scale, ONE);
            assertThat(full.loss).isCloseTo(sampled.loss, within(1e-5 * Math.max(1, sampled.loss)));
            assertThat(full.gradLogScale).isCloseTo(sampled.gradLogScale, within(1e-4));
            for (int i = 0; i < batch * dim; i++) {
                assertThat(full.gradUsers[i]).as("user gradient %d", i).isCloseTo(sampled.gradUsers[i], within(1e-5f));
            }
            for (int j = 0; j < batch; j++) {
                for (int d = 0; d < dim; d++) {
                    assertThat(full.gradCandidates[itemOfColumn[j] * dim + d]).as("column %d, item %d", j,
                            itemOfColumn[j]).isCloseTo(sampled.gradCandidates[j * dim + d], within(1e-5f));
                }
            }
        });
    }

    @Test
    void aLargerCatalogueAddsNegatives() {
        // The same two rows, and a third item that neither row targets: it can only raise the loss.
        float[] users = {1f, 0.5f};
        var two = FullSoftmaxLoss.compute(users, 2, new float[] {1f, -1f}, 2, 1, new int[] {0, 1}, 1f, ONE);
        var three = FullSoftmaxLoss.compute(users, 2, new float[] {1f, -1f, 0f}, 3, 1, new int[] {0, 1}, 1f, ONE);
        assertThat(two.loss).isCloseTo(0.7200948, within(1e-6));
        assertThat(three.loss).isGreaterThan(two.loss + 0.1);
        // The untargeted item is pushed away from both users: its gradient is positive along them.
        assertThat(three.gradCandidates[2]).isPositive();
    }

    @Test
    void threadCountDoesNotChangeResults() {
        Seeds.forEach(3, 71, (random, seed) -> {
            int batch = 50;
            int items = 300;
            int dim = 8;
            float[] users = Seeds.floats(random, batch * dim, 1);
            float[] catalogue = Seeds.floats(random, items * dim, 1);
            int[] targets = new int[batch];
            for (int i = 0; i < batch; i++) {
                targets[i] = random.nextInt(items);
            }
            var a = FullSoftmaxLoss.compute(users, batch, catalogue, items, dim, targets, 5f, ONE);
            var b = FullSoftmaxLoss.compute(users, batch, catalogue, items, dim, targets, 5f, TWO);
            assertThat(b.loss).isEqualTo(a.loss);
            assertThat(b.gradUsers).containsExactly(a.gradUsers);
            assertThat(b.gradCandidates).containsExactly(a.gradCandidates);
            assertThat(b.gradLogScale).isEqualTo(a.gradLogScale);
        });
    }

    @Test
    void aTargetOutsideTheCatalogueIsNamed() {
        assertThatThrownBy(() -> FullSoftmaxLoss.compute(new float[] {1f, 1f}, 2, new float[] {1f, 2f}, 2, 1,
                new int[] {1, 2}, 1f, ONE)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("row 1's target item 2 is outside the catalogue of 2 items");
    }
}
