package dev.attentive.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.attentive.api.Gradients;
import dev.attentive.api.Parameter;
import dev.attentive.api.Ranker;
import dev.attentive.api.RankerBatch;
import dev.attentive.api.spi.ProviderRegistry;
import dev.attentive.api.spi.RankerProvider;
import dev.attentive.api.spi.RankerShape;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link RankerProvider} passes. Extend it and return your provider:
 * <pre>{@code
 * class MyRankerTest extends RankerContractTest {
 *     @Override protected RankerProvider<?> provider() { return new MyRankerProvider(); }
 * }
 * }</pre>
 * It checks discovery by name, shapes, finite scores, padded candidates scoring 0 and affecting no
 * other candidate, equivariance under permutations of a list's candidates, history weights (≥ 0,
 * padded history 0, summing to 1), determinism by seed, the save/load round trip through
 * {@link Ranker#parameters()}, and parameter gradients by finite differences.
 *
 * @since 0.2.0
 */
public abstract class RankerContractTest {
    private static final int ITEMS = 30;
    private static final int VALUES = 12;

    /** For subclasses. */
    protected RankerContractTest() {
    }

    /**
     * The provider under test.
     *
     * @return the provider
     */
    protected abstract RankerProvider<?> provider();

    /**
     * Settings laid over the provider's default config for every test; keep the model small.
     *
     * @return the settings; none by default
     */
    protected Map<String, String> settings() {
        return Map.of();
    }

    /**
     * The finite-difference step of the gradient check; small, because ReLU kinks within one step
     * of a value make the central difference disagree with the derivative.
     *
     * @return the step
     */
    protected double gradientEps() {
        return 1e-3;
    }

    /**
     * The relative error allowed by the gradient check.
     *
     * @return the tolerance
     */
    protected double gradientTolerance() {
        return 5e-3;
    }

    /**
     * Creates the ranker under test over 30 items, 12 feature values, 2 user slots, 3 item slots and
     * 2 sources.
     *
     * @param seed the initialisation seed
     * @return the ranker
     */
    protected Ranker create(long seed) {
        return provider().create(settings(), new RankerShape(ITEMS, VALUES, 2, 3, List.of("first", "second")), seed);
    }

    /** A random batch; the last slot of every list is padded when {@code pad}. */
    private static RankerBatch batch(SplittableRandom random, int lists, int listSize, int historyLength, boolean pad) {
        int[] history = new int[lists * historyLength];
        for (int i = 0; i < history.length; i++) {
            history[i] = random.nextInt(5) == 0 ? -1 : random.nextInt(ITEMS);
        }
        int[] items = new int[lists * listSize];
        for (int i = 0; i < items.length; i++) {
            items[i] = pad && i % listSize == listSize - 1 ? -1 : random.nextInt(ITEMS);
        }
        float[] sources = Seeds.floats(random, lists * listSize * 2, 1);
        int[] user = new int[lists * 2];
        for (int i = 0; i < user.length; i++) {
            user[i] = random.nextInt(4) == 0 ? -1 : random.nextInt(VALUES);
        }
        int[] item = new int[lists * listSize * 3];
        for (int i = 0; i < item.length; i++) {
            item[i] = random.nextInt(4) == 0 ? -1 : random.nextInt(VALUES);
        }
        return new RankerBatch(lists, listSize, historyLength, history, items, sources, user, item);
    }

    private static void perturb(Ranker ranker, SplittableRandom random) {
        // Move parameters away from their initial values so that zero-initialised ones matter too.
        for (Parameter p : ranker.parameters()) {
            float[] noise = Seeds.floats(random, p.size(), 0.3);
            for (int i = 0; i < p.size(); i++) {
                p.values()[i] += noise[i];
            }
        }
    }

    @Test
    void isDiscoverableByName() {
        assertThat(provider().name()).matches("^[a-z][a-z0-9-]*$");
        assertThat(ProviderRegistry.rankers().get(provider().name().toUpperCase(Locale.ROOT)).getClass())
                .isEqualTo(provider().getClass());
    }

    @Test
    void shapesFiniteScoresAndHistoryWeights() {
        Seeds.forEach(8, 21, (random, seed) -> {
            int lists = 1 + random.nextInt(3);
            int listSize = 2 + random.nextInt(5);
            int historyLength = random.nextInt(6);
            Ranker ranker = create(seed);
            perturb(ranker, random);
            RankerBatch batch = batch(random, lists, listSize, historyLength, true);
            Ranker.Pass pass = ranker.forward(batch, false, null);
            assertThat(pass.scores()).hasSize(lists * listSize);
            assertThat(pass.historyWeights()).hasSize(lists * listSize * historyLength);
            for (int b = 0; b < lists; b++) {
                boolean anyHistory = false;
                for (int h = 0; h < historyLength; h++) {
                    anyHistory |= batch.history()[b * historyLength + h] >= 0;
                }
                for (int c = 0; c < listSize; c++) {
                    int slot = b * listSize + c;
                    float score = pass.scores()[slot];
                    assertThat(Float.isFinite(score)).as("score of list %d slot %d", b, c).isTrue();
                    boolean padded = batch.items()[slot] < 0;
                    if (padded) {
                        assertThat(score).as("padded slot %d of list %d scores 0", c, b).isZero();
                    }
                    double sum = 0;
                    for (int h = 0; h < historyLength; h++) {
                        float w = pass.historyWeights()[slot * historyLength + h];
                        assertThat(w).as("history weight %d of list %d slot %d", h, b, c).isGreaterThanOrEqualTo(0f);
                        if (batch.history()[b * historyLength + h] < 0) {
                            assertThat(w).as("empty history slot %d weighs nothing", h).isZero();
                        }
                        sum += w;
                    }
                    assertThat(sum).as("history weights of list %d slot %d", b, c)
                            .isCloseTo(anyHistory && !padded ? 1 : 0, within(1e-5));
                }
            }
        });
    }

    @Test
    void paddedCandidatesAffectNoOtherCandidate() {
        Seeds.forEach(4, 22, (random, seed) -> {
            Ranker ranker = create(seed);
            perturb(ranker, random);
            RankerBatch batch = batch(random, 2, 5, 4, true);
            float[] before = ranker.forward(batch, false, null).scores().clone();
            // Scribble over the padded slots' inputs: nothing else may move.
            for (int b = 0; b < 2; b++) {
                int slot = b * 5 + 4;
                batch.sourceScores()[slot * 2] = 100f;
                batch.itemValues()[slot * 3] = VALUES - 1;
            }
            float[] after = ranker.forward(batch, false, null).scores();
            assertThat(after).containsExactly(before);
            // The same lists without the padded slot score the same.
            RankerBatch shorter = truncate(batch, 4);
            float[] unpadded = ranker.forward(shorter, false, null).scores();
            for (int b = 0; b < 2; b++) {
                for (int c = 0; c < 4; c++) {
                    assertThat(unpadded[b * 4 + c]).as("list %d slot %d without padding", b, c)
                            .isCloseTo(before[b * 5 + c], within(1e-5f + 1e-5f * Math.abs(before[b * 5 + c])));
                }
            }
        });
    }

    private static RankerBatch truncate(RankerBatch batch, int listSize) {
        int lists = batch.lists();
        int old = batch.listSize();
        int sources = batch.sourceScores().length / (lists * old);
        int slots = batch.itemValues().length / (lists * old);
        int[] items = new int[lists * listSize];
        float[] scores = new float[lists * listSize * sources];
        int[] values = new int[lists * listSize * slots];
        for (int b = 0; b < lists; b++) {
            for (int c = 0; c < listSize; c++) {
                int from = b * old + c;
                int to = b * listSize + c;
                items[to] = batch.items()[from];
                System.arraycopy(batch.sourceScores(), from * sources, scores, to * sources, sources);
                System.arraycopy(batch.itemValues(), from * slots, values, to * slots, slots);
            }
        }
        return new RankerBatch(lists, listSize, batch.historyLength(), batch.history(), items, scores,
                batch.userValues(), values);
    }

    @Test
    void scoresAreEquivariantUnderPermutationsOfCandidates() {
        Seeds.forEach(4, 23, (random, seed) -> {
            Ranker ranker = create(seed);
            perturb(ranker, random);
            int listSize = 6;
            RankerBatch batch = batch(random, 1, listSize, 5, false);
            float[] scores = ranker.forward(batch, false, null).scores();
            int[] order = {3, 0, 5, 1, 4, 2};
            int[] items = new int[listSize];
            float[] sources = new float[listSize * 2];
            int[] values = new int[listSize * 3];
            for (int c = 0; c < listSize; c++) {
                items[c] = batch.items()[order[c]];
                System.arraycopy(batch.sourceScores(), order[c] * 2, sources, c * 2, 2);
                System.arraycopy(batch.itemValues(), order[c] * 3, values, c * 3, 3);
            }
            RankerBatch permuted = new RankerBatch(1, listSize, 5, batch.history(), items, sources, batch.userValues(), values);
            float[] permutedScores = ranker.forward(permuted, false, null).scores();
            for (int c = 0; c < listSize; c++) {
                assertThat(permutedScores[c]).as("candidate %d after the permutation", order[c])
                        .isCloseTo(scores[order[c]], within(1e-5f + 1e-5f * Math.abs(scores[order[c]])));
            }
        });
    }

    @Test
    void sameSeedSameParametersAndScores() {
        Ranker a = create(42);
        Ranker b = create(42);
        assertThat(a.parameters()).hasSameSizeAs(b.parameters());
        for (int i = 0; i < a.parameters().size(); i++) {
            assertThat(a.parameters().get(i).name()).isEqualTo(b.parameters().get(i).name());
            assertThat(a.parameters().get(i).values()).containsExactly(b.parameters().get(i).values());
        }
        RankerBatch batch = batch(new SplittableRandom(4), 2, 4, 3, true);
        assertThat(a.forward(batch, false, null).scores()).containsExactly(b.forward(batch, false, null).scores());
    }

    @Test
    void saveLoadRoundTripThroughParameters() {
        SplittableRandom random = new SplittableRandom(9);
        Ranker original = create(1);
        perturb(original, random);
        Ranker restored = create(2);
        for (int i = 0; i < original.parameters().size(); i++) {
            Parameter from = original.parameters().get(i);
            Parameter to = restored.parameters().get(i);
            assertThat(to.name()).isEqualTo(from.name());
            assertThat(to.shape()).containsExactly(from.shape());
            System.arraycopy(from.values(), 0, to.values(), 0, from.size());
        }
        RankerBatch batch = batch(random, 3, 4, 5, true);
        assertThat(restored.forward(batch, false, null).scores()).containsExactly(original.forward(batch, false, null).scores());
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Seeds.forEach(3, 24, (random, seed) -> {
            Ranker ranker = create(seed);
            perturb(ranker, random);
            RankerBatch batch = batch(random, 2, 3, 3, true);
            float[] probe = Seeds.floats(random, batch.items().length, 1);
            Ranker.Pass pass = ranker.forward(batch, false, null);
            Gradients gradients = new Gradients(ranker.parameters());
            ranker.backward(pass, probe, gradients);
            java.util.function.DoubleSupplier loss =
                    () -> GradientCheck.probe(ranker.forward(batch, false, null).scores(), probe);
            for (Parameter p : ranker.parameters()) {
                GradientCheck.check("d/d " + p.name(), p.values(), gradients.of(p), loss, gradientEps(),
                        gradientTolerance(), 1e-2);
            }
        });
    }

    @Test
    void backwardAddsIntoParameterGradients() {
        SplittableRandom random = new SplittableRandom(3);
        Ranker ranker = create(7);
        perturb(ranker, random);
        RankerBatch batch = batch(random, 2, 4, 3, true);
        float[] probe = Seeds.floats(random, batch.items().length, 1);
        Ranker.Pass pass = ranker.forward(batch, false, null);
        Gradients gradients = new Gradients(ranker.parameters());
        ranker.backward(pass, probe, gradients);
        Map<String, float[]> once = new java.util.HashMap<>();
        for (Parameter p : ranker.parameters()) {
            once.put(p.name(), gradients.of(p).clone());
        }
        ranker.backward(pass, probe, gradients);
        for (Parameter p : ranker.parameters()) {
            float[] first = once.get(p.name());
            float[] twice = gradients.of(p);
            for (int i = 0; i < first.length; i++) {
                assertThat(twice[i]).as("%s[%d]", p.name(), i).isCloseTo(2 * first[i], within(1e-5f + 1e-5f * Math.abs(first[i])));
            }
        }
    }
}
