package dev.attentive.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.attentive.api.Attention;
import dev.attentive.api.Gradients;
import dev.attentive.api.Parameter;
import dev.attentive.api.spi.AttentionProvider;
import dev.attentive.api.spi.AttentionShape;
import dev.attentive.api.spi.ProviderRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link AttentionProvider} passes. Extend it and return your provider:
 * <pre>{@code
 * class MyAttentionTest extends AttentionContractTest {
 *     @Override protected AttentionProvider<?> provider() { return new MyAttentionProvider(); }
 * }
 * }</pre>
 * It checks discovery by name, shapes, weights (≥ 0, sum 1, masked fields 0), determinism by seed,
 * gradients of inputs and parameters by finite differences, and the save/load round trip through
 * {@link Attention#parameters()}.
 *
 * @since 0.1.0
 */
public abstract class AttentionContractTest {

    /** For subclasses. */
    protected AttentionContractTest() {
    }

    /**
     * The provider under test.
     *
     * @return the provider
     */
    protected abstract AttentionProvider<?> provider();

    /**
     * Settings laid over the provider's default config for every test.
     *
     * @return the settings; none by default
     */
    protected Map<String, String> settings() {
        return Map.of();
    }

    /**
     * The finite-difference step of the gradient check.
     *
     * @return the step
     */
    protected double gradientEps() {
        return 5e-3;
    }

    /**
     * The relative error allowed by the gradient check.
     *
     * @return the tolerance
     */
    protected double gradientTolerance() {
        return GradientCheck.DEFAULT_TOLERANCE;
    }

    /**
     * Creates the attention under test.
     *
     * @param fields the field count
     * @param dim the dimension
     * @param seed the initialisation seed
     * @return the attention
     */
    protected Attention create(int fields, int dim, long seed) {
        List<String> names = new ArrayList<>();
        for (int f = 0; f < fields; f++) {
            names.add("field" + f);
        }
        return provider().create(settings(), new AttentionShape(names, dim), seed);
    }

    @Test
    void isDiscoverableByName() {
        var registry = ProviderRegistry.attention();
        assertThat(provider().name()).matches("^[a-z][a-z0-9-]*$");
        assertThat(registry.get(provider().name().toUpperCase(java.util.Locale.ROOT)).getClass())
                .isEqualTo(provider().getClass());
    }

    @Test
    void shapesAndWeights() {
        Seeds.forEach(10, 11, (random, seed) -> {
            int fields = 1 + random.nextInt(6);
            int dim = 1 + random.nextInt(9);
            int batch = 1 + random.nextInt(5);
            Attention attention = create(fields, dim, seed);
            assertThat(attention.fieldCount()).isEqualTo(fields);
            assertThat(attention.dim()).isEqualTo(dim);
            float[] input = Seeds.floats(random, batch * fields * dim, 1);
            float[] mask = randomMask(random, batch, fields);
            Attention.Pass pass = attention.forward(input, mask, batch, false, null);
            assertThat(pass.batch()).isEqualTo(batch);
            assertThat(pass.output()).hasSize(batch * attention.outputDim());
            assertThat(pass.weights()).hasSize(batch * fields);
            for (int b = 0; b < batch; b++) {
                double sum = 0;
                boolean anyPresent = false;
                for (int f = 0; f < fields; f++) {
                    float w = pass.weights()[b * fields + f];
                    assertThat(w).as("weight of row %d field %d", b, f).isGreaterThanOrEqualTo(0f);
                    if (mask[b * fields + f] == 0) {
                        assertThat(w).as("masked field %d of row %d weighs nothing", f, b).isZero();
                    } else {
                        anyPresent = true;
                    }
                    sum += w;
                }
                assertThat(sum).as("weights of row %d", b).isCloseTo(anyPresent ? 1 : 0, within(1e-5));
            }
            for (float v : pass.output()) {
                assertThat(Float.isFinite(v)).isTrue();
            }
        });
    }

    @Test
    void nullMaskMeansEveryFieldPresent() {
        SplittableRandom random = new SplittableRandom(5);
        Attention attention = create(3, 4, 1);
        float[] input = Seeds.floats(random, 2 * 3 * 4, 1);
        float[] ones = new float[2 * 3];
        java.util.Arrays.fill(ones, 1f);
        assertThat(attention.forward(input, null, 2, false, null).output())
                .containsExactly(attention.forward(input, ones, 2, false, null).output());
    }

    @Test
    void sameSeedSameParameters() {
        Attention a = create(4, 5, 42);
        Attention b = create(4, 5, 42);
        assertThat(a.parameters()).hasSameSizeAs(b.parameters());
        for (int i = 0; i < a.parameters().size(); i++) {
            assertThat(a.parameters().get(i).name()).isEqualTo(b.parameters().get(i).name());
            assertThat(a.parameters().get(i).values()).containsExactly(b.parameters().get(i).values());
        }
    }

    @Test
    void saveLoadRoundTripThroughParameters() {
        SplittableRandom random = new SplittableRandom(9);
        Attention original = create(4, 6, 1);
        Attention restored = create(4, 6, 2);
        for (int i = 0; i < original.parameters().size(); i++) {
            Parameter from = original.parameters().get(i);
            Parameter to = restored.parameters().get(i);
            assertThat(to.name()).isEqualTo(from.name());
            assertThat(to.shape()).containsExactly(from.shape());
            System.arraycopy(from.values(), 0, to.values(), 0, from.size());
        }
        float[] input = Seeds.floats(random, 3 * 4 * 6, 1);
        float[] mask = randomMask(random, 3, 4);
        assertThat(restored.forward(input, mask, 3, false, null).output())
                .containsExactly(original.forward(input, mask, 3, false, null).output());
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Seeds.forEach(4, 13, (random, seed) -> {
            int fields = 2 + random.nextInt(4);
            int dim = 2 + random.nextInt(5);
            int batch = 1 + random.nextInt(3);
            Attention attention = create(fields, dim, seed);
            // Perturb parameters away from their initial values so that zero-initialised ones are checked too.
            for (Parameter p : attention.parameters()) {
                float[] noise = Seeds.floats(random, p.size(), 0.3);
                for (int i = 0; i < p.size(); i++) {
                    p.values()[i] += noise[i];
                }
            }
            float[] input = Seeds.floats(random, batch * fields * dim, 1);
            float[] mask = randomMask(random, batch, fields);
            float[] probe = Seeds.floats(random, batch * attention.outputDim(), 1);
            Attention.Pass pass = attention.forward(input, mask, batch, false, null);
            float[] gradInput = new float[input.length];
            Gradients gradients = new Gradients(attention.parameters());
            attention.backward(pass, probe, gradInput, gradients);
            java.util.function.DoubleSupplier loss =
                    () -> GradientCheck.probe(attention.forward(input, mask, batch, false, null).output(), probe);
            GradientCheck.check("d/d input", input, gradInput, loss, gradientEps(), gradientTolerance(), 1e-2);
            for (Parameter p : attention.parameters()) {
                GradientCheck.check("d/d " + p.name(), p.values(), gradients.of(p), loss, gradientEps(),
                        gradientTolerance(), 1e-2);
            }
        });
    }

    @Test
    void backwardAddsIntoInputGradients() {
        SplittableRandom random = new SplittableRandom(3);
        Attention attention = create(3, 4, 7);
        float[] input = Seeds.floats(random, 2 * 3 * 4, 1);
        float[] probe = Seeds.floats(random, 2 * attention.outputDim(), 1);
        Attention.Pass pass = attention.forward(input, null, 2, false, null);
        float[] once = new float[input.length];
        attention.backward(pass, probe, once, new Gradients(attention.parameters()));
        float[] twice = once.clone();
        attention.backward(pass, probe, twice, new Gradients(attention.parameters()));
        for (int i = 0; i < once.length; i++) {
            assertThat(twice[i]).isCloseTo(2 * once[i], within(1e-5f + 1e-5f * Math.abs(once[i])));
        }
    }

    /**
     * {@link Attention.Pass#release()}: a released pass keeps the output and weights it returned,
     * whatever the attention does with the rest of its memory, and releasing twice is harmless.
     */
    @Test
    void releasedPassKeepsItsOutputAndWeights() {
        SplittableRandom random = new SplittableRandom(5);
        Attention attention = create(3, 4, 9);
        Attention.Pass pass = attention.forward(Seeds.floats(random, 2 * 3 * 4, 1), null, 2, false, null);
        float[] output = pass.output().clone();
        float[] weights = pass.weights().clone();
        pass.release();
        pass.release();
        attention.forward(Seeds.floats(random, 2 * 3 * 4, 1), null, 2, false, null).release();
        assertThat(pass.output()).containsExactly(output);
        assertThat(pass.weights()).containsExactly(weights);
    }

    private static float[] randomMask(SplittableRandom random, int batch, int fields) {
        float[] mask = new float[batch * fields];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = random.nextInt(4) == 0 ? 0f : 1f;
        }
        // Keep the first row fully present so that every test sees a full row.
        for (int f = 0; f < fields; f++) {
            mask[f] = 1f;
        }
        return mask;
    }
}
