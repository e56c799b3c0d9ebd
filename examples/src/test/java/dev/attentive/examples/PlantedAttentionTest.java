package dev.attentive.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attentive.api.Dataset;
import dev.attentive.api.Explanation;
import dev.attentive.api.RecommendationRequest;
import dev.attentive.api.Recommender;
import dev.attentive.api.UserId;
import dev.attentive.api.spi.ProviderRegistry;
import dev.attentive.api.spi.TrainingContext;
import dev.attentive.eval.data.SyntheticData;
import dev.attentive.eval.runner.Experiment;
import dev.attentive.eval.runner.ExperimentResult;
import dev.attentive.eval.runner.ModelSpec;
import dev.attentive.eval.runner.Protocol;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The planted test of the attention issue: on synthetic data where only some fields drive
 * preferences, the two-tower model with attention learns to weigh the informative fields above the
 * noise fields, and beats the same model with {@code mean} pooling. Seeded end to end.
 */
class PlantedAttentionTest {
    private static final long SEED = 7;
    private static final String ATTENTION = "two-tower[attention=attention-pooling]";
    private static final String MEAN = "two-tower[attention=mean]";

    @Test
    void attentionWeighsPlantedFieldsAboveNoiseAndBeatsMean() {
        SyntheticData synthetic = new SyntheticData(SyntheticData.Config.defaults());
        Dataset data = synthetic.generate(SEED);

        ExperimentResult result = new Experiment(new Experiment.Config("synthetic", data, Protocol.RECBOLE,
                ModelSpec.parseList(MEAN + "," + ATTENTION), List.of(SEED), Double.NaN, 1, 2, false))
                .run();
        double attention = result.meanTest(ATTENTION, "ndcg@10");
        double mean = result.meanTest(MEAN, "ndcg@10");
        System.out.printf("planted: test ndcg@10 attention-pooling %.4f, mean %.4f%n", attention, mean);

        var spec = ModelSpec.parse(ATTENTION);
        try (Recommender model = ProviderRegistry.models().get(spec.name())
                .train(data, spec.settings(), new TrainingContext(SEED, 2, r -> Double.NaN, s -> { }))) {
            Map<String, Double> user = new TreeMap<>();
            Map<String, Double> item = new TreeMap<>();
            List<UserId> users = data.users().rows().keySet().stream().limit(200).toList();
            for (UserId u : users) {
                var recs = model.recommend(RecommendationRequest.forUser(u).k(5).explain(true).build());
                for (var r : recs) {
                    Explanation e = r.explanation().orElseThrow();
                    e.userFieldWeights().forEach(w -> user.merge(w.name(), w.value() / recs.size() / users.size(), Double::sum));
                    e.itemFieldWeights().forEach(w -> item.merge(w.name(), w.value() / recs.size() / users.size(), Double::sum));
                }
            }
            System.out.println("planted: mean user field weights " + format(user));
            System.out.println("planted: mean item field weights " + format(item));
            assertRanked(user, synthetic.informativeUserFields(), synthetic.noiseUserFields());
            assertRanked(item, synthetic.informativeItemFields(), synthetic.noiseItemFields());
        }
        assertThat(attention).as("attention-pooling beats mean on planted data").isGreaterThan(mean);
    }

    private static void assertRanked(Map<String, Double> weights, List<String> informative, List<String> noise) {
        double weakestInformative = informative.stream().mapToDouble(weights::get).min().orElseThrow();
        double strongestNoise = noise.stream().mapToDouble(weights::get).max().orElseThrow();
        assertThat(weakestInformative).as("every informative field %s weighs more than every noise field %s in %s",
                informative, noise, weights).isGreaterThan(strongestNoise);
    }

    private static String format(Map<String, Double> weights) {
        return weights.entrySet().stream().sorted(Map.Entry.comparingByValue(java.util.Comparator.reverseOrder()))
                .map(e -> String.format("%s %.3f", e.getKey(), e.getValue())).collect(Collectors.joining(", "));
    }
}
