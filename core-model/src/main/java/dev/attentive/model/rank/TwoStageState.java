package dev.attentive.model.rank;

import dev.attentive.api.FeatureTable;
import dev.attentive.api.FeatureType;
import dev.attentive.api.Features;
import dev.attentive.api.ItemId;
import dev.attentive.api.Ranker;
import dev.attentive.api.UserId;
import dev.attentive.model.TwoStageModelProvider;
import dev.attentive.model.serve.TwoTowerRecommender;
import java.util.List;
import java.util.Map;

/**
 * Everything a two-stage model serves from, as the model store writes and reads it: taken from a
 * model by {@link TwoStageRecommender#state()}, turned back into one by
 * {@link TwoStageRecommender#restore}. Arrays and the ranker are shared, not copied: a state is a
 * view of one model, handed between the pipeline and the store. Internal (the package is not
 * exported).
 *
 * @param config the pipeline's config as trained (candidates, historyLength and sourceScale serve)
 * @param provenance dataset, data fingerprint, seed, training time and the like, in order
 * @param retrieval the served two-tower retrieval (fitted on the whole training set)
 * @param ranker the trained ranker; its shape is that of the catalogue and slots below
 * @param rankerConfig every setting of the ranker's config, resolved over its defaults when trained
 * @param items the catalogue in the ranker's index order
 * @param itemFeatures each catalogue item's features, in the same order
 * @param users the user feature table (merged under a known user's request features)
 * @param slots the fitted feature-value slots of the ranker
 * @param userItems each known user's distinct training items as catalogue indices, most recent first
 * @param itemRegression the item-item regression's {@code items * items} weights, row-major
 */
public record TwoStageState(TwoStageModelProvider.Config config, Map<String, String> provenance,
        TwoTowerRecommender retrieval, Ranker ranker, Map<String, String> rankerConfig, List<ItemId> items,
        List<Features> itemFeatures, FeatureTable<UserId> users, SlotLayout slots, Map<UserId, int[]> userItems,
        float[] itemRegression) {

    /** The names of the per-candidate source scores a two-stage ranker reads, in order. */
    public static final List<String> SOURCES = Sources.NAMES;

    /**
     * The ranker's fitted feature-value slots.
     *
     * @param vocabulary the {@code field=value} and {@code field#bucket} keys in index order (keys
     *     prefixed {@code u:} for user fields and {@code i:} for item fields)
     * @param user the user fields in slot order
     * @param item the item fields in slot order
     */
    public record SlotLayout(List<String> vocabulary, List<SlotField> user, List<SlotField> item) {
    }

    /**
     * One field's slots.
     *
     * @param name the field name
     * @param type its type
     * @param slots how many slots it fills: 1, or for a multi-categorical field its first values in
     *     sorted order
     * @param edges for a numeric field the upper bounds of its buckets, ascending; empty otherwise
     */
    public record SlotField(String name, FeatureType type, int slots, double[] edges) {
    }
}
