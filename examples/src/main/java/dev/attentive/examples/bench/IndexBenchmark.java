package dev.attentive.examples.bench;

import dev.attentive.api.Features;
import dev.attentive.api.IndexedItem;
import dev.attentive.api.ItemId;
import dev.attentive.index.lucene.LuceneHnswRetrieverProvider.Config;
import dev.attentive.index.lucene.LuceneHnswRetrieverProvider.Quantization;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.FSDirectory;

/**
 * Measures the {@code lucene-hnsw} retriever against exact brute-force search in the same run, on
 * clustered synthetic unit vectors: 256 centres drawn from N(0, 1), each item a centre plus
 * N(0, 0.5²) noise, L2-normalised; held-out queries drawn the same way. Reports recall@k against the
 * exact top k, single-thread QPS and p50/p99 latency, build (plus force-merge) time and index size
 * on disk, the exact search's QPS, and Lucene's default query path ({@link KnnFloatVectorQuery}
 * through an {@link IndexSearcher}, the filter as a plain {@link TermQuery}) on the same index.
 *
 * <p>The retriever is reached only through its provider and the {@code Retriever} API: the index is
 * built on disk once, then reopened with each fanout of the sweep.
 *
 * <p>With a filter selectivity S, every item gets a categorical {@code bucket} uniformly among
 * {@code round(1/S)} values, and query q filters on bucket {@code q mod min(4, buckets)} — a few
 * filters that repeat, as "in stock in this category" does in practice.
 *
 * <p>Timing: one warm-up pass, then three timed passes over all queries; the fastest pass is reported
 * (the machine may be shared, and the fastest pass is the least disturbed one).
 *
 * <p>Not thread safe; runs single-threaded by design. The index is built in a temporary directory
 * under {@link Options#workDir()}, deleted afterwards.
 */
public final class IndexBenchmark {
    private static final int CENTRES = 256;
    private static final double NOISE = 0.5;

    private IndexBenchmark() {
    }

    /**
     * What to measure.
     *
     * @param items catalogue size, at least 1
     * @param dim vector dimension, at least 1
     * @param queries held-out queries, at least 1
     * @param k results per query, at least 1 (recall is recall@k)
     * @param filterSelectivity fraction of items a query's filter keeps, in (0, 1], or 0 for no filter
     * @param quantization vector storage
     * @param maxConn HNSW maxConn
     * @param beamWidth HNSW beamWidth
     * @param fanouts search fanouts to sweep; the first is the headline result
     * @param exactMaxDocs the retriever's exact-path threshold
     * @param forceMerge whether indexing force-merges to one segment (counted in build time)
     * @param bulkGraphBuild the retriever's {@code bulkGraphBuild} setting
     * @param localityOrder the retriever's {@code localityOrder} setting
     * @param indexThreads indexing threads
     * @param mergeThreads HNSW merge threads
     * @param seed the data seed
     * @param workDir where the temporary index directory is created
     */
    public record Options(int items, int dim, int queries, int k, double filterSelectivity, Quantization quantization,
            int maxConn, int beamWidth, List<Integer> fanouts, int exactMaxDocs, boolean forceMerge,
            boolean bulkGraphBuild, boolean localityOrder, int indexThreads, int mergeThreads, long seed,
            Path workDir) {
        /** Validates. */
        public Options {
            if (items < 1 || dim < 1 || queries < 1 || k < 1) {
                throw new IllegalArgumentException("items, dim, queries and k must be at least 1, got items=" + items
                        + " dim=" + dim + " queries=" + queries + " k=" + k);
            }
            if (!(filterSelectivity >= 0 && filterSelectivity <= 1)) {
                throw new IllegalArgumentException("filter selectivity must be in [0, 1] (0: no filter), got "
                        + filterSelectivity);
            }
            Objects.requireNonNull(quantization, "quantization");
            fanouts = List.copyOf(fanouts);
            if (fanouts.isEmpty()) {
                throw new IllegalArgumentException("give at least one fanout");
            }
            Objects.requireNonNull(workDir, "workDir");
        }

        /**
         * Defaults for a size: k 10, no filter, no quantisation, the retriever's default HNSW settings,
         * fanout, bulk graph build and locality order, force-merge on, one index and merge thread,
         * seed 42, the system temp directory.
         *
         * @param items catalogue size
         * @param dim dimension
         * @param queries queries
         * @return the options
         */
        public static Options of(int items, int dim, int queries) {
            Config c = Config.DEFAULT;
            return new Options(items, dim, queries, 10, 0, Quantization.NONE, c.maxConn(), c.beamWidth(),
                    List.of(c.fanout()), c.exactMaxDocs(), true, c.bulkGraphBuild(), c.localityOrder(), 1, 1, 42,
                    Path.of(System.getProperty("java.io.tmpdir")));
        }
    }

