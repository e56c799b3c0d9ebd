package dev.attentive.examples.bench;

import dev.attentive.api.ItemFilter;
import dev.attentive.api.Retriever;
import dev.attentive.api.ScoredItem;
import dev.attentive.examples.bench.IndexBenchmark.Point;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;

/**
 * Times one fanout: the retriever, then Lucene's default query path ({@link KnnFloatVectorQuery}
 * with the same beam and a {@link TermQuery} filter through an {@link IndexSearcher}) on the same
 * index, each as one warm-up pass and the fastest of {@value #ROUNDS} timed passes. Not thread safe.
 */
final class FanoutMeasurement {
    /** The categorical attribute the filtered runs filter on. */
    static final String BUCKET = "bucket";
    /**
     * The lucene-hnsw index's field names, part of its on-disk format (see the module's README): the
     * vector field, and each categorical attribute as keywords under {@code c.<name>}.
     */
    private static final String VECTOR_FIELD = "vec";
    private static final String BUCKET_FIELD = "c." + BUCKET;
    private static final int ROUNDS = 3;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final IndexBenchmark.Options options;
    private final IndexSearcher defaultSearcher;
    private final float[][] queries;
    private final int[][] truth;
    private final PrintStream log;
    private final ItemFilter[] filters;
    private final Query[] luceneFilters;

    FanoutMeasurement(IndexBenchmark.Options options, IndexSearcher defaultSearcher, float[][] queries,
            int[] queryBucket, int[][] truth, PrintStream log) {
        this.options = options;
        this.defaultSearcher = defaultSearcher;
        this.queries = queries;
        this.truth = truth;
        this.log = log;
        this.filters = new ItemFilter[queries.length];
        this.luceneFilters = new Query[queries.length];
        for (int q = 0; q < queries.length; q++) {
            filters[q] = queryBucket[q] < 0 ? ItemFilter.all() : ItemFilter.equalTo(BUCKET, "b" + queryBucket[q]);
            luceneFilters[q] = queryBucket[q] < 0 ? null : new TermQuery(new Term(BUCKET_FIELD, "b" + queryBucket[q]));
        }
    }

    /** Measures the retriever, opened with {@code fanout}, and Lucene's default path with the same beam. */
    Point measure(int fanout, Retriever retriever) throws IOException {
        int k = options.k();
        // warm-up pass (JIT, page cache, the filter cache for repeating filters), then the timed passes
        for (int q = 0; q < queries.length; q++) {
            retriever.search(queries[q], k, filters[q], Set.of());
        }
        // The machine is shared: time ROUNDS passes and keep the fastest (least disturbed) one.
        long[] latencies = null;
        double total = Double.MAX_VALUE;
        double cpuSeconds = Double.MAX_VALUE;
        long hits = 0;
        long expected = 0;
        for (int round = 0; round < ROUNDS; round++) {
            long[] lat = new long[queries.length];
            long cpuStart = THREADS.getCurrentThreadCpuTime();
            hits = 0;
            expected = 0;
            for (int q = 0; q < queries.length; q++) {
                long start = System.nanoTime();
                List<ScoredItem> got = retriever.search(queries[q], k, filters[q], Set.of());
                lat[q] = System.nanoTime() - start;
                hits += ExactSearch.overlap(got.stream().mapToInt(s -> Integer.parseInt(s.id().value())).toArray(),
                        truth[q]);
                expected += truth[q].length;
            }
            cpuSeconds = Math.min(cpuSeconds, (THREADS.getCurrentThreadCpuTime() - cpuStart) / 1e9);
            double seconds = Arrays.stream(lat).sum() / 1e9;
            if (seconds < total) {
                total = seconds;
                latencies = lat;
            }
        }
        double recall = expected == 0 ? 1 : (double) hits / expected;
        Arrays.sort(latencies);

        // Lucene's default path, same beam (k + fanout, cut to k)
        int beam = k + fanout;
        for (int q = 0; q < queries.length; q++) {
            defaultSearcher.search(new KnnFloatVectorQuery(VECTOR_FIELD, queries[q], beam, luceneFilters[q]), k);
        }
        long defaultHits = 0;
        double defaultSeconds = Double.MAX_VALUE;
        double defaultCpuSeconds = Double.MAX_VALUE;
        for (int round = 0; round < ROUNDS; round++) {
            defaultHits = 0;
            long defaultStart = System.nanoTime();
            long defaultCpuStart = THREADS.getCurrentThreadCpuTime();
            for (int q = 0; q < queries.length; q++) {
                TopDocs top = defaultSearcher.search(
                        new KnnFloatVectorQuery(VECTOR_FIELD, queries[q], beam, luceneFilters[q]), k);
                defaultHits += ExactSearch.overlap(ExactSearch.ids(defaultSearcher, top), truth[q]);
            }
            defaultSeconds = Math.min(defaultSeconds, (System.nanoTime() - defaultStart) / 1e9);
            defaultCpuSeconds = Math.min(defaultCpuSeconds, (THREADS.getCurrentThreadCpuTime() - defaultCpuStart) / 1e9);
        }
        double defaultQps = queries.length / defaultSeconds;
        double defaultRecall = expected == 0 ? 1 : (double) defaultHits / expected;

        Point p = new Point(fanout, recall, queries.length / total, latencies[latencies.length / 2] / 1e6,
                latencies[Math.min(latencies.length - 1, (int) Math.ceil(latencies.length * 0.99) - 1)] / 1e6,
                defaultRecall, defaultQps, queries.length / cpuSeconds, queries.length / defaultCpuSeconds);
        log.printf(Locale.ROOT, "fanout %3d: recall@%d %.4f, %6.0f QPS (%6.0f per CPU-second), p50 %.3f ms, p99 %.3f ms | "
                + "Lucene default path: recall %.4f, %6.0f QPS (%6.0f per CPU-second)%n", fanout, k, p.recall(),
                p.qps(), p.cpuQps(), p.p50Ms(), p.p99Ms(), p.luceneDefaultRecall(), p.luceneDefaultQps(),
                p.luceneDefaultCpuQps());
        return p;
    }
}
