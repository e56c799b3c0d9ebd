package dev.attentive.index.lucene;

import dev.attentive.api.Retriever;
import dev.attentive.api.spi.ConfigException;
import dev.attentive.api.spi.RetrieverProvider;
import dev.attentive.api.spi.RetrieverSpec;

/**
 * The {@code lucene-hnsw} retriever: item vectors in a Lucene HNSW graph, item attributes as
 * filterable fields, {@link dev.attentive.api.ItemFilter}s translated to a Lucene filter applied
 * during the graph search (never after it), short exclusion lists over-fetched and dropped, long
 * ones folded into the filter. By default writes are visible to searches as soon as the writing
 * call returns (near-real-time reopen; see {@link Config#refreshIntervalMs()} for heavy write
 * traffic); {@link Retriever#commit()} makes them durable, and {@link Retriever#close()} commits. With a {@link Config#path()}
 * the index lives on disk (memory-mapped) and reopens across restarts; it records the model
 * fingerprint, dimension and similarity it was built for and refuses to open for another.
 *
 * <p>Thread safe: searches run concurrently with each other and with writes; writes are serialised.
 * Writes, {@code commit} and {@code close} also complete on a thread whose interrupt status is set
 * (Lucene's file channels would fail them): they clear the status for their I/O and set it again
 * before returning. If Lucene dropped the writer after a failed write or commit, {@code close}
 * releases the index and throws {@link IllegalStateException}: the writes since the last successful
 * commit are lost.
 */
public final class LuceneHnswRetrieverProvider implements RetrieverProvider<LuceneHnswRetrieverProvider.Config> {
    /** The provider name. */
    public static final String NAME = "lucene-hnsw";

    /** Creates the provider (for {@link java.util.ServiceLoader}). */
    public LuceneHnswRetrieverProvider() {
    }

    /** How item vectors are stored in the graph. */
    public enum Quantization {
        /** 32-bit floats (Lucene99HnswVectorsFormat). */
        NONE,
        /** 8-bit scalar quantisation (Lucene104HnswScalarQuantizedVectorsFormat), floats kept for re-scoring. */
        INT8,
        /** 4-bit scalar quantisation (Lucene104HnswScalarQuantizedVectorsFormat), floats kept for re-scoring. */
        INT4
    }

