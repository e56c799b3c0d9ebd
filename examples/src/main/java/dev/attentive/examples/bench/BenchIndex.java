package dev.attentive.examples.bench;

import dev.attentive.api.IndexedItem;
import dev.attentive.api.Retriever;
import dev.attentive.api.Similarity;
import dev.attentive.api.spi.RetrieverSpec;
import dev.attentive.index.lucene.LuceneHnswRetrieverProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The benchmark's on-disk {@code lucene-hnsw} index, reached only through the provider and the
 * {@link Retriever} API: built once, then reopened for each fanout of the sweep (the fanout is a
 * retriever setting, and reopening an index built for the same spec reads the same segments).
 * Not thread safe.
 */
final class BenchIndex {
    private final IndexBenchmark.Options options;
    private final Path dir;
    private final RetrieverSpec spec;
    private final LuceneHnswRetrieverProvider provider = new LuceneHnswRetrieverProvider();

    /**
     * How the build went.
     *
     * @param seconds wall time of indexing plus commit
     * @param cpuSeconds process CPU time over the same span (every thread: indexing, merging, JIT, GC)
     * @param indexSeconds wall time of {@link Retriever#index} (adds, flushes and merges)
     * @param commitSeconds wall time of the commit after it
     * @param bytes the index directory's size after the commit
     */
    record Build(double seconds, double cpuSeconds, double indexSeconds, double commitSeconds, long bytes) {
    }

    /** A search run against a retriever opened with one fanout. */
    @FunctionalInterface
    interface FanoutRun<T> {
        T run(int fanout, Retriever retriever) throws IOException;
    }

    BenchIndex(IndexBenchmark.Options options, Path dir) {
        this.options = options;
        this.dir = dir;
        this.spec = new RetrieverSpec(options.dim(), Similarity.DOT_PRODUCT, "bench");
    }

    /** Indexes the catalogue and commits; the retriever is closed when this returns. */
    Build build(List<IndexedItem> items) {
        try (Retriever retriever = open(options.fanouts().get(0))) {
            long cpu0 = cpuNanos();
            long t0 = System.nanoTime();
            retriever.index(items);
            long t1 = System.nanoTime();
            retriever.commit();
            long t2 = System.nanoTime();
            long cpu = cpuNanos() - cpu0;
            return new Build((t2 - t0) / 1e9, cpu / 1e9, (t1 - t0) / 1e9, (t2 - t1) / 1e9, directoryBytes());
        }
    }

    /** Runs {@code run} against the built index, reopened with {@code fanout}. */
    <T> T withFanout(int fanout, FanoutRun<T> run) throws IOException {
        try (Retriever retriever = open(fanout)) {
            return run.run(fanout, retriever);
        }
    }

    private Retriever open(int fanout) {
        IndexBenchmark.Options o = options;
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("path", dir.toString());
        settings.put("fanout", Integer.toString(fanout));
        settings.put("maxConn", Integer.toString(o.maxConn()));
        settings.put("beamWidth", Integer.toString(o.beamWidth()));
        settings.put("quantization", o.quantization().name().toLowerCase(Locale.ROOT));
        settings.put("exactMaxDocs", Integer.toString(o.exactMaxDocs()));
        settings.put("forceMergeOnIndex", Boolean.toString(o.forceMerge()));
        settings.put("bulkGraphBuild", Boolean.toString(o.bulkGraphBuild()));
        settings.put("localityOrder", Boolean.toString(o.localityOrder()));
        settings.put("indexThreads", Integer.toString(o.indexThreads()));
        settings.put("mergeThreads", Integer.toString(o.mergeThreads()));
        return provider.create(settings, spec);
    }

    private long directoryBytes() {
        try (Stream<Path> files = Files.list(dir)) {
            long total = 0;
            for (Path file : files.toList()) {
                try {
                    total += Files.size(file);
                } catch (java.nio.file.NoSuchFileException gone) {
                    // deleted by a merge between listing and sizing
                }
            }
            return total;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** CPU time of this process (all threads, JIT and GC included), or 0 where the platform does not say. */
    private static long cpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }
}
