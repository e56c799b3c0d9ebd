package dev.attentive.index.lucene;

import dev.attentive.index.lucene.LuceneHnswRetrieverProvider.Config;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene104.Lucene104Codec;
import org.apache.lucene.codecs.lucene104.Lucene104HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.util.quantization.QuantizedByteVectorValues;

/**
 * The current default codec with our vector format for every field. It keeps the default
 * codec's name, so readers need nothing registered: the per-field vector format name is
 * recorded in each segment and found through Lucene's own SPI.
 */
final class HnswCodec extends Lucene104Codec {
    private final KnnVectorsFormat format;

    private HnswCodec(KnnVectorsFormat format) {
        this.format = format;
    }

    /** The codec for a config: its graph parameters and quantisation, bulk-aware flushing. */
    static HnswCodec of(Config config, ExecutorService mergeExecutor, AtomicBoolean graphlessFlush) {
        return new HnswCodec(new BulkAwareVectorsFormat(
                format(config, mergeExecutor, Lucene99HnswVectorsFormat.HNSW_GRAPH_THRESHOLD),
                format(config, mergeExecutor, Integer.MAX_VALUE), graphlessFlush));
    }

    /** Our vector format; a {@code tinySegmentsThreshold} of Integer.MAX_VALUE never builds a graph. */
    private static KnnVectorsFormat format(Config config, ExecutorService mergeExecutor, int tinySegmentsThreshold) {
        int workers = config.mergeThreads();
        return switch (config.quantization()) {
            case NONE -> new Lucene99HnswVectorsFormat(config.maxConn(), config.beamWidth(), workers, mergeExecutor,
                    tinySegmentsThreshold);
            case INT8 -> new Lucene104HnswScalarQuantizedVectorsFormat(
                    QuantizedByteVectorValues.ScalarEncoding.UNSIGNED_BYTE, config.maxConn(), config.beamWidth(),
                    workers, mergeExecutor, tinySegmentsThreshold);
            case INT4 -> new Lucene104HnswScalarQuantizedVectorsFormat(
                    QuantizedByteVectorValues.ScalarEncoding.PACKED_NIBBLE, config.maxConn(), config.beamWidth(),
                    workers, mergeExecutor, tinySegmentsThreshold);
        };
    }

    @Override
    public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
        return format;
    }
}
