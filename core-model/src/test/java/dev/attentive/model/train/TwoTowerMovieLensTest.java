package dev.attentive.model.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attentive.api.Dataset;
import dev.attentive.api.Recommender;
import dev.attentive.api.spi.EpochStats;
import dev.attentive.api.spi.ProviderRegistry;
import dev.attentive.api.spi.TrainingContext;
import dev.attentive.eval.data.MovieLens;
import dev.attentive.eval.metrics.Evaluator;
import dev.attentive.eval.runner.Protocol;
import dev.attentive.eval.split.Filters;
import dev.attentive.eval.split.Split;
import dev.attentive.testkit.RealData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Quality on ML-100K with the RecBole protocol, seed 2020 (a real-data test; about a minute): the
 * harness's own loader, filters (rating at least 3, 10-core), split ({@link Protocol#RECBOLE}) and
 * full-ranking evaluator, so this number is comparable with the experiment runner's.
 */
class TwoTowerMovieLensTest {

    @Test
    void meanAttentionReachesRecallAt10OfTheReference() throws Exception {
        Path dir = RealData.require("ml-100k", "TwoTowerMovieLensTest");
        Result result = run(dir, Map.of("attention", "mean"));
        System.out.println(result.summary());
        assertThat(result.recall()).as(result.summary()).isGreaterThanOrEqualTo(0.22);
    }

    record Result(double recall, String summary) {
    }

    static Result run(Path dir, Map<String, String> settings) throws Exception {
        Dataset data = Filters.kCore(Filters.ratingAtLeast(MovieLens.ml100k(dir), 3), 10, 10);
        Split split = Protocol.RECBOLE.split(data, 2020);
        Evaluator evaluator = new Evaluator(split.train(), new int[] {10}, 2);
        List<EpochStats> epochs = new ArrayList<>();
        TrainingContext context = new TrainingContext(2020, 2,
                r -> evaluator.evaluate(r, split.valid(), null).get("ndcg@10"), s -> {
                    epochs.add(s);
                    System.out.println(s);
                });
        long start = System.nanoTime();
        try (Recommender r = ProviderRegistry.models().get("two-tower").train(split.train(), settings, context)) {
            double seconds = (System.nanoTime() - start) / 1e9;
            double recall = evaluator.evaluate(r, split.test(), split.valid()).get("recall@10");
            double[] speeds = epochs.stream().mapToDouble(EpochStats::interactionsPerSecond).sorted().toArray();
            String summary = String.format(java.util.Locale.ROOT,
                    "ml-100k %s: train %d interactions, best validation NDCG@10 %.4f, test Recall@10 %.4f, "
                    + "median %.0f interactions/s, %.1f s total",
                    settings, split.train().interactions().size(),
                    epochs.stream().mapToDouble(EpochStats::validation).max().orElse(Double.NaN), recall,
                    speeds[speeds.length / 2], seconds);
            return new Result(recall, summary);
        }
    }

    /**
     * Runs the check by hand: {@code java -cp ... dev.attentive.model.train.TwoTowerMovieLensTest DIR [key=value...]}.
     *
     * @param args the ml-100k folder, then settings
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> settings = new java.util.LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            settings.put(kv[0], kv[1]);
        }
        System.out.println(run(Path.of(args[0]), settings).summary());
    }
}
