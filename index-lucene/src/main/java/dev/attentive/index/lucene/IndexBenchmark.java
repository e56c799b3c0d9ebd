package dev.attentive.index.lucene;

import dev.attentive.api.Features;
import dev.attentive.api.IndexedItem;
import dev.attentive.api.ItemFilter;
import dev.attentive.api.ItemId;
import dev.attentive.api.ScoredItem;
import dev.attentive.api.Similarity;
import dev.attentive.api.spi.RetrieverSpec;
import dev.attentive.index.lucene.LuceneHnswRetrieverProvider.Config;
import dev.attentive.index.lucene.LuceneHnswRetrieverProvider.Quantization;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.VectorUtil;

/**
 * Measures the {@code lucene-hnsw} retriever against exact brute-force search in the same run, on
 * clustered synthetic unit vectors: 256 centres drawn from N(0, 1), each item a centre plus
 * N(0, 0.5²) noise, L2-normalised; held-out queries drawn the same way. Reports recall@k against the
 * exact top k, single-thread QPS and p50/p99 latency, build (plus force-merge) time and index size
 * on disk, the exact search's QPS, and Lucene's default query path ({@link KnnFloatVectorQuery}
 * through an {@link IndexSearcher}, the filter as a plain {@link TermQuery}) on the same index.
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
    private static final int ROUNDS = 3;
    private static final java.lang.management.ThreadMXBean THREADS =
            java.lang.management.ManagementFactory.getThreadMXBean();

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
     * @param forceMerge whether to force-merge to one segment after indexing (counted in build time)
     * @param indexThreads indexing threads
     * @param mergeThreads HNSW merge threads
     * @param seed the data seed
     * @param workDir where the temporary index directory is created
     */
    public record Options(int items, int dim, int queries, int k, double filterSelectivity, Quantization quantization,
            int maxConn, int beamWidth, List<Integer> fanouts, int exactMaxDocs, boolean forceMerge,
            int indexThreads, int mergeThreads, long seed, Path workDir) {
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
         * Defaults for a size: k 10, no filter, no quantisation, the retriever's default HNSW settings
         * and fanout, force-merge on, one index and merge thread, seed 42, the system temp directory.
         *
         * @param items catalogue size
         * @param dim dimension
         * @param queries queries
         * @return the options
         */
        public static Options of(int items, int dim, int queries) {
            Config c = Config.DEFAULT;
            return new Options(items, dim, queries, 10, 0, Quantization.NONE, c.maxConn(), c.beamWidth(),
                    List.of(c.fanout()), c.exactMaxDocs(), true, 1, 1, 42,
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
     * @param buildSeconds indexing plus force-merge time (s)
     * @param mergeSeconds the force-merge part of it (s)
     * @param indexBytes index size on disk after commit (bytes)
     * @param exactQps single-thread QPS of exact brute-force search with one VectorUtil.dotProduct per item
     * @param filterSelectivity the filter selectivity, 0 for none
     * @param quantization the vector storage
     * @param sweep every fanout measured
     */
    public record Result(int items, int dim, int k, double recallAt10, double qps, double p50Ms, double p99Ms,
            double buildSeconds, double mergeSeconds, long indexBytes, double exactQps, double filterSelectivity,
            Quantization quantization, List<Point> sweep) {
        /** Copies. */
        public Result {
            sweep = List.copyOf(sweep);
        }
    }

    /**
     * Runs the benchmark.
     *
     * @param options what to measure
     * @param log progress lines go here
     * @return the measurements
     */
    public static Result run(Options options, PrintStream log) {
        return run(options, Config.DEFAULT.bulkGraphBuild(), Config.DEFAULT.localityOrder(), log);
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
        return measureAll(options, itemVectors, bucketOf, queryVectors, Config.DEFAULT.bulkGraphBuild(),
                Config.DEFAULT.localityOrder(), log);
    }

    private static int buckets(Options o) {
        return o.filterSelectivity() > 0 ? Math.max(1, (int) Math.round(1 / o.filterSelectivity())) : 0;
    }

    static Result run(Options options, boolean bulkGraphBuild, boolean localityOrder, PrintStream log) {
        Options o = options;
        SplittableRandom random = new SplittableRandom(o.seed());
        float[][] centres = new float[CENTRES][o.dim()];
        for (float[] c : centres) {
            for (int d = 0; d < o.dim(); d++) {
                c[d] = (float) random.nextGaussian();
            }
        }
        int buckets = buckets(o);
        float[][] vectors = new float[o.items()][];
        int[] bucketOf = new int[o.items()];
        for (int i = 0; i < o.items(); i++) {
            vectors[i] = point(random, centres);
            bucketOf[i] = buckets > 0 ? random.nextInt(buckets) : 0;
        }
        float[][] queries = new float[o.queries()][];
        for (int q = 0; q < o.queries(); q++) {
            queries[q] = point(random, centres);
        }
        return measureAll(o, vectors, bucketOf, queries, bulkGraphBuild, localityOrder, log);
    }

    private static Result measureAll(Options o, float[][] vectors, int[] bucketOf, float[][] queries,
            boolean bulkGraphBuild, boolean localityOrder, PrintStream log) {
        int buckets = buckets(o);
        List<IndexedItem> items = new ArrayList<>(o.items());
        Features[] bucketFeatures = new Features[Math.max(1, buckets)];
        for (int b = 0; b < bucketFeatures.length; b++) {
            bucketFeatures[b] = Features.builder().categorical("bucket", "b" + b).build();
        }
        for (int i = 0; i < o.items(); i++) {
            items.add(new IndexedItem(ItemId.of(Integer.toString(i)), vectors[i],
                    buckets > 0 ? bucketFeatures[bucketOf[i]] : Features.NONE));
        }
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
            truth[q] = exactTopK(vectors, queries[q], o.k(), bucketOf, queryBucket[q]);
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
            Config config = new Config(o.maxConn(), o.beamWidth(), o.fanouts().get(0), o.quantization(),
                    Config.DEFAULT.oversample(), o.exactMaxDocs(), Config.DEFAULT.filteredSearchThreshold(),
                    Config.DEFAULT.exclusionFilterMaxOverfetch(), Config.DEFAULT.filterCacheSize(), dir.toString(),
                    Config.DEFAULT.ramBufferMb(), o.indexThreads(), o.mergeThreads(), false, bulkGraphBuild, localityOrder,
                    0);
            try (LuceneHnswRetriever retriever = LuceneHnswRetriever.open(config,
                    new RetrieverSpec(o.dim(), Similarity.DOT_PRODUCT, "bench"))) {
                long cpu0 = cpuNanos();
                long t0 = System.nanoTime();
                retriever.index(items);
                long t1 = System.nanoTime();
                if (o.forceMerge()) {
                    retriever.forceMerge();
                }
                retriever.commit();
                long t2 = System.nanoTime();
                items = null; // let the items go: the index and the matrix are enough from here
                long cpu = cpuNanos() - cpu0;
                double build = (t2 - t0) / 1e9;
                double merge = (t2 - t1 + retriever.lastIndexMergeNanos()) / 1e9;
                long bytes = retriever.indexBytes();
                log.printf(Locale.ROOT, "build: %.1f s wall, %.1f s process CPU (index: add/flush %.1f s + merge %.1f s; "
                        + "then force-merge/commit %.1f s), bulk graph build %s, locality order %s, %d segment(s), %.1f MB on disk%n",
                        build, cpu / 1e9, retriever.lastIndexAddNanos() / 1e9, retriever.lastIndexMergeNanos() / 1e9,
                        (t2 - t1) / 1e9, bulkGraphBuild ? "on" : "off", localityOrder ? "on" : "off", retriever.segmentCount(), bytes / 1e6);

                List<Point> sweep = new ArrayList<>();
                try (DirectoryReader reader = DirectoryReader.open(FSDirectory.open(dir))) {
                    IndexSearcher defaultSearcher = new IndexSearcher(reader);
                    for (int fanout : o.fanouts()) {
                        sweep.add(measure(o, fanout, retriever, defaultSearcher, queries, queryBucket, truth, log));
                    }
                }
                Point head = sweep.get(0);
                return new Result(o.items(), o.dim(), o.k(), head.recall(), head.qps(), head.p50Ms(), head.p99Ms(),
                        build, merge, bytes, exactQps, o.filterSelectivity(), o.quantization(), sweep);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteRecursively(dir);
        }
    }

    private static Point measure(Options o, int fanout, LuceneHnswRetriever retriever, IndexSearcher defaultSearcher,
            float[][] queries, int[] queryBucket, int[][] truth, PrintStream log) throws IOException {
        LuceneHnswRetriever.Tuning tuning = new LuceneHnswRetriever.Tuning(fanout, o.exactMaxDocs(),
                Config.DEFAULT.oversample(), Config.DEFAULT.exclusionFilterMaxOverfetch(), true);
        ItemFilter[] filters = new ItemFilter[queries.length];
        Query[] luceneFilters = new Query[queries.length];
        for (int q = 0; q < queries.length; q++) {
            filters[q] = queryBucket[q] < 0 ? ItemFilter.all() : ItemFilter.equalTo("bucket", "b" + queryBucket[q]);
            luceneFilters[q] = queryBucket[q] < 0 ? null
                    : new TermQuery(new Term(ItemDocuments.categoricalField("bucket"), "b" + queryBucket[q]));
        }
        // warm-up pass (JIT, page cache, the filter cache for repeating filters), then the timed pass
        for (int q = 0; q < queries.length; q++) {
            retriever.search(queries[q], o.k(), filters[q], Set.of(), tuning);
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
                List<ScoredItem> got = retriever.search(queries[q], o.k(), filters[q], Set.of(), tuning);
                lat[q] = System.nanoTime() - start;
                hits += overlap(got.stream().mapToInt(s -> Integer.parseInt(s.id().value())).toArray(), truth[q]);
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
        int beam = o.k() + fanout;
        for (int q = 0; q < queries.length; q++) {
            defaultSearcher.search(new KnnFloatVectorQuery(ItemDocuments.VECTOR, queries[q], beam, luceneFilters[q]),
                    o.k());
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
                        new KnnFloatVectorQuery(ItemDocuments.VECTOR, queries[q], beam, luceneFilters[q]), o.k());
                defaultHits += overlap(ids(defaultSearcher, top), truth[q]);
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
                + "Lucene default path: recall %.4f, %6.0f QPS (%6.0f per CPU-second)%n", fanout, o.k(), p.recall(),
                p.qps(), p.cpuQps(), p.p50Ms(), p.p99Ms(), p.luceneDefaultRecall(), p.luceneDefaultQps(),
                p.luceneDefaultCpuQps());
        return p;
    }

    /** CPU time of this process (all threads, JIT and GC included), or 0 where the platform does not say. */
    private static long cpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
    }

    private static int[] ids(IndexSearcher searcher, TopDocs top) throws IOException {
        var leaves = searcher.getIndexReader().leaves();
        int[] ids = new int[top.scoreDocs.length];
        for (int i = 0; i < ids.length; i++) {
            ScoreDoc sd = top.scoreDocs[i];
            var leaf = leaves.get(ReaderUtil.subIndex(sd.doc, leaves));
            var dv = leaf.reader().getBinaryDocValues(ItemDocuments.ID);
            dv.advanceExact(sd.doc - leaf.docBase);
            ids[i] = Integer.parseInt(dv.binaryValue().utf8ToString());
        }
        return ids;
    }

    private static int overlap(int[] got, int[] want) {
        int n = 0;
        for (int g : got) {
            for (int w : want) {
                if (g == w) {
                    n++;
                    break;
                }
            }
        }
        return n;
    }

    /** Exact top k by dot product, one {@link VectorUtil#dotProduct} per row; {@code bucket < 0}: no filter. */
    static int[] exactTopK(float[][] vectors, float[] query, int k, int[] bucketOf, int bucket) {
        TopHits top = new TopHits(k);
        for (int r = 0; r < vectors.length; r++) {
            if (bucket >= 0 && bucketOf[r] != bucket) {
                continue;
            }
            float s = VectorUtil.dotProduct(query, vectors[r]);
            if (top.wouldAccept(s)) {
                top.offer(0, r, s);
            }
        }
        top.sortBestFirst();
        int[] out = new int[top.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = TopHits.doc(top.keyAt(i));
        }
        return out;
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

    /**
     * Command line for manual runs: {@code --items N --dim D --queries Q [--k 10]
     * [--filter-selectivity S] [--quantization none|int8|int4] [--fanouts 10,40] [--max-conn M]
     * [--beam-width B] [--exact-max-docs N] [--no-force-merge] [--no-bulk-graph-build] [--no-locality-order]
     * [--index-threads T]
     * [--merge-threads T]
     * [--seed S] [--work-dir DIR] [--json FILE]}.
     *
     * @param args the arguments
     * @throws IOException when the JSON file cannot be written
     */
    public static void main(String[] args) throws IOException {
        Options d = Options.of(100_000, 64, 1_000);
        int items = d.items();
        int dim = d.dim();
        int queries = d.queries();
        int k = d.k();
        double selectivity = 0;
        Quantization quantization = d.quantization();
        List<Integer> fanouts = d.fanouts();
        int maxConn = d.maxConn();
        int beamWidth = d.beamWidth();
        int exactMaxDocs = d.exactMaxDocs();
        boolean forceMerge = true;
        boolean bulkGraphBuild = Config.DEFAULT.bulkGraphBuild();
        boolean localityOrder = Config.DEFAULT.localityOrder();
        int indexThreads = 1;
        int mergeThreads = 1;
        long seed = d.seed();
        Path workDir = d.workDir();
        Path json = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--no-force-merge")) {
                forceMerge = false;
                continue;
            }
            if (a.equals("--no-locality-order")) {
                localityOrder = false;
                continue;
            }
            if (a.equals("--no-bulk-graph-build")) {
                bulkGraphBuild = false;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + a + " needs a value");
            }
            String v = args[++i];
            switch (a) {
                case "--items" -> items = Integer.parseInt(v);
                case "--dim" -> dim = Integer.parseInt(v);
                case "--queries" -> queries = Integer.parseInt(v);
                case "--k" -> k = Integer.parseInt(v);
                case "--filter-selectivity" -> selectivity = Double.parseDouble(v);
                case "--quantization" -> quantization = Quantization.valueOf(v.toUpperCase(Locale.ROOT));
                case "--fanouts", "--fanout" -> fanouts = Stream.of(v.split(",")).map(String::trim)
                        .map(Integer::valueOf).toList();
                case "--max-conn" -> maxConn = Integer.parseInt(v);
                case "--beam-width" -> beamWidth = Integer.parseInt(v);
                case "--exact-max-docs" -> exactMaxDocs = Integer.parseInt(v);
                case "--index-threads" -> indexThreads = Integer.parseInt(v);
                case "--merge-threads" -> mergeThreads = Integer.parseInt(v);
                case "--seed" -> seed = Long.parseLong(v);
                case "--work-dir" -> workDir = Path.of(v);
                case "--json" -> json = Path.of(v);
                default -> throw new IllegalArgumentException("unknown option " + a + "; see IndexBenchmark's javadoc");
            }
        }
        Result r = run(new Options(items, dim, queries, k, selectivity, quantization, maxConn, beamWidth, fanouts,
                exactMaxDocs, forceMerge, indexThreads, mergeThreads, seed, workDir), bulkGraphBuild, localityOrder,
                System.out);
        String text = toJson(r);
        System.out.println(text);
        if (json != null) {
            Files.writeString(json, text + "\n", StandardCharsets.UTF_8);
        }
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
