package dev.attentive.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.attentive.api.Dataset;
import dev.attentive.api.Parameter;
import dev.attentive.api.Recommendation;
import dev.attentive.api.RecommendationRequest;
import dev.attentive.api.Recommender;
import dev.attentive.api.UserId;
import dev.attentive.api.spi.ConfigException;
import dev.attentive.api.spi.EpochStats;
import dev.attentive.api.spi.ProviderRegistry;
import dev.attentive.api.spi.TrainingContext;
import dev.attentive.kernels.ParallelFor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code weightAverage}: the average's definition, its checks, and its wiring in training (the trained
 * trajectory is the same with or without it; each epoch is validated with the averaged weights; the
 * model kept is the one validated).
 */
class WeightAverageTest {
    private static final Map<String, String> SMALL = Map.ofEntries(Map.entry("dim", "16"),
            Map.entry("userWidths", "32"), Map.entry("itemWidths", "32"), Map.entry("batch", "32"),
            Map.entry("epochs", "4"), Map.entry("lr", "0.01"), Map.entry("historyLength", "5"),
            Map.entry("temperature", "0.1"), Map.entry("historyAttention", "mean"), Map.entry("patience", "10"));
    private static final RecommendationRequest PROBE = RecommendationRequest.forUser(UserId.of("u3")).k(10).build();

    @Test
    void eachUpdateMovesTheAverageByTheDocumentedDecay() {
        Parameter p = new Parameter("w", new int[] {3}, new float[] {1f, -2f, 0.5f});
        WeightAverage average = new WeightAverage(List.of(p), 0.5);
        float[] expected = {1f, -2f, 0.5f};
        float[][] steps = {{3f, 0f, 0.5f}, {-1f, 4f, 2f}, {0f, 0f, 0f}, {7f, -7f, 1f}, {2f, 2f, 2f}, {1f, 0f, -1f},
            {0.25f, 3f, 1f}, {-4f, 1f, 0f}, {5f, 5f, -5f}, {0f, 1f, 2f}};
        try (ParallelFor workers = new ParallelFor(1, "test")) {
            for (int t = 0; t < steps.length; t++) {
                double d = Math.min(0.5, (1.0 + t) / (10.0 + t));
                assertThat(average.nextDecay()).isEqualTo(d);
                System.arraycopy(steps[t], 0, p.values(), 0, 3);
                average.update(workers);
                for (int k = 0; k < 3; k++) {
                    expected[k] = expected[k] * (float) d + (1f - (float) d) * steps[t][k];
                }
            }
        }
        assertThat(average.nextDecay()).isEqualTo(0.5); // capped by the setting from step 8 on (9 / 18)
        float[] trained = p.values().clone();
        average.swap();
        assertThat(p.values()).containsExactly(expected);
        average.swap();
        assertThat(p.values()).containsExactly(trained);
    }

    @Test
    void settingsOutsideZeroToOneAreRefused() {
        var provider = ProviderRegistry.models().get("two-tower");
        for (String bad : List.of("1", "-0.1", "NaN")) {
            assertThatThrownBy(() -> provider.configure(Map.of("weightAverage", bad)))
                    .isInstanceOf(ConfigException.class).hasMessageContaining("weightAverage must be at least 0 and below 1");
        }
        assertThatThrownBy(() -> new WeightAverage(List.of(), 0)).isInstanceOf(IllegalArgumentException.class);
    }

    /** One run: its per-epoch losses, the probe's scores as each epoch's validation saw them, and the model. */
    private record Run(List<Double> losses, List<List<Recommendation>> validated, Recommender model) {
    }

    private static Run train(Dataset data, String weightAverage) {
        Map<String, String> settings = new LinkedHashMap<>(SMALL);
        settings.put("weightAverage", weightAverage);
        List<EpochStats> stats = new ArrayList<>();
        List<List<Recommendation>> validated = new ArrayList<>();
        // Each epoch validates better than the one before, so the model kept is the last epoch's.
        Recommender model = ProviderRegistry.models().get("two-tower").train(data, settings,
                new TrainingContext(7, 1, r -> {
                    validated.add(r.recommend(PROBE));
                    return validated.size();
                }, stats::add));
        return new Run(stats.stream().map(EpochStats::loss).toList(), validated, model);
    }

    @Test
    void trainingIsUnchangedAndTheAveragedWeightsAreValidatedAndKept() {
        Dataset data = LogQWeightTest.skewed(3);
        Run plain = train(data, "0");
        Run averaged = train(data, "0.9");
        try (Recommender a = plain.model(); Recommender b = averaged.model()) {
            assertThat(averaged.losses()).hasSize(4).isEqualTo(plain.losses());
            assertThat(a.recommend(PROBE)).isEqualTo(plain.validated().get(3));
            assertThat(b.recommend(PROBE)).isEqualTo(averaged.validated().get(3));
            for (int epoch = 0; epoch < 4; epoch++) {
                assertThat(averaged.validated().get(epoch)).as("epoch %d", epoch + 1)
                        .isNotEqualTo(plain.validated().get(epoch));
            }
        }
    }

    @Test
    void withoutValidationTheModelIsTheLastAverage() {
        Dataset data = LogQWeightTest.skewed(4);
        Map<String, String> settings = new LinkedHashMap<>(SMALL);
        settings.put("weightAverage", "0.9");
        List<EpochStats> stats = new ArrayList<>();
        Run plainRun = train(data, "0");
        Run validatedRun = train(data, "0.9");
        try (Recommender unvalidated = ProviderRegistry.models().get("two-tower").train(data, settings,
                        new TrainingContext(7, 1, r -> Double.NaN, stats::add));
                Recommender validated = validatedRun.model();
                Recommender plain = plainRun.model()) {
            assertThat(stats.stream().map(EpochStats::loss).toList()).isEqualTo(plainRun.losses());
            assertThat(unvalidated.recommend(PROBE)).isEqualTo(validated.recommend(PROBE))
                    .isNotEqualTo(plain.recommend(PROBE));
        }
    }
}