    /**
     * Settings of the {@code lucene-hnsw} retriever. Every knob is validated together; the defaults
     * were chosen from measurements on 100,000 × 64 clustered unit vectors (see the module's
     * benchmark notes).
     *
     * @param maxConn HNSW neighbours per node (Lucene's {@code M}), 2..512; default 32 (at equal recall,
     *     faster searches than Lucene's 16 on clustered 64-d embeddings)
     * @param beamWidth candidates considered when inserting a node, 1..3200; default 100
     * @param fanout extra candidates searched beyond k: the search beam is {@code k + fanout} and the
     *     result is cut to k; at least 0; default 25 (recall@10 0.994 at 100,000 × 64 with maxConn 32)
     * @param quantization vector storage; default {@link Quantization#NONE}
     * @param oversample for quantised storage, the beam is multiplied by this and the candidates are
     *     re-scored with full-precision vectors; at least 1; default 2
     * @param exactMaxDocs when at most this many items are eligible (after the filter and a long
     *     exclusion list), the retriever scores them all exactly instead of walking the graph; at
     *     least 0 (0 always walks the graph); default 4096. A cached filter this small also keeps its
     *     items' vectors on the heap (up to {@code filterCacheSize × exactMaxDocs × dimension × 4}
     *     bytes per index snapshot): at 1% of 100,000 × 64 this ran 32,700 QPS against 4,900 through the
     *     graph; 16384 doubled QPS at 10% (6,000 against 2,700) at four times the memory bound
     * @param filteredSearchThreshold Lucene's filtered-HNSW (ACORN-style) strategy threshold, a
     *     percentage 0..100 of eligible documents below which the filtered graph search is used
     *     ({@code KnnSearchStrategy.Hnsw}); default 0 (Lucene's default)
     * @param exclusionFilterMaxOverfetch exclusion lists up to this size are handled by over-fetching
     *     and dropping; longer lists are folded into the filter; at least 0; default 64
     * @param filterCacheSize how many distinct filters' matching-document sets are cached per index
     *     snapshot (a snapshot changes with every write); 0 disables the cache; default 64
     * @param path a directory for an on-disk, memory-mapped index, created when absent and reopened
     *     when present; {@code ""} keeps the index in memory (lost on close); default {@code ""}
     * @param ramBufferMb indexing buffer in MB before a segment is flushed, 1..2047; default 256
     * @param indexThreads threads that index a bulk {@link Retriever#index} call; 1..64; default 1
     * @param mergeThreads threads that merge HNSW graphs (force-merge and background merges); 1..64;
     *     default 1
     * @param forceMergeOnIndex whether {@link Retriever#index} force-merges to one segment, the fastest
     *     layout for a static catalogue; default false
     * @param bulkGraphBuild whether an {@link Retriever#index} call of at least 10,000 items writes its
     *     segments without HNSW graphs and builds one graph in the single merge that ends the call
     *     ({@code mergeThreads} workers), leaving one segment; default true. Off, every flushed segment
     *     builds its own graph and the graphs are rebuilt when segments merge
     * @param localityOrder whether such a bulk load stores similar items next to each other (two
     *     levels of k-means over the vectors decide the document order), so that a search touches
     *     fewer pages and cache lines; changes where items are stored, not what searches return;
     *     default false (at 1M it cut build CPU 2.6x and raised QPS per CPU-second at recall 0.95 by 18 %, but at
     *     100k it lowered recall at fanout 25 from 0.994 to 0.984)
     * @param refreshIntervalMs 0 (the default): a write is visible to every search that starts after
     *     the writing call returns (the first such search reopens the index, once for any number of
     *     writes); above 0: searches reopen at most this often and never wait for a reopen, so a write
     *     becomes visible within about this many milliseconds, or at {@link Retriever#commit()} — for
     *     heavy write traffic; 0..3600000
     */
    public record Config(int maxConn, int beamWidth, int fanout, Quantization quantization, double oversample,
            int exactMaxDocs, int filteredSearchThreshold, int exclusionFilterMaxOverfetch,
            int filterCacheSize, String path, double ramBufferMb, int indexThreads, int mergeThreads,
            boolean forceMergeOnIndex, boolean bulkGraphBuild, boolean localityOrder, int refreshIntervalMs) {

        /** The defaults. */
        public static final Config DEFAULT = new Config(32, 100, 25, Quantization.NONE, 2.0, 4096, 0, 64, 64, "",
                256, 1, 1, false, true, false, 0);

        /** Validates every setting, reporting all problems at once. */
        public Config {
            var p = new ConfigException.Problems(NAME);
            p.check(maxConn >= 2 && maxConn <= 512, "maxConn must be in 2..512, got " + maxConn);
            p.check(beamWidth >= 1 && beamWidth <= 3200, "beamWidth must be in 1..3200, got " + beamWidth);
            p.check(fanout >= 0, "fanout must be at least 0, got " + fanout);
            p.check(quantization != null, "quantization must be one of none, int8, int4");
            p.check(oversample >= 1 && Double.isFinite(oversample) && oversample <= 100,
                    "oversample must be in [1, 100], got " + oversample);
            p.check(exactMaxDocs >= 0, "exactMaxDocs must be at least 0, got " + exactMaxDocs);
            p.check(filteredSearchThreshold >= 0 && filteredSearchThreshold <= 100,
                    "filteredSearchThreshold must be a percentage in 0..100, got " + filteredSearchThreshold);
            p.check(exclusionFilterMaxOverfetch >= 0,
                    "exclusionFilterMaxOverfetch must be at least 0, got " + exclusionFilterMaxOverfetch);
            p.check(filterCacheSize >= 0, "filterCacheSize must be at least 0 (0 disables the cache), got "
                    + filterCacheSize);
            p.check(path != null, "path must be a directory or \"\" for an in-memory index");
            p.check(ramBufferMb >= 1 && ramBufferMb <= 2047, "ramBufferMb must be in [1, 2047], got " + ramBufferMb);
            p.check(indexThreads >= 1 && indexThreads <= 64, "indexThreads must be in 1..64, got " + indexThreads);
            p.check(mergeThreads >= 1 && mergeThreads <= 64, "mergeThreads must be in 1..64, got " + mergeThreads);
            p.check(refreshIntervalMs >= 0 && refreshIntervalMs <= 3_600_000,
                    "refreshIntervalMs must be in 0..3600000 (0: visible when the write returns), got "
                    + refreshIntervalMs);
            p.throwIfAny();
        }

        /**
         * This config with another path.
         *
         * @param newPath a directory, or {@code ""} for in memory
         * @return the new config
         */
        public Config withPath(String newPath) {
            return new Config(maxConn, beamWidth, fanout, quantization, oversample, exactMaxDocs,
                    filteredSearchThreshold, exclusionFilterMaxOverfetch, filterCacheSize, newPath, ramBufferMb,
                    indexThreads, mergeThreads, forceMergeOnIndex, bulkGraphBuild, localityOrder, refreshIntervalMs);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Config defaultConfig() {
        return Config.DEFAULT;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException when {@link Config#path()} holds an index built for another
     *     model fingerprint, dimension or similarity, or something that is not an Attentive index
     * @throws java.io.UncheckedIOException when the directory cannot be opened
     */
    @Override
    public Retriever create(Config config, RetrieverSpec spec) {
        return LuceneHnswRetriever.open(config, spec);
    }
}
