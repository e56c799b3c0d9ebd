package dev.attentive.model.store;

import dev.attentive.api.Features;
import dev.attentive.api.ItemId;
import dev.attentive.api.Recommendation;
import dev.attentive.api.RecommendationRequest;
import dev.attentive.api.Recommender;
import dev.attentive.api.UserId;
import dev.attentive.api.spi.ProviderRegistry;
import dev.attentive.api.spi.TrainingContext;
import dev.attentive.model.TwoTowerModels;
import dev.attentive.model.serve.TwoTowerModelTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes the golden two-stage model under {@code src/test/resources/golden/two-stage-v1} (run once
 * per format version, from the core-model directory:
 * {@code java -cp <test classpath> dev.attentive.model.store.GoldenTwoStageModel}), with
 * {@code expected.json} beside it: the recommendations the saved model gave. It ranks with the
 * test-only {@code test-linear} ranker, which core-model's tests always have. Never overwrite an
 * existing golden directory: old formats must keep loading.
 */
final class GoldenTwoStageModel {
    static final Map<String, String> SETTINGS = Map.ofEntries(Map.entry("ranker", "test-linear"),
            Map.entry("candidates", "8"), Map.entry("historyLength", "5"), Map.entry("epochs", "3"),
            Map.entry("lambda", "10"), Map.entry("retrieval.dim", "8"), Map.entry("retrieval.userWidths", "8"),
            Map.entry("retrieval.itemWidths", "8"), Map.entry("retrieval.batch", "32"), Map.entry("retrieval.epochs", "5"),
            Map.entry("retrieval.historyLength", "4"), Map.entry("retrieval.historyAttention", "mean"));

    private GoldenTwoStageModel() {
    }

    /** The requests whose answers the golden file pins. */
    static List<RecommendationRequest> requests() {
        return List.of(
                RecommendationRequest.forUser(UserId.of("u0")).k(5).build(),
                RecommendationRequest.forUser(UserId.of("u7")).k(5).explain(true).build(),
                RecommendationRequest.forUser(UserId.of("u12")).k(4).exclude(java.util.Set.of(ItemId.of("i0"))).build(),
                RecommendationRequest.builder().features(Features.builder().categorical("taste", "b").build())
                        .recentItems(List.of(ItemId.of("i1"), ItemId.of("i3"))).k(5).build());
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "src/test/resources/golden/two-stage-v1");
        try (Recommender r = ProviderRegistry.models().get("two-stage").train(TwoTowerModelTest.planted(11), SETTINGS,
                new TrainingContext(11, 1, x -> Double.NaN, s -> { }))) {
            TwoTowerModels.save(r, dir);
            JsonMapper json = JsonMapper.builder().build();
            ObjectNode root = json.createObjectNode();
            ArrayNode answers = root.putArray("answers");
            for (RecommendationRequest request : requests()) {
                ArrayNode a = answers.addArray();
                for (Recommendation rec : r.recommend(request)) {
                    a.addObject().put("item", rec.item().value()).put("score", rec.score());
                }
            }
            Files.write(dir.resolve("expected.json"), json.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
        }
    }
}
