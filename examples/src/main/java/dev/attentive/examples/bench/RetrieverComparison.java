package dev.attentive.examples.bench;

import dev.attentive.api.Features;
import dev.attentive.api.IndexedItem;
import dev.attentive.api.ItemFilter;
import dev.attentive.api.ItemId;
import dev.attentive.api.Retriever;
import dev.attentive.api.ScoredItem;
import dev.attentive.api.Similarity;
import dev.attentive.api.spi.ProviderRegistry;
import dev.attentive.api.spi.RetrieverSpec;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code bench-index --retriever NAME}: a retriever chosen by name (e.g. {@code opensearch}, on a
 * cluster given by its settings) beside {@code lucene-hnsw} in-process, in one run, on the same
 * synthetic vectors and queries as {@link IndexBenchmark} (no filter) and the same exact ground truth.
 * Both are reached only through the provider registry and the {@link Retriever} API. For each it
 * reports build time, recall@k, and QPS with each client thread count (the queries split between the
 * threads; the faster of two timed passes after a warm-up pass).
 */
public final class RetrieverComparison {
    private RetrieverComparison() {
    }

    /**
     * One retriever's figures.
     *
     * @param retriever the provider name
     * @param buildSeconds wall time of {@link Retriever#index}
     * @param recall recall@k against exact search
     * @param p50Ms median single-thread latency (ms)
     * @param qpsByThreads queries per second per client thread count
     */
    public record Row(String retriever, double buildSeconds, double recall, double p50Ms,
            Map<Integer, Double> qpsByThreads) {
        /** Copies. */
        public Row {
            qpsByThreads = Map.copyOf(qpsByThreads);
        }
    }

    /**
     * Runs the comparison.
     *
     * @param o sizes, k, seed and lucene-hnsw's HNSW settings (fanouts: the first is used)
     * @param retriever the retriever to compare, by provider name
     * @param settings its settings
     * @param threads client thread counts
     * @param log where progress goes (the caller prints the {@link #table})
     * @return one row for lucene-hnsw, one for the named retriever
     */
    public static List<Row> run(IndexBenchmark.Options o, String retriever, Map<String, String> settings,
            List<Integer> threads, PrintStream log) {
        float[][][] data = IndexBenchmark.syntheticVectors(o);
        float[][] vectors = data[0];
        float[][] queries = data[1];
        int[] noBuckets = new int[vectors.length];
        int[][] truth = new int[queries.length][];
        for (int q = 0; q < queries.length; q++) {
            truth[q] = ExactSearch.topK(vectors, queries[q], o.k(), noBuckets, -1);
        }
        log.printf(Locale.ROOT, "data: %d items x %d dims, %d queries, k=%d; exact ground truth computed%n",
                o.items(), o.dim(), o.queries(), o.k());
        Map<String, String> lucene = new LinkedHashMap<>();
        lucene.put("maxConn", Integer.toString(o.maxConn()));
        lucene.put("beamWidth", Integer.toString(o.beamWidth()));
        lucene.put("fanout", Integer.toString(o.fanouts().get(0)));
        List<Row> rows = new ArrayList<>();
        rows.add(measure("lucene-hnsw", lucene, o, vectors, queries, truth, threads, log));
        rows.add(measure(retriever, settings, o, vectors, queries, truth, threads, log));
        return rows;
    }

    private static Row measure(String name, Map<String, String> settings, IndexBenchmark.Options o, float[][] vectors,
            float[][] queries, int[][] truth, List<Integer> threads, PrintStream log) {
        RetrieverSpec spec = new RetrieverSpec(o.dim(), Similarity.DOT_PRODUCT, "bench");
        List<IndexedItem> items = new ArrayList<>(vectors.length);
        for (int i = 0; i < vectors.length; i++) {
            items.add(new IndexedItem(ItemId.of(Integer.toString(i)), vectors[i], Features.NONE));
        }
        try (Retriever r = ProviderRegistry.retrievers().get(name).create(settings, spec)) {
            long t0 = System.nanoTime();
            r.index(items);
            double build = (System.nanoTime() - t0) / 1e9;
            log.printf(Locale.ROOT, "%s: indexed %d items in %.1f s%n", name, items.size(), build);
            long[] latencies = new long[queries.length];
            long hits = 0;
            for (int q = 0; q < queries.length; q++) {
                long s = System.nanoTime();
                List<ScoredItem> got = r.search(queries[q], o.k(), ItemFilter.all(), Set.of());
                latencies[q] = System.nanoTime() - s;
                Set<Integer> want = new HashSet<>();
                for (int t : truth[q]) {
                    want.add(t);
                }
                for (ScoredItem hit : got) {
                    if (want.contains(Integer.parseInt(hit.id().value()))) {
                        hits++;
                    }
                }
            }
            double recall = (double) hits / ((long) queries.length * o.k());
            Arrays.sort(latencies);
            double p50 = latencies[latencies.length / 2] / 1e6;
            Map<Integer, Double> qps = new LinkedHashMap<>();
            for (int t : threads) {
                double best = 0;
                for (int pass = 0; pass < 2; pass++) {
                    best = Math.max(best, qps(r, queries, o.k(), t));
                }
                qps.put(t, best);
                log.printf(Locale.ROOT, "%s: %d client thread(s): %.0f QPS%n", name, t, best);
            }
            return new Row(name, build, recall, p50, qps);
        }
    }

    private static double qps(Retriever r, float[][] queries, int k, int threads) {
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        List<Thread> workers = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            int first = t;
            Thread w = new Thread(() -> {
                try {
                    for (int q = first; q < queries.length; q += threads) {
                        r.search(queries[q], k, ItemFilter.all(), Set.of());
                    }
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                }
            }, "bench-client-" + t);
            workers.add(w);
            w.start();
        }
        for (Thread w : workers) {
            try {
                w.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        return queries.length / ((System.nanoTime() - t0) / 1e9);
    }

    /**
     * The rows as a plain-text table.
     *
     * @param rows the rows
     * @param threads the thread counts, in column order
     * @param k results per query
     * @return the table
     */
    public static String table(List<Row> rows, List<Integer> threads, int k) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-14s %9s %10s %8s", "retriever", "build s",
                "recall@" + k, "p50 ms"));
        for (int t : threads) {
            out.append(String.format(Locale.ROOT, " %12s", "QPS " + t + " thr"));
        }
        for (Row r : rows) {
            out.append(String.format(Locale.ROOT, "%n%-14s %9.1f %10.3f %8.2f", r.retriever(), r.buildSeconds(),
                    r.recall(), r.p50Ms()));
            for (int t : threads) {
                out.append(String.format(Locale.ROOT, " %12.0f", r.qpsByThreads().get(t)));
            }
        }
        return out.toString();
    }
}
