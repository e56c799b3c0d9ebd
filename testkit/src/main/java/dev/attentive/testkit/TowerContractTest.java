package dev.attentive.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attentive.api.Gradients;
import dev.attentive.api.Parameter;
import dev.attentive.api.Tower;
import dev.attentive.api.spi.ProviderRegistry;
import dev.attentive.api.spi.TowerProvider;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link TowerProvider} passes. Extend it and return your provider; override
 * {@link #settings()} to test a particular config (dropout is off in these checks because they run
 * with {@code training = false}).
 *
 * @since 0.1.0
 */
public abstract class TowerContractTest {

    /** For subclasses. */
    protected TowerContractTest() {
    }

    /**
     * The provider under test.
     *
     * @return the provider
     */
    protected abstract TowerProvider<?> provider();

    /**
     * Settings laid over the default config.
     *
     * @return the settings; none by default
     */
    protected Map<String, String> settings() {
        return Map.of();
    }

    /**
     * The finite-difference step.
     *
     * @return the step
     */
    protected double gradientEps() {
        return 5e-3;
    }

    @Test
    void isDiscoverableByName() {
        assertThat(ProviderRegistry.towers().get(provider().name()).getClass()).isEqualTo(provider().getClass());
    }

    @Test
    void shapesAndDeterminism() {
        Seeds.forEach(5, 21, (random, seed) -> {
            int in = 1 + random.nextInt(12);
            int out = 1 + random.nextInt(8);
            int batch = 1 + random.nextInt(4);
            Tower tower = provider().create(settings(), in, out, seed);
            Tower twin = provider().create(settings(), in, out, seed);
            assertThat(tower.inputDim()).isEqualTo(in);
            assertThat(tower.outputDim()).isEqualTo(out);
            float[] input = Seeds.floats(random, batch * in, 1);
            Tower.Pass pass = tower.forward(input, batch, false, null);
            assertThat(pass.batch()).isEqualTo(batch);
            assertThat(pass.output()).hasSize(batch * out);
            assertThat(twin.forward(input, batch, false, null).output()).containsExactly(pass.output());
        });
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Seeds.forEach(4, 23, (random, seed) -> {
            int in = 2 + random.nextInt(6);
            int out = 1 + random.nextInt(5);
            int batch = 1 + random.nextInt(3);
            Tower tower = provider().create(settings(), in, out, seed);
            float[] input = Seeds.floats(random, batch * in, 1);
            float[] probe = Seeds.floats(random, batch * out, 1);
            float[] gradInput = new float[input.length];
            Gradients gradients = new Gradients(tower.parameters());
            tower.backward(tower.forward(input, batch, false, null), probe, gradInput, gradients);
            java.util.function.DoubleSupplier loss =
                    () -> GradientCheck.probe(tower.forward(input, batch, false, null).output(), probe);
            GradientCheck.check("d/d input", input, gradInput, loss, gradientEps(), GradientCheck.DEFAULT_TOLERANCE, 1e-2);
            for (Parameter p : tower.parameters()) {
                GradientCheck.check("d/d " + p.name(), p.values(), gradients.of(p), loss, gradientEps(),
                        GradientCheck.DEFAULT_TOLERANCE, 1e-2);
            }
        });
    }

    @Test
    void saveLoadRoundTripThroughParameters() {
        SplittableRandom random = new SplittableRandom(4);
        Tower original = provider().create(settings(), 6, 3, 1);
        Tower restored = provider().create(settings(), 6, 3, 2);
        for (int i = 0; i < original.parameters().size(); i++) {
            Parameter from = original.parameters().get(i);
            System.arraycopy(from.values(), 0, restored.parameters().get(i).values(), 0, from.size());
        }
        float[] input = Seeds.floats(random, 2 * 6, 1);
        assertThat(restored.forward(input, 2, false, null).output())
                .containsExactly(original.forward(input, 2, false, null).output());
    }
}
