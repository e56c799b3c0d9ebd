package dev.attentive.index.lucene;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.codecs.KnnVectorsWriter;
import org.apache.lucene.index.SegmentReadState;
import org.apache.lucene.index.SegmentWriteState;
import org.apache.lucene.store.IOContext;

/**
 * The vector format that, while a bulk {@link LuceneHnswRetriever#index} runs, flushes segments
 * without an HNSW graph (vectors only): the graph is then built once, by the merge into one segment
 * that ends the bulk load, with {@code mergeThreads} workers — instead of once per flushed segment
 * and again when the segments are merged. It writes under the wrapped format's registered name, so
 * segments are read back through Lucene's own SPI (the graph parameters are not needed to read).
 */
final class BulkAwareVectorsFormat extends KnnVectorsFormat {
    private final KnnVectorsFormat normal;
    private final KnnVectorsFormat graphless;
    private final AtomicBoolean graphlessFlush;

    BulkAwareVectorsFormat(KnnVectorsFormat normal, KnnVectorsFormat graphless, AtomicBoolean graphlessFlush) {
        super(normal.getName());
        this.normal = normal;
        this.graphless = graphless;
        this.graphlessFlush = graphlessFlush;
    }

    @Override
    public KnnVectorsWriter fieldsWriter(SegmentWriteState state) throws IOException {
        // Indexing threads open their writer with the DEFAULT context (the flush writes through it); merges with MERGE.
        boolean merge = state.context.context() == IOContext.Context.MERGE;
        return (!merge && graphlessFlush.get() ? graphless : normal).fieldsWriter(state);
    }

    @Override
    public KnnVectorsReader fieldsReader(SegmentReadState state) throws IOException {
        return normal.fieldsReader(state);
    }

    @Override
    public int getMaxDimensions(String fieldName) {
        return normal.getMaxDimensions(fieldName);
    }

    @Override
    public String toString() {
        return "BulkAware(" + normal + ")";
    }
}