    /**
     * One operating point of the sweep.
     *
     * @param fanout the search fanout
     * @param recall recall@k against exact search (for filtered runs: agreement with exact filtered search)
     * @param qps single-thread queries per second
     * @param p50Ms median latency in milliseconds
     * @param p99Ms 99th percentile latency in milliseconds
     * @param luceneDefaultRecall the same for Lucene's default query path
     * @param luceneDefaultQps the same for Lucene's default query path
     * @param cpuQps queries per second of the searching thread's CPU time (the least-CPU pass): what one
     *     unshared core would sustain; on a shared machine wall-clock QPS includes time the thread
     *     waited for a core
     * @param luceneDefaultCpuQps the same for Lucene's default query path
     */
    public record Point(int fanout, double recall, double qps, double p50Ms, double p99Ms, double luceneDefaultRecall,
            double luceneDefaultQps, double cpuQps, double luceneDefaultCpuQps) {
    }

    /**
     * What was measured. The headline fields are the first fanout's.
     *
     * @param items catalogue size
     * @param dim dimension
     * @param k results per query
     * @param recallAt10 recall@k against exact search at the first fanout
     * @param qps single-thread QPS at the first fanout
     * @param p50Ms median latency (ms)
     * @param p99Ms 99th percentile latency (ms)
     * @param buildSeconds indexing (with its merges) plus commit time (s)
     * @param indexBytes index size on disk after commit (bytes)
     * @param exactQps single-thread QPS of exact brute-force search with one VectorUtil.dotProduct per item
     * @param filterSelectivity the filter selectivity, 0 for none
     * @param quantization the vector storage
     * @param sweep every fanout measured
     */
    public record Result(int items, int dim, int k, double recallAt10, double qps, double p50Ms, double p99Ms,
            double buildSeconds, long indexBytes, double exactQps, double filterSelectivity,
            Quantization quantization, List<Point> sweep) {
        /** Copies. */
        public Result {
            sweep = List.copyOf(sweep);
        }
    }

    /**
     * Runs the benchmark on clustered synthetic vectors drawn from {@code options.seed()}.
     *
     * @param options what to measure
     * @param log progress lines go here
     * @return the measurements
     */
    public static Result run(Options options, PrintStream log) {
        SplittableRandom random = new SplittableRandom(options.seed());
        float[][] centres = new float[CENTRES][options.dim()];
        for (float[] c : centres) {
            for (int d = 0; d < options.dim(); d++) {
                c[d] = (float) random.nextGaussian();
            }
        }
        int buckets = buckets(options);
        float[][] vectors = new float[options.items()][];
        int[] bucketOf = new int[options.items()];
        for (int i = 0; i < options.items(); i++) {
            vectors[i] = point(random, centres);
            bucketOf[i] = buckets > 0 ? random.nextInt(buckets) : 0;
        }
        float[][] queries = new float[options.queries()][];
        for (int q = 0; q < options.queries(); q++) {
            queries[q] = point(random, centres);
        }
        return measureAll(options, vectors, bucketOf, queries, log);
    }

    /**
     * The catalogue and queries that {@link #run(Options, PrintStream)} draws when there is no filter.
     *
     * @param options sizes and seed
     * @return {@code {items, queries}}
     */
    static float[][][] syntheticVectors(Options options) {
        SplittableRandom random = new SplittableRandom(options.seed());
        float[][] centres = new float[CENTRES][options.dim()];
        for (float[] c : centres) {
            for (int d = 0; d < options.dim(); d++) {
                c[d] = (float) random.nextGaussian();
            }
        }
        float[][] vectors = new float[options.items()][];
        for (int i = 0; i < options.items(); i++) {
            vectors[i] = point(random, centres);
        }
        float[][] queries = new float[options.queries()][];
        for (int q = 0; q < options.queries(); q++) {
            queries[q] = point(random, centres);
        }
        return new float[][][] {vectors, queries};
    }

