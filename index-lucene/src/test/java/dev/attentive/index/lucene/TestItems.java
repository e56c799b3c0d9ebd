package dev.attentive.index.lucene;

import dev.attentive.api.IndexedItem;
import dev.attentive.api.ItemId;
import dev.attentive.api.spi.Configs;
import dev.attentive.api.spi.RetrieverSpec;
import dev.attentive.index.lucene.LuceneHnswRetrieverProvider.Config;
import dev.attentive.testkit.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Shared fixtures for this module's tests. */
final class TestItems {
    private TestItems() {
    }

    static List<IndexedItem> plain(SplittableRandom random, int n, int dim, String prefix) {
        List<IndexedItem> items = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            items.add(new IndexedItem(ItemId.of(prefix + i), Seeds.unitVector(random, dim),
                    dev.attentive.api.Features.NONE));
        }
        return items;
    }

    static Config config(String path) {
        return Config.DEFAULT.withPath(path);
    }

    /** {@code c} with {@code exactMaxDocs = 0}, so that every search walks the graph. */
    static Config graphOnly(Config c) {
        return Configs.bind(LuceneHnswRetrieverProvider.NAME, c, Map.of("exactMaxDocs", "0"));
    }

    static LuceneHnswRetriever open(Config config, RetrieverSpec spec) {
        return (LuceneHnswRetriever) new LuceneHnswRetrieverProvider().create(config, spec);
    }
}
