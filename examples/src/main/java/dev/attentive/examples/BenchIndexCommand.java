package dev.attentive.examples;

import dev.attentive.api.Recommender;
import dev.attentive.examples.bench.IndexBenchmark;
import dev.attentive.index.lucene.LuceneHnswRetrieverProvider;
import dev.attentive.model.TwoTowerModels;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code bench-index}: the lucene-hnsw retriever against exact search, in the same run, on clustered
 * synthetic unit vectors (256 centres ~ N(0, 1), points = centre + N(0, 0.5²), held-out queries).
 */
@Command(name = "bench-index", mixinStandardHelpOptions = true,
        description = "Benchmark lucene-hnsw against exact search: recall@10, single-thread QPS, p50/p99, build time, size.")
final class BenchIndexCommand implements Callable<Integer> {
    @ParentCommand
    AttentiveCli root;

    private static final IndexBenchmark.Options DEFAULTS = IndexBenchmark.Options.of(100_000, 64, 1_000);

    @Option(names = "--items", defaultValue = "100000", description = "Catalogue size (default ${DEFAULT-VALUE})")
    int items;

    @Option(names = "--dim", defaultValue = "64", description = "Vector dimension (default ${DEFAULT-VALUE})")
    int dim;

    @Option(names = "--queries", defaultValue = "1000", description = "Held-out queries (default ${DEFAULT-VALUE})")
    int queries;

    @Option(names = "--k", defaultValue = "10", description = "Results per query (default ${DEFAULT-VALUE})")
    int k;

    @Option(names = "--filter-selectivity", defaultValue = "0",
            description = "Share of items a filter keeps, in (0, 1]; 0 = no filter (default)")
    double selectivity;

    @Option(names = "--quantization", defaultValue = "none", description = "none, int8 or int4 (default ${DEFAULT-VALUE})")
    String quantization;

    @Option(names = "--fanouts", split = ",", description = "Search fanouts to measure (default: the retriever's default)")
    List<Integer> fanouts = new ArrayList<>();

    @Option(names = "--max-conn", description = "HNSW maxConn (default: the retriever's default)")
    Integer maxConn;

    @Option(names = "--beam-width", description = "HNSW beamWidth (default: the retriever's default)")
    Integer beamWidth;

    @Option(names = "--exact-max-docs", description = "At most this many eligible items are scored exactly "
            + "(default: the retriever's default)")
    Integer exactMaxDocs;

    @Option(names = "--index-threads", defaultValue = "1", description = "Indexing threads (default 1)")
    int indexThreads;

    @Option(names = "--merge-threads", description = "HNSW merge threads (default: --index-threads)")
    Integer mergeThreads;

    @Option(names = "--no-force-merge", description = "Keep the segments instead of force-merging into one")
    boolean noForceMerge;

    @Option(names = "--bulk-graph-build", negatable = true, description = "Build one graph in the final merge "
            + "of a bulk load, or a graph per flushed segment (default: the retriever's default)")
    Boolean bulkGraphBuild;

    @Option(names = "--locality-order", negatable = true, description = "Store similar items at neighbouring doc "
            + "ids in a bulk load (default: the retriever's default)")
    Boolean localityOrder;

    @Option(names = "--work-dir", description = "Where the temporary index directory is created (default: the "
            + "system temp directory)")
    Path workDir;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the vectors (default 42)")
    long seed;

    @Option(names = "--retriever", defaultValue = "lucene-hnsw", description = "Retriever to measure; another name "
            + "(e.g. opensearch) is measured beside lucene-hnsw in-process on the same vectors, at each --threads "
            + "count (default ${DEFAULT-VALUE})")
    private String retriever;

    // Split only at a comma that starts the next key=, so that a value may hold commas
    // (endpoints=http://a:9200,http://b:9200,index=bench).
    @Option(names = "--retriever-settings", split = ",(?=[A-Za-z][A-Za-z0-9_]*=)", description = "Settings of "
            + "--retriever as key=value, comma-separated, e.g. endpoints=http://127.0.0.1:9200,index=bench; a value "
            + "may hold commas (endpoints=http://a:9200,http://b:9200)")
    private java.util.Map<String, String> retrieverSettings = new java.util.LinkedHashMap<>();

