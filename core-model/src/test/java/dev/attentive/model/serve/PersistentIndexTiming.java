package dev.attentive.model.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attentive.api.Dataset;
import dev.attentive.api.FeatureSchema;
import dev.attentive.api.FeatureTable;
import dev.attentive.api.Features;
import dev.attentive.api.FieldSpec;
import dev.attentive.api.Interaction;
import dev.attentive.api.ItemFilter;
import dev.attentive.api.ItemId;
import dev.attentive.api.RecommendationRequest;
import dev.attentive.api.Recommender;
import dev.attentive.api.UserId;
import dev.attentive.api.spi.ProviderRegistry;
import dev.attentive.api.spi.TrainingContext;
import dev.attentive.eval.data.MovieLens;
import dev.attentive.model.TwoTowerModels;
import dev.attentive.model.TwoTowerModels.Serving;
import dev.attentive.testkit.RealData;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measures serving a saved two-tower model from a {@code lucene-hnsw} index on disk: building the
 * index (the catalogue embedded and indexed, then committed) against reopening it (neither), with
 * loading into the default in-memory exact retriever for comparison. A measurement run on demand,
 * not part of the build (the class name does not end in Test):
 * {@code mvn -q -B -o -pl core-model -am -Djapicmp.skip=true -Dtest=PersistentIndexTiming
 * -Dsurefire.failIfNoSpecifiedTests=false verify} (ML-1M needs {@code ATTENTIVE_DATA_DIR}).
 */
class PersistentIndexTiming {

    @Test
    void movieLens1m(@TempDir Path tmp) throws IOException {
        Dataset data = MovieLens.ml1m(RealData.require("ml-1m", "PersistentIndexTiming"));
        measure("ml-1m", data, tmp);
    }

    @Test
    void synthetic100kItems(@TempDir Path tmp) throws IOException {
        measure("synthetic-100k", synthetic(100_000, 5_000, 4, 7), tmp);
    }

    /** A catalogue of {@code items} items with two attributes, a few interactions per user. */
    private static Dataset synthetic(int items, int users, int perUser, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Map<ItemId, Features> itemRows = new LinkedHashMap<>();
        for (int i = 0; i < items; i++) {
            itemRows.put(ItemId.of("i" + i), Features.builder().categorical("kind", "k" + i % 20)
                    .numeric("year", 1950 + i % 70).build());
        }
        Map<UserId, Features> userRows = new LinkedHashMap<>();
        List<Interaction> interactions = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            userRows.put(UserId.of("u" + u), Features.builder().categorical("group", "g" + u % 20).build());
            for (int k = 0; k < perUser; k++) {
                int item = 20 * random.nextInt(items / 20) + u % 20;
                interactions.add(new Interaction(UserId.of("u" + u), ItemId.of("i" + item), 1000L * k + u, 1f));
            }
        }
        return new Dataset("synthetic", interactions,
                new FeatureTable<>(FeatureSchema.of(FieldSpec.categorical("group")), userRows),
                new FeatureTable<>(FeatureSchema.of(FieldSpec.categorical("kind"), FieldSpec.numeric("year")), itemRows));
    }

    private static void measure(String name, Dataset data, Path tmp) throws IOException {
        Path saved = tmp.resolve("model");
        long trainStart = System.nanoTime();
        try (Recommender model = ProviderRegistry.models().get("two-tower").train(data,
                Map.of("epochs", "1", "attention", "mean"), TrainingContext.of(1))) {
            TwoTowerModels.save(model, saved);
        }
        double trainSeconds = seconds(trainStart);
        RecommendationRequest request = RecommendationRequest.forUser(data.interactions().get(0).user()).k(10).build();
        ItemId someItem = data.interactions().get(0).item();
        Path index = tmp.resolve("index");
        List<String> lines = new ArrayList<>();
        int items;
        long start = System.nanoTime();
        try (Recommender inMemory = TwoTowerModels.load(saved)) {
            lines.add(row("load, exact in memory (embed + index)", start, inMemory, request, someItem));
            items = inMemory.catalogue().size();
        }
        List<String> expected;
        start = System.nanoTime();
        try (Recommender built = TwoTowerModels.load(saved, Serving.inDirectory("lucene-hnsw", index))) {
            lines.add(row("load, lucene-hnsw on disk, new (embed + build + commit)", start, built, request, someItem));
            expected = built.recommend(request).stream().map(r -> r.item().value()).toList();
        }
        for (int round = 1; round <= 3; round++) {
            start = System.nanoTime();
            try (Recommender reopened = TwoTowerModels.load(saved, Serving.inDirectory("lucene-hnsw", index))) {
                lines.add(row("load, lucene-hnsw on disk, reopened #" + round, start, reopened, request, someItem));
                assertThat(reopened.recommend(request).stream().map(r -> r.item().value()).toList()).isEqualTo(expected);
            }
        }
        System.out.printf(Locale.ROOT, "%s: %d items, %d users, %d interactions; trained 1 epoch and saved in %.1f s%n",
                name, items, data.users().rows().size(), data.interactions().size(), trainSeconds);
        lines.forEach(System.out::println);
    }

    private static String row(String what, long start, Recommender r, RecommendationRequest request, ItemId item) {
        double open = seconds(start);
        long first = System.nanoTime();
        r.recommend(request);
        double firstRequest = seconds(first) * 1000;
        long similar = System.nanoTime();
        r.similarItems(item, 10, ItemFilter.all());
        double firstSimilar = seconds(similar) * 1000;
        return String.format(Locale.ROOT, "  %-58s open %7.2f s, first request %6.1f ms, first similarItems %6.1f ms",
                what, open, firstRequest, firstSimilar);
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
