package dev.attentive.runtime;

import dev.attentive.api.Dataset;
import dev.attentive.api.FeatureTable;
import dev.attentive.api.Features;
import dev.attentive.api.Interaction;
import dev.attentive.api.ItemId;
import dev.attentive.eval.data.SyntheticData;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small synthetic data and a small, fast two-tower model for the runtime's tests. */
final class Fixtures {
    /** Settings of a two-tower model that trains in well under a second on {@link #small}. */
    static final Map<String, String> SMALL_MODEL = Map.of("dim", "8", "userWidths", "16", "itemWidths", "16",
            "batch", "64", "epochs", "3", "historyLength", "5", "lr", "0.02");

    /** The same as a YAML flow mapping, for config files. */
    static final String SMALL_MODEL_YAML = "{dim: 8, userWidths: [16], itemWidths: [16], batch: 64, epochs: 3, "
            + "historyLength: 5, lr: 0.02}";

    /** The generator behind {@link #small}. */
    static final SyntheticData.Config SMALL = new SyntheticData.Config(80, 120, 4, 8, 0.8, 3.0, 0.3);

    private Fixtures() {
    }

    /**
     * 80 users, 120 items with the synthetic features, about 8 interactions per user.
     *
     * @param seed the generator's seed
     * @return the dataset
     */
    static Dataset small(long seed) {
        return new SyntheticData(SMALL).generate(seed);
    }

    /**
     * The dataset with every item id prefixed, so that the catalogues of models trained on different
     * prefixes are disjoint (users stay the same).
     *
     * @param data the dataset
     * @param prefix e.g. {@code "g1-"}
     * @return the renamed dataset
     */
    static Dataset prefixItems(Dataset data, String prefix) {
        List<Interaction> interactions = data.interactions().stream()
                .map(i -> new Interaction(i.user(), ItemId.of(prefix + i.item().value()), i.timestamp(), i.weight()))
                .toList();
        Map<ItemId, Features> rows = new LinkedHashMap<>();
        data.items().rows().forEach((id, f) -> rows.put(ItemId.of(prefix + id.value()), f));
        return new Dataset(data.name() + "-" + prefix, interactions, data.users(),
                new FeatureTable<>(data.items().schema(), rows));
    }

    /**
     * A builder training the small model on a dataset.
     *
     * @param data the training data
     * @return the builder, one training thread, seed 7
     */
    static Attentive.Builder builder(Dataset data) {
        Attentive.Builder b = Attentive.builder().data(data).model("two-tower").seed(7).threads(1);
        SMALL_MODEL.forEach(b::modelSetting);
        return b;
    }
}