    /**
     * Runs the benchmark over given vectors, e.g. a trained model's item embeddings with its users'
     * embeddings as queries. {@code options.items()}, {@code dim()} and {@code queries()} must match
     * the arrays; filter buckets, when {@code filterSelectivity > 0}, are drawn from {@code options.seed()}.
     *
     * @param options what to measure
     * @param itemVectors the catalogue, unit vectors of {@code options.dim()} components
     * @param queryVectors the queries, of {@code options.dim()} components
     * @param log where progress and results are printed
     * @return the result
     * @throws IllegalArgumentException when the arrays do not match the options
     */
    public static Result run(Options options, float[][] itemVectors, float[][] queryVectors, PrintStream log) {
        if (itemVectors.length != options.items() || queryVectors.length != options.queries()) {
            throw new IllegalArgumentException("options say " + options.items() + " items and " + options.queries()
                    + " queries, the arrays hold " + itemVectors.length + " and " + queryVectors.length);
        }
        for (float[][] vs : new float[][][] {itemVectors, queryVectors}) {
            for (float[] v : vs) {
                if (v.length != options.dim()) {
                    throw new IllegalArgumentException("every vector must have dimension " + options.dim()
                            + ", found one of " + v.length);
                }
            }
        }
        SplittableRandom random = new SplittableRandom(options.seed());
        int buckets = buckets(options);
        int[] bucketOf = new int[options.items()];
        for (int i = 0; i < bucketOf.length; i++) {
            bucketOf[i] = buckets > 0 ? random.nextInt(buckets) : 0;
        }
        return measureAll(options, itemVectors, bucketOf, queryVectors, log);
    }

    static int buckets(Options o) {
        return o.filterSelectivity() > 0 ? Math.max(1, (int) Math.round(1 / o.filterSelectivity())) : 0;
    }

    private static Result measureAll(Options o, float[][] vectors, int[] bucketOf, float[][] queries,
            PrintStream log) {
        int buckets = buckets(o);
        int[] queryBucket = new int[o.queries()];
        for (int q = 0; q < o.queries(); q++) {
            queryBucket[q] = buckets > 0 ? q % Math.min(4, buckets) : -1;
        }
        log.printf(Locale.ROOT, "data: %d items x %d dims, %d queries, k=%d, filter selectivity %s (%d buckets)%n",
                o.items(), o.dim(), o.queries(), o.k(), o.filterSelectivity(), buckets);

        // Exact search: ground truth and the exact baseline's speed, in the same run.
        int[][] truth = new int[o.queries()][];
        long exactStart = System.nanoTime();
        for (int q = 0; q < o.queries(); q++) {
            truth[q] = ExactSearch.topK(vectors, queries[q], o.k(), bucketOf, queryBucket[q]);
        }
        double exactQps = o.queries() / ((System.nanoTime() - exactStart) / 1e9);
        log.printf(Locale.ROOT, "exact: %.0f QPS (%.1f us/query)%n", exactQps, 1e6 / exactQps);

        Path dir;
        try {
            dir = Files.createTempDirectory(o.workDir(), "attentive-bench-index");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a temporary index directory under " + o.workDir(), e);
        }
        try {
            BenchIndex index = new BenchIndex(o, dir);
            BenchIndex.Build build = index.build(items(o, vectors, bucketOf));
            List<Point> sweep = new ArrayList<>();
            try (DirectoryReader reader = DirectoryReader.open(FSDirectory.open(dir))) {
                log.printf(Locale.ROOT, "build: %.1f s wall, %.1f s process CPU (index %.1f s, then commit %.1f s), "
                        + "bulk graph build %s, locality order %s, %d segment(s), %.1f MB on disk%n",
                        build.seconds(), build.cpuSeconds(), build.indexSeconds(), build.commitSeconds(),
                        o.bulkGraphBuild() ? "on" : "off", o.localityOrder() ? "on" : "off", reader.leaves().size(),
                        build.bytes() / 1e6);
                FanoutMeasurement measurement = new FanoutMeasurement(o, new IndexSearcher(reader), queries,
                        queryBucket, truth, log);
                for (int fanout : o.fanouts()) {
                    sweep.add(index.withFanout(fanout, measurement::measure));
                }
            }
            Point head = sweep.get(0);
            return new Result(o.items(), o.dim(), o.k(), head.recall(), head.qps(), head.p50Ms(), head.p99Ms(),
                    build.seconds(), build.bytes(), exactQps, o.filterSelectivity(), o.quantization(), sweep);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteRecursively(dir);
        }
    }

