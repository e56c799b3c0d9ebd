package dev.attentive.eval.runner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The results of an {@link Experiment}: per model and seed the chosen settings and the validation and
 * test metrics, plus pairwise comparisons. Immutable.
 *
 * @param dataset the dataset name
 * @param protocol the protocol name
 * @param seeds the seeds
 * @param split the sizes of the (first seed's) split
 * @param models per model label, one result per seed in seed order
 * @param comparisons pairwise comparisons on per-user values pooled over seeds
 * @param perUserNdcg per model label, per-user test NDCG@10 pooled over seeds (for intervals in reports)
 */
public record ExperimentResult(String dataset, String protocol, List<Long> seeds, SplitSizes split,
        Map<String, List<SeedResult>> models, List<ComparisonResult> comparisons, Map<String, double[]> perUserNdcg) {

    /** Copies. */
    public ExperimentResult {
        seeds = List.copyOf(seeds);
        models = Collections.unmodifiableMap(new LinkedHashMap<>(models));
        comparisons = List.copyOf(comparisons);
        perUserNdcg = Collections.unmodifiableMap(new LinkedHashMap<>(perUserNdcg));
    }

    /**
     * Split sizes.
     *
     * @param users users after filtering
     * @param items items after filtering
     * @param train training interactions
     * @param valid validation interactions
     * @param test test interactions
     */
    public record SplitSizes(int users, int items, int train, int valid, int test) {
    }

    /**
     * One model on one seed.
     *
     * @param seed the seed
     * @param params the chosen settings (all of the config, as strings)
     * @param valid validation metrics of the chosen settings
     * @param test test metrics
     * @param trainSeconds training time of the chosen settings
     * @param evalSeconds test evaluation time
     * @param trainInteractionsPerSecond median of the epochs' reported throughput, or NaN when none was reported
     */
    public record SeedResult(long seed, Map<String, String> params, Map<String, Double> valid, Map<String, Double> test,
            double trainSeconds, double evalSeconds, double trainInteractionsPerSecond) {
        /** Copies. */
        public SeedResult {
            params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
            valid = Collections.unmodifiableMap(new LinkedHashMap<>(valid));
            test = Collections.unmodifiableMap(new LinkedHashMap<>(test));
        }
    }

    /**
     * A paired comparison of model a against model b.
     *
     * @param a the first model
     * @param b the second model
     * @param metric the metric
     * @param meanDiff mean of a - b over (user, seed) pairs
     * @param ciLow bootstrap 95% interval, low end
     * @param ciHigh high end
     * @param pValue paired t-test p-value
     * @param wilcoxonP Wilcoxon signed-rank p-value
     */
    public record ComparisonResult(String a, String b, String metric, double meanDiff, double ciLow, double ciHigh,
            double pValue, double wilcoxonP) {
    }

    /**
     * The mean over seeds of a test metric.
     *
     * @param model the model label
     * @param metric e.g. {@code recall@10}
     * @return the mean
     */
    public double meanTest(String model, String metric) {
        return mean(models.get(model), metric, false);
    }

    /**
     * The mean over seeds of a validation metric.
     *
     * @param model the model label
     * @param metric e.g. {@code ndcg@10}
     * @return the mean, NaN when not measured
     */
    public double meanValid(String model, String metric) {
        return mean(models.get(model), metric, true);
    }

    private static double mean(List<SeedResult> results, String metric, boolean valid) {
        if (results == null) {
            throw new IllegalArgumentException("No such model in the results");
        }
        double s = 0;
        for (SeedResult r : results) {
            s += (valid ? r.valid() : r.test()).getOrDefault(metric, Double.NaN);
        }
        return s / results.size();
    }

    /**
     * The results as the {@code results.json} document: {@code dataset, protocol, seeds, split,
     * models{NAME:{params, valid, test, train_seconds, eval_seconds, train_interactions_per_second,
     * per_seed}}, comparisons[{a, b, metric, mean_diff, ci95, p_value, wilcoxon_p}]}. Metric values
     * are means over seeds; {@code params} are the first seed's chosen settings.
     *
     * @return indented JSON
     */
    public String toJson() {
        JsonMapper mapper = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
        ObjectNode root = mapper.createObjectNode();
        root.put("dataset", dataset);
        root.put("protocol", protocol);
        ArrayNode s = root.putArray("seeds");
        seeds.forEach(s::add);
        ObjectNode sp = root.putObject("split");
        sp.put("users", split.users());
        sp.put("items", split.items());
        sp.put("train", split.train());
        sp.put("valid", split.valid());
        sp.put("test", split.test());
        ObjectNode ms = root.putObject("models");
        models.forEach((label, results) -> {
            ObjectNode m = ms.putObject(label);
            ObjectNode params = m.putObject("params");
            results.get(0).params().forEach(params::put);
            ObjectNode valid = m.putObject("valid");
            keys(results, true).forEach(k -> valid.put(k, mean(results, k, true)));
            ObjectNode test = m.putObject("test");
            for (String k : List.of("recall@10", "ndcg@10", "mrr@10", "hit@10", "precision@10", "map@10", "coverage@10",
                    "avgpop@10", "gini@10", "recall@20", "ndcg@20", "recall@50", "ndcg@50")) {
                test.put(k, mean(results, k, false));
            }
            m.put("train_seconds", results.stream().mapToDouble(SeedResult::trainSeconds).average().orElse(0));
            m.put("eval_seconds", results.stream().mapToDouble(SeedResult::evalSeconds).average().orElse(0));
            double ips = results.stream().mapToDouble(SeedResult::trainInteractionsPerSecond).filter(x -> !Double.isNaN(x))
                    .average().orElse(Double.NaN);
            if (!Double.isNaN(ips)) {
                m.put("train_interactions_per_second", ips);
            }
            ArrayNode per = m.putArray("per_seed");
            for (SeedResult r : results) {
                ObjectNode o = per.addObject();
                o.put("seed", r.seed());
                ObjectNode p = o.putObject("params");
                r.params().forEach(p::put);
                o.put("valid_ndcg@10", r.valid().getOrDefault("ndcg@10", Double.NaN));
                o.put("recall@10", r.test().get("recall@10"));
                o.put("ndcg@10", r.test().get("ndcg@10"));
                o.put("train_seconds", r.trainSeconds());
                o.put("eval_seconds", r.evalSeconds());
            }
        });
        ArrayNode cs = root.putArray("comparisons");
        for (ComparisonResult c : comparisons) {
            ObjectNode o = cs.addObject();
            o.put("a", c.a());
            o.put("b", c.b());
            o.put("metric", c.metric());
            o.put("mean_diff", c.meanDiff());
            ArrayNode ci = o.putArray("ci95");
            ci.add(c.ciLow());
            ci.add(c.ciHigh());
            o.put("p_value", c.pValue());
            o.put("wilcoxon_p", c.wilcoxonP());
        }
        return mapper.writeValueAsString(root);
    }

    /**
     * Writes {@link #toJson()} to a file (conventionally {@code results.json}), creating its folder if
     * needed. The text goes to a temporary sibling first and is moved into place, so a failure never
     * leaves a half-written file; an existing file is replaced.
     *
     * @param file the file to write
     * @throws UncheckedIOException when the file cannot be written
     */
    public void writeJson(Path file) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(tmp, toJson());
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write results to " + file, e);
        }
    }

    private static Set<String> keys(List<SeedResult> results, boolean valid) {
        Set<String> keys = new TreeSet<>();
        for (SeedResult r : results) {
            keys.addAll((valid ? r.valid() : r.test()).keySet());
        }
        return keys;
    }
}
