package dev.attentive.index.lucene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.attentive.api.IndexedItem;
import dev.attentive.api.ItemFilter;
import dev.attentive.api.ItemId;
import dev.attentive.api.ScoredItem;
import dev.attentive.api.Similarity;
import dev.attentive.api.spi.RetrieverSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.apache.lucene.index.CheckIndex;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PersistenceTest {
    private static final RetrieverSpec SPEC = new RetrieverSpec(16, Similarity.DOT_PRODUCT, "model-a");

    @Test
    void reopensWhatWasCommittedWithTheSameResults(@TempDir Path dir) throws Exception {
        SplittableRandom random = new SplittableRandom(1);
        List<IndexedItem> items = TestItems.plain(random, 600, 16, "p");
        float[] query = items.get(7).vector();
        List<ScoredItem> before;
        try (var r = TestItems.open(TestItems.config(dir.toString()), SPEC)) {
            r.index(items);
            r.update(new IndexedItem(ItemId.of("p1"), items.get(2).vector(), items.get(1).attributes()));
            assertThat(r.remove(ItemId.of("p3"))).isTrue();
            r.commit();
            before = r.search(query, 10, ItemFilter.all(), Set.of());
        }
        try (var r = TestItems.open(TestItems.config(dir.toString()), SPEC)) {
            assertThat(r.size()).isEqualTo(599);
            assertThat(r.contains(ItemId.of("p3"))).isFalse();
            assertThat(r.contains(ItemId.of("p599"))).isTrue();
            assertThat(r.search(query, 10, ItemFilter.all(), Set.of())).isEqualTo(before);
            assertThat(r.search(items.get(2).vector(), 2, ItemFilter.all(), Set.of())).extracting(ScoredItem::id)
                    .containsExactlyInAnyOrder(ItemId.of("p1"), ItemId.of("p2"));
        }
        try (var d = FSDirectory.open(dir); var check = new CheckIndex(d)) {
            check.setInfoStream(null);
            assertThat(check.checkIndex().clean).isTrue();
        }
    }

    @Test
    void commitAndCloseOnAnInterruptedThreadStillCommitAndKeepTheInterrupt(@TempDir Path dir) {
        // Without care, Lucene's interruptible file channels fail these calls (ClosedByInterruptException),
        // break the index's lock for good and roll back what was not committed.
        List<IndexedItem> items = TestItems.plain(new SplittableRandom(3), 51, 16, "i");
        var r = TestItems.open(TestItems.config(dir.toString()), SPEC);
        r.index(items.subList(0, 50));
        Thread.currentThread().interrupt(); // as a cancelled task or a shutdown path would leave it
        boolean interruptedAfterCommit;
        try {
            r.commit();
        } finally {
            interruptedAfterCommit = Thread.interrupted(); // read and cleared: kept out of what follows
        }
        r.add(items.get(50)); // not committed: close must commit it
        Thread.currentThread().interrupt();
        boolean interruptedAfterClose;
        try {
            r.close();
        } finally {
            interruptedAfterClose = Thread.interrupted();
        }
        try (var reopened = TestItems.open(TestItems.config(dir.toString()), SPEC)) {
            assertThat(reopened.size()).isEqualTo(51);
            assertThat(reopened.search(items.get(50).vector(), 1, ItemFilter.all(), Set.of()))
                    .extracting(ScoredItem::id).containsExactly(ItemId.of("i50"));
        }
        assertThat(interruptedAfterCommit).as("the caller's interrupt status after commit").isTrue();
        assertThat(interruptedAfterClose).as("the caller's interrupt status after close").isTrue();
    }

    @Test
    void refusesAnotherModelFingerprintDimensionOrSimilarity(@TempDir Path dir) {
        try (var r = TestItems.open(TestItems.config(dir.toString()), SPEC)) {
            r.index(TestItems.plain(new SplittableRandom(2), 10, 16, "x"));
        }
        assertThatThrownBy(() -> TestItems.open(TestItems.config(dir.toString()),
                new RetrieverSpec(16, Similarity.DOT_PRODUCT, "model-b")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("The lucene-hnsw index at " + dir + " was built for model fingerprint 'model-a' "
                        + "(dimension 16, DOT_PRODUCT) and refuses to open for model fingerprint 'model-b' "
                        + "(dimension 16, DOT_PRODUCT); delete the directory to build the index again for this "
                        + "model, or set 'path' to another directory");
        assertThatThrownBy(() -> TestItems.open(TestItems.config(dir.toString()),
                new RetrieverSpec(32, Similarity.DOT_PRODUCT, "model-a")))
                .hasMessageContaining("(dimension 16, DOT_PRODUCT) and refuses to open")
                .hasMessageContaining("(dimension 32, DOT_PRODUCT)");
        assertThatThrownBy(() -> TestItems.open(TestItems.config(dir.toString()),
                new RetrieverSpec(16, Similarity.MAXIMUM_INNER_PRODUCT, "model-a")))
                .hasMessageContaining("MAXIMUM_INNER_PRODUCT");
        // the refusal leaves the index intact and openable by the right model
        try (var r = TestItems.open(TestItems.config(dir.toString()), SPEC)) {
            assertThat(r.size()).isEqualTo(10);
        }
    }

    @Test
    void refusesForeignIndexesAndFiles(@TempDir Path dir) throws Exception {
        Path foreign = dir.resolve("foreign");
        try (var d = FSDirectory.open(foreign); var w = new IndexWriter(d, new IndexWriterConfig())) {
            w.commit();
        }
        assertThatThrownBy(() -> TestItems.open(TestItems.config(foreign.toString()), SPEC))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("holds a Lucene index that the lucene-hnsw retriever did not write");
        Path file = Files.writeString(dir.resolve("file"), "x");
        assertThatThrownBy(() -> TestItems.open(TestItems.config(file.toString()), SPEC))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is a file; it must be a directory");
    }

    @Test
    void rejectsNonUnitVectorsUnderDotProductButNotUnderInnerProduct() {
        float[] twice = new float[16];
        twice[0] = 2;
        try (var r = TestItems.open(TestItems.config(""), SPEC)) {
            assertThatThrownBy(() -> r.add(new IndexedItem(ItemId.of("big"), twice, dev.attentive.api.Features.NONE)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("norm 2.0 but similarity DOT_PRODUCT needs unit vectors");
            float[] nan = new float[16];
            nan[3] = Float.NaN;
            assertThatThrownBy(() -> r.add(new IndexedItem(ItemId.of("nan"), nan, dev.attentive.api.Features.NONE)))
                    .hasMessageContaining("non-finite vector component NaN at index 3");
        }
        try (var r = TestItems.open(TestItems.config(""), new RetrieverSpec(16, Similarity.MAXIMUM_INNER_PRODUCT, ""))) {
            float[] small = new float[16];
            small[0] = 0.5f;
            r.add(new IndexedItem(ItemId.of("big"), twice, dev.attentive.api.Features.NONE));
            r.add(new IndexedItem(ItemId.of("small"), small, dev.attentive.api.Features.NONE));
            float[] query = new float[16];
            query[0] = 1;
            assertThat(r.search(query, 2, ItemFilter.all(), Set.of()))
                    .containsExactly(new ScoredItem(ItemId.of("big"), 2f), new ScoredItem(ItemId.of("small"), 0.5f));
        }
    }
}
