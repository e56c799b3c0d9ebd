package dev.attentive.onnx;

import dev.attentive.api.FeatureValue;
import dev.attentive.api.Features;
import dev.attentive.api.Interaction;
import dev.attentive.api.ItemId;
import dev.attentive.api.Recommender;
import dev.attentive.model.features.FieldEncoder;
import dev.attentive.model.nn.TwoTowerModel;
import dev.attentive.model.serve.TwoTowerRecommender;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The library's embeddings of requests that its public API answers but does not return as vectors:
 * an anonymous user with request features and recent items (the path of
 * {@code TwoTowerRecommender.respond}), and an item embedded from its features (the path of a
 * catalogue {@code put}). White-box: the same calls as those methods make.
 */
final class LibraryEmbeddings {
    private final TwoTowerModel model;

    LibraryEmbeddings(Recommender recommender) {
        this.model = ((TwoTowerRecommender) recommender).model;
    }

    /** An anonymous request's user embedding: features as given, history from the recent items. */
    float[] anonymousUser(Map<String, FeatureValue> features, List<String> recentItems) {
        FieldEncoder.Encoded row = model.encodeUser(-1, new Features(features), Interaction.NO_TIMESTAMP, "test request");
        Map<String, Integer> vocabulary = model.item.fields.get(0).vocabulary;
        List<Integer> rows = new ArrayList<>();
        for (String id : recentItems) {
            Integer r = vocabulary.get(id);
            if (r != null && rows.size() < model.config.historyLength()) {
                rows.add(r);
            }
        }
        int[] history = rows.stream().mapToInt(Integer::intValue).toArray();
        return model.user.forward(new FieldEncoder.Encoded[] {row}, model.config.hasHistory() ? new int[][] {history} : null,
                false, null).embeddings;
    }

    /** An item embedded from its id and features (its id field missing unless the model trained on it). */
    float[] item(String id, Map<String, FeatureValue> features) {
        return model.item.forward(new FieldEncoder.Encoded[] {model.encodeItem(ItemId.of(id), new Features(features))},
                null, false, null).embeddings;
    }
}
