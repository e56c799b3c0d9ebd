package dev.attentive.index.lucene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.attentive.api.Similarity;
import dev.attentive.api.spi.RetrieverSpec;
import dev.attentive.api.spi.Configs;
import dev.attentive.index.lucene.LuceneHnswRetrieverProvider.Config;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.store.Directory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexWriterSessionTest {
    private static final RetrieverSpec SPEC = new RetrieverSpec(16, Similarity.DOT_PRODUCT, "model-a");

    @Test
    void closeAfterLuceneDroppedTheWriterSaysTheWritesWereLost(@TempDir Path dir) throws IOException {
        Config config = Configs.bind(LuceneHnswRetrieverProvider.NAME, TestItems.config(dir.toString()),
                Map.of("mergeThreads", "1"));
        String location = dir.toString();
        Directory directory = IndexCompatibility.openDirectory(config);
        IndexWriter writer = IndexCompatibility.openWriter(directory, config, SPEC, location, null, new AtomicBoolean());
        var session = new IndexWriterSession(config, SPEC, location, directory, writer,
                new NrtRefresher(writer, config.refreshIntervalMs(), location), null, new AtomicBoolean());
        session.index(TestItems.plain(new SplittableRandom(4), 10, 16, "i")); // not committed
        // What Lucene does to its writer after a "tragic" failure (a failed flush, or a commit whose
        // lock channel was closed): it rolls the writer back and closes it. Before, close then
        // returned normally although the ten items were gone.
        writer.rollback();
        assertThatThrownBy(session::close)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("The lucene-hnsw index at " + location + " lost its writer before close, so the writes "
                        + "since its last successful commit were not saved; reopen the index to see what it holds "
                        + "and write the missing items again");
        // The index was released all the same: it opens again, holding its last commit (empty).
        try (var r = TestItems.open(TestItems.config(location), SPEC)) {
            assertThat(r.size()).isZero();
        }
        session.close(); // idempotent: the failure is reported once
    }
}
