package dev.attentive.index.lucene;

import dev.attentive.api.IndexedItem;
import dev.attentive.api.ItemId;
import dev.attentive.api.spi.RetrieverSpec;
import dev.attentive.index.lucene.LuceneHnswRetrieverProvider.Config;
import dev.attentive.testkit.Seeds;
import java.util.ArrayList;
import java.util.List;
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

    static Config graphOnly(Config c) {
        return new Config(c.maxConn(), c.beamWidth(), c.fanout(), c.quantization(), c.oversample(), 0,
                c.filteredSearchThreshold(), c.exclusionFilterMaxOverfetch(), c.filterCacheSize(), c.path(),
                c.ramBufferMb(), c.indexThreads(), c.mergeThreads(), c.forceMergeOnIndex(), c.bulkGraphBuild(), c.localityOrder(),
                c.refreshIntervalMs());
    }

    static LuceneHnswRetriever open(Config config, RetrieverSpec spec) {
        return (LuceneHnswRetriever) new LuceneHnswRetrieverProvider().create(config, spec);
    }
}