    /** The catalogue; only the index holds on to it, so that it can be collected once built. */
    private static List<IndexedItem> items(Options o, float[][] vectors, int[] bucketOf) {
        int buckets = buckets(o);
        Features[] bucketFeatures = new Features[Math.max(1, buckets)];
        for (int b = 0; b < bucketFeatures.length; b++) {
            bucketFeatures[b] = Features.builder().categorical(FanoutMeasurement.BUCKET, "b" + b).build();
        }
        List<IndexedItem> items = new ArrayList<>(o.items());
        for (int i = 0; i < o.items(); i++) {
            items.add(new IndexedItem(ItemId.of(Integer.toString(i)), vectors[i],
                    buckets > 0 ? bucketFeatures[bucketOf[i]] : Features.NONE));
        }
        return items;
    }

    private static float[] point(SplittableRandom random, float[][] centres) {
        float[] centre = centres[random.nextInt(centres.length)];
        float[] v = new float[centre.length];
        double norm = 0;
        for (int d = 0; d < v.length; d++) {
            v[d] = (float) (centre[d] + NOISE * random.nextGaussian());
            norm += (double) v[d] * v[d];
        }
        float inv = (float) (1 / Math.sqrt(norm));
        for (int d = 0; d < v.length; d++) {
            v[d] *= inv;
        }
        return v;
    }

    /**
     * The result as the flat JSON object of {@code attentive bench-index --json}: {@code items, dim, k,
     * recall_at_10, qps, p50_ms, p99_ms, build_seconds, index_bytes, exact_qps}, then the filter
     * selectivity, quantisation and the sweep.
     *
     * @param r the result
     * @return the JSON text
     */
    public static String toJson(Result r) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "{\"items\":%d,\"dim\":%d,\"k\":%d,\"recall_at_10\":%.4f,\"qps\":%.1f,"
                + "\"p50_ms\":%.4f,\"p99_ms\":%.4f,\"build_seconds\":%.2f,\"index_bytes\":%d,\"exact_qps\":%.1f,"
                + "\"filter_selectivity\":%s,\"quantization\":\"%s\",\"sweep\":[", r.items(), r.dim(), r.k(),
                r.recallAt10(), r.qps(), r.p50Ms(), r.p99Ms(), r.buildSeconds(), r.indexBytes(), r.exactQps(),
                r.filterSelectivity(), r.quantization().name().toLowerCase(Locale.ROOT)));
        for (int i = 0; i < r.sweep().size(); i++) {
            Point p = r.sweep().get(i);
            sb.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "{\"fanout\":%d,\"recall\":%.4f,"
                    + "\"qps\":%.1f,\"p50_ms\":%.4f,\"p99_ms\":%.4f,\"lucene_default_recall\":%.4f,"
                    + "\"lucene_default_qps\":%.1f,\"cpu_qps\":%.1f,\"lucene_default_cpu_qps\":%.1f}", p.fanout(),
                    p.recall(), p.qps(), p.p50Ms(), p.p99Ms(), p.luceneDefaultRecall(), p.luceneDefaultQps(),
                    p.cpuQps(), p.luceneDefaultCpuQps()));
        }
        return sb.append("]}").toString();
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            System.getLogger(IndexBenchmark.class.getName()).log(System.Logger.Level.WARNING,
                    "Could not delete the benchmark index at " + dir + ": " + e);
        }
    }
}