    @Option(names = "--threads", split = ",", defaultValue = "1,8", description = "Client thread counts for "
            + "--retriever other than lucene-hnsw (default ${DEFAULT-VALUE})")
    private List<Integer> threads;

    @Option(names = "--json", description = "Also write the result as JSON to this file")
    Path json;

    @Option(names = "--model", description = "A saved two-tower model: index its item embeddings and query with its "
            + "users' embeddings instead of synthetic vectors (--items, --dim and --queries then follow the model; "
            + "queries are its first Q users)")
    Path model;

    @Override
    public Integer call() throws Exception {
        CliOutput out = root.output();
        LuceneHnswRetrieverProvider.Quantization q;
        try {
            q = LuceneHnswRetrieverProvider.Quantization.valueOf(quantization.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--quantization must be none, int8 or int4, got '" + quantization + "'");
        }
        float[][] itemVectors = null;
        float[][] queryVectors = null;
        if (model != null) {
            TwoTowerModels.Embeddings e;
            try (Recommender loaded = TwoTowerModels.load(model)) {
                e = TwoTowerModels.embeddings(loaded);
            }
            dim = e.dim();
            items = e.items().size();
            queries = Math.min(queries, e.users().size());
            itemVectors = rows(e.itemVectors(), items, dim);
            queryVectors = rows(e.userVectors(), queries, dim);
            out.infof("model %s: %d item embeddings, %d user embeddings as queries, dimension %d",
                    model, items, queries, dim);
        }
        IndexBenchmark.Options options = new IndexBenchmark.Options(items, dim, queries, k, selectivity, q,
                maxConn != null ? maxConn : DEFAULTS.maxConn(), beamWidth != null ? beamWidth : DEFAULTS.beamWidth(),
                fanouts.isEmpty() ? DEFAULTS.fanouts() : fanouts,
                exactMaxDocs != null ? exactMaxDocs : DEFAULTS.exactMaxDocs(), !noForceMerge,
                bulkGraphBuild != null ? bulkGraphBuild : DEFAULTS.bulkGraphBuild(),
                localityOrder != null ? localityOrder : DEFAULTS.localityOrder(), indexThreads,
                mergeThreads != null ? mergeThreads : indexThreads, seed, workDir != null ? workDir : DEFAULTS.workDir());
        if (!retriever.equals("lucene-hnsw")) {
            try (PrintStream log = out.infoStream()) {
                List<dev.attentive.examples.bench.RetrieverComparison.Row> rows =
                        dev.attentive.examples.bench.RetrieverComparison.run(options, retriever, retrieverSettings,
                                threads, log);
                out.result(dev.attentive.examples.bench.RetrieverComparison.table(rows, threads, k));
            }
            return 0;
        }
        IndexBenchmark.Result result;
        // One call builds the index and sweeps the fanouts: the bar shows elapsed time only.
        CliOutput.Progress bar = out.progress("bench-index: " + items + " items, build and queries", -1, "");
        try (PrintStream log = out.infoStream()) {
            result = model != null ? IndexBenchmark.run(options, itemVectors, queryVectors, log)
                    : IndexBenchmark.run(options, log);
        } finally {
            bar.close();
        }
        String text = IndexBenchmark.toJson(result);
        out.result(text);
        if (json != null) {
            Path tmp = json.resolveSibling(json.getFileName() + ".tmp");
            Files.writeString(tmp, text + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, json, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        return 0;
    }

    private static float[][] rows(float[] flat, int n, int dim) {
        float[][] out = new float[n][];
        for (int i = 0; i < n; i++) {
            out[i] = java.util.Arrays.copyOfRange(flat, i * dim, (i + 1) * dim);
        }
        return out;
    }
}
