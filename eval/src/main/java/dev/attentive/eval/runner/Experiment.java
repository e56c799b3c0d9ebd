package dev.attentive.eval.runner;

import dev.attentive.api.Dataset;
import dev.attentive.api.Interaction;
import dev.attentive.api.Recommender;
import dev.attentive.api.spi.Configs;
import dev.attentive.api.spi.ConfigException;
import dev.attentive.api.spi.EpochStats;
import dev.attentive.api.spi.ModelProvider;
import dev.attentive.api.spi.ProviderRegistry;
import dev.attentive.api.spi.TrainingContext;
import dev.attentive.eval.metrics.EvaluationResult;
import dev.attentive.eval.metrics.Evaluator;
import dev.attentive.eval.metrics.Significance;
import dev.attentive.eval.split.Filters;
import dev.attentive.eval.split.Split;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Runs an experiment: filters the data, and for every seed splits it, trains each model through the
 * model-provider SPI (searching the grid of its settings on the validation split by NDCG@10),
 * scores the chosen model on test with full-catalogue ranking (training and validation items
 * masked), and compares models pairwise on per-user values. Not thread safe; one run at a time.
 */
public final class Experiment {
    /** The cut-offs on which test metrics are computed (Recall@K curves use 1..50). */
    static final int[] TEST_KS = IntStream.rangeClosed(1, 50).toArray();
    /** The metrics compared between models. */
    static final List<String> COMPARED = List.of("recall@10", "ndcg@10");

    /** Default grids searched when a spec leaves the key unset (key to {@code /}-separated values). */
    static final Map<String, Map<String, String>> DEFAULT_GRIDS = Map.of(
            "ease", Map.of("lambda", "50/100/250/500/1000/2000"),
            "itemknn", Map.of("neighbours", "50/100/200/400", "shrink", "0/10"),
            "bpr", Map.of("reg", "0.01/0.02/0.05"),
            "fm", Map.of("features", "true/false"));

    private final Config config;
    private final ProviderRegistry<ModelProvider<?>> registry;

    /**
     * What to run.
     *
     * @param datasetName the dataset's name for reports
     * @param data the loaded dataset (before filtering)
     * @param protocol the split protocol
     * @param models the model specs, at least one
     * @param seeds the seeds, at least one
     * @param minRating the rating threshold applied when the data carries ratings (any weight other
     *     than 1); NaN to skip
     * @param kCore the k of the iterative k-core on users and items (1 = none)
     * @param threads threads for training and evaluation
     * @param useDefaultGrids whether built-in grids apply to settings a spec leaves unset
     * @param sampledNegatives 0 for full-catalogue ranking (the default and the honest choice); N &gt; 0
     *     ranks each user's targets among N negatives fixed by the seed once per user (opt-in)
     * @param validAsHistory whether test requests also give each user's validation interactions to the
     *     model as the user's most recent history ({@link Evaluator#evaluateAfter}), as sequential
     *     recommenders are evaluated under leave-one-out; the validation items stay excluded from the
     *     test ranking either way, and the model is not retrained (since 0.2.0; default false)
     */
    public record Config(String datasetName, Dataset data, Protocol protocol, List<ModelSpec> models, List<Long> seeds,
            double minRating, int kCore, int threads, boolean useDefaultGrids, int sampledNegatives,
            boolean validAsHistory) {
        /** Validates, reporting all problems. */
        public Config {
            var p = new ConfigException.Problems("evaluate");
            p.check(datasetName != null, "dataset name is required");
            p.check(data != null, "data is required");
            p.check(protocol != null, "protocol is required (recbole, loo or temporal)");
            p.check(models != null && !models.isEmpty(), "at least one model is required");
            p.check(seeds != null && !seeds.isEmpty(), "at least one seed is required");
            p.check(kCore >= 1, "k-core must be at least 1, got " + kCore);
            p.check(threads >= 1, "threads must be at least 1, got " + threads);
            p.check(sampledNegatives >= 0, "sampled negatives must be 0 (full ranking) or positive, got " + sampledNegatives);
            p.throwIfAny();
            models = List.copyOf(models);
            seeds = List.copyOf(seeds);
        }

        /**
         * A config whose test requests carry the training history only.
         *
         * @param datasetName the dataset's name
         * @param data the dataset
         * @param protocol the protocol
         * @param models the model specs
         * @param seeds the seeds
         * @param minRating the rating threshold, or NaN
         * @param kCore the k-core
         * @param threads the threads
         * @param useDefaultGrids whether built-in grids apply
         * @param sampledNegatives 0 for full-catalogue ranking, or the negatives per user
         */
        public Config(String datasetName, Dataset data, Protocol protocol, List<ModelSpec> models, List<Long> seeds,
                double minRating, int kCore, int threads, boolean useDefaultGrids, int sampledNegatives) {
            this(datasetName, data, protocol, models, seeds, minRating, kCore, threads, useDefaultGrids,
                    sampledNegatives, false);
        }

        /**
         * A config with full-catalogue ranking.
         *
         * @param datasetName the dataset's name
         * @param data the dataset
         * @param protocol the protocol
         * @param models the model specs
         * @param seeds the seeds
         * @param minRating the rating threshold, or NaN
         * @param kCore the k-core
         * @param threads the threads
         * @param useDefaultGrids whether built-in grids apply
         */
        public Config(String datasetName, Dataset data, Protocol protocol, List<ModelSpec> models, List<Long> seeds,
                double minRating, int kCore, int threads, boolean useDefaultGrids) {
            this(datasetName, data, protocol, models, seeds, minRating, kCore, threads, useDefaultGrids, 0, false);
        }
    }

    /**
     * An experiment over the model providers visible to this library's class loader.
     *
     * @param config what to run
     */
    public Experiment(Config config) {
        this(config, ProviderRegistry.models());
    }

    /**
     * An experiment over the given providers.
     *
     * @param config what to run
     * @param registry the model providers
     */
    public Experiment(Config config, ProviderRegistry<ModelProvider<?>> registry) {
        this.config = Objects.requireNonNull(config, "config");
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /**
     * Checks every model name and setting key before any training, reporting all problems at once.
     *
     * @throws IllegalArgumentException listing unknown models (with the available names) and bad settings
     */
    public void validateModels() {
        checkModels(config.models(), config.useDefaultGrids(), registry);
    }

    /**
     * Checks model names and setting keys before any data is loaded, reporting all problems at
     * once: what {@link #validateModels()} checks, for a command line that has not loaded its data yet.
     *
     * @param models the model specs
     * @param useDefaultGrids whether built-in grids apply to settings a spec leaves unset
     * @param registry the model providers
     * @throws IllegalArgumentException listing unknown models (with the available names and the
     *     closest one) and bad settings
     */
    public static void checkModels(List<ModelSpec> models, boolean useDefaultGrids,
            ProviderRegistry<ModelProvider<?>> registry) {
        List<String> problems = new ArrayList<>();
        for (ModelSpec spec : models) {
            var provider = registry.find(spec.name());
            if (provider.isEmpty()) {
                problems.add(unknownModel(spec.name(), registry.names()));
                continue;
            }
            for (Map<String, String> combo : spec.grid(defaultGrid(spec, useDefaultGrids))) {
                try {
                    provider.get().configure(combo);
                } catch (ConfigException e) {
                    problems.add(spec.label() + ": " + String.join("; ", e.problems()));
                    break;
                } catch (IllegalArgumentException e) {
                    problems.add(spec.label() + ": " + e.getMessage());
                    break;
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Cannot run the models: " + String.join("; ", problems));
        }
    }

    private Map<String, String> defaultGrid(ModelSpec spec) {
        return defaultGrid(spec, config.useDefaultGrids());
    }

    private static Map<String, String> defaultGrid(ModelSpec spec, boolean useDefaultGrids) {
        return useDefaultGrids ? DEFAULT_GRIDS.getOrDefault(spec.name().toLowerCase(Locale.ROOT), Map.of()) : Map.of();
    }

    /**
     * The problem text for a model name no provider has: the available names and, when one is within
     * two edits, that one, e.g. {@code unknown model 'popp' (available: ease, pop); did you mean 'pop'?}.
     *
     * @param name the unknown name
     * @param available the names that exist
     * @return the text
     */
    public static String unknownModel(String name, List<String> available) {
        String closest = null;
        int best = 3;
        for (String candidate : available) {
            int d = editDistance(name.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
            if (d < best) {
                best = d;
                closest = candidate;
            }
        }
        return "unknown model '" + name + "' (available: " + String.join(", ", available) + ")"
                + (closest != null ? "; did you mean '" + closest + "'?" : "");
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[b.length()];
    }

    /**
     * The data this experiment splits: the config's data after its rating threshold and k-core.
     *
     * @return the filtered dataset
     * @throws IllegalArgumentException when no interaction survives the filter
     */
    public Dataset prepare() {
        return prepare(ExperimentListener.NONE);
    }

    /**
     * The data this experiment splits, telling a listener what each filter kept.
     *
     * @param listener told {@link ExperimentListener#filterApplied} for the rating threshold (when
     *     the data carries weights other than 1) and the k-core (when k &gt; 1), in that order
     * @return the filtered dataset
     * @throws IllegalArgumentException when no interaction survives the filter
     */
    public Dataset prepare(ExperimentListener listener) {
        Objects.requireNonNull(listener, "listener");
        Dataset data = config.data();
        boolean explicit = data.interactions().stream().anyMatch(i -> i.weight() != 1f);
        if (explicit && !Double.isNaN(config.minRating())) {
            int before = data.interactions().size();
            data = Filters.ratingAtLeast(data, config.minRating());
            listener.filterApplied("min rating " + number(config.minRating()), before, data.interactions().size());
        }
        if (config.kCore() > 1) {
            int before = data.interactions().size();
            data = Filters.kCore(data, config.kCore(), config.kCore());
            listener.filterApplied(config.kCore() + "-core", before, data.interactions().size());
        }
        if (data.interactions().isEmpty()) {
            throw new IllegalArgumentException("No interactions of '" + config.datasetName()
                    + "' survive the filter (rating >= " + config.minRating() + ", " + config.kCore() + "-core)");
        }
        return data;
    }

    /**
     * Runs the experiment quietly.
     *
     * @return the results
     */
    public ExperimentResult run() {
        return run(ExperimentListener.NONE);
    }

    /**
     * Runs the experiment, reporting its progress to a listener.
     *
     * @param listener told about filtering, each seed's split, epochs, grid points and scored models
     * @return the results
     */
    public ExperimentResult run(ExperimentListener listener) {
        Objects.requireNonNull(listener, "listener");
        validateModels();
        Dataset data = prepare(listener);
        Set<Object> users = new HashSet<>();
        Set<Object> items = new HashSet<>();
        for (Interaction i : data.interactions()) {
            users.add(i.user());
            items.add(i.item());
        }
        listener.filtered(config.datasetName(), users.size(), items.size(), data.interactions().size());
        Map<String, List<ExperimentResult.SeedResult>> bySeed = new LinkedHashMap<>();
        Map<String, Map<String, double[]>> perUserPooled = new LinkedHashMap<>();
        ExperimentResult.SplitSizes sizes = null;
        for (long seed : config.seeds()) {
            Split split = config.protocol().split(data, seed);
            if (split.test().interactions().isEmpty()) {
                throw new IllegalArgumentException("The " + config.protocol().name().toLowerCase(Locale.ROOT)
                        + " split of '" + config.datasetName() + "' has an empty test part; use more data per user");
            }
            if (sizes == null) {
                sizes = new ExperimentResult.SplitSizes(users.size(), items.size(), split.train().interactions().size(),
                        split.valid().interactions().size(), split.test().interactions().size());
            }
            Evaluator testFull = new Evaluator(split.train(), TEST_KS, config.threads());
            Evaluator validFull = new Evaluator(split.train(), new int[] {10}, config.threads());
            Evaluator testEval = config.sampledNegatives() > 0 ? testFull.sampled(config.sampledNegatives(), seed) : testFull;
            Evaluator validEval = config.sampledNegatives() > 0 ? validFull.sampled(config.sampledNegatives(), seed) : validFull;
            boolean hasValid = !split.valid().interactions().isEmpty();
            listener.seedStarted(seed, split.train().interactions().size(), split.valid().interactions().size(),
                    split.test().interactions().size());
            for (ModelSpec spec : config.models()) {
                ModelProvider<?> provider = registry.get(spec.name());
                ExperimentResult.SeedResult best = null;
                Recommender bestModel = null;
                List<Map<String, String>> grid = spec.grid(defaultGrid(spec));
                double gridSeconds = 0;
                for (int point = 0; point < grid.size(); point++) {
                    Map<String, String> combo = grid.get(point);
                    listener.trainingStarted(spec, seed, Configs.settings(provider.configure(combo)), point, grid.size());
                    List<Double> ips = Collections.synchronizedList(new ArrayList<>());
                    TrainingContext context = new TrainingContext(seed, config.threads(),
                            r -> hasValid ? validEval.evaluate(r, split.valid(), null).get("ndcg@10") : Double.NaN,
                            (EpochStats s) -> {
                                ips.add(s.interactionsPerSecond());
                                listener.epoch(spec, s);
                            });
                    long t0 = System.nanoTime();
                    Recommender model = provider.train(split.train(), combo, context);
                    double trainSeconds = (System.nanoTime() - t0) / 1e9;
                    gridSeconds += trainSeconds;
                    Map<String, Double> valid = hasValid
                            ? validEval.evaluate(model, split.valid(), null).summary() : Map.of();
                    double score = valid.getOrDefault("ndcg@10", Double.NaN);
                    if (grid.size() > 1) {
                        listener.gridPointScored(spec, combo, score, trainSeconds);
                    }
                    if (best == null || score > best.valid().getOrDefault("ndcg@10", Double.NEGATIVE_INFINITY)) {
                        if (bestModel != null) {
                            bestModel.close();
                        }
                        Map<String, String> params = Configs.settings(provider.configure(combo));
                        best = new ExperimentResult.SeedResult(seed, params, valid, Map.of(), trainSeconds, 0,
                                median(ips));
                        bestModel = model;
                    } else {
                        model.close();
                    }
                }
                EvaluationResult test = config.validAsHistory()
                        ? testEval.evaluateAfter(bestModel, split.test(), split.valid())
                        : testEval.evaluate(bestModel, split.test(), split.valid());
                bestModel.close();
                ExperimentResult.SeedResult done = new ExperimentResult.SeedResult(seed, best.params(), best.valid(),
                        test.summary(), best.trainSeconds(), test.seconds(), best.trainInteractionsPerSecond());
                bySeed.computeIfAbsent(spec.label(), k -> new ArrayList<>()).add(done);
                Map<String, double[]> pooled = perUserPooled.computeIfAbsent(spec.label(), k -> new LinkedHashMap<>());
                for (String metric : COMPARED) {
                    pooled.merge(metric, test.values(metric), Experiment::concat);
                }
                listener.modelScored(spec, done, grid.size(), gridSeconds);
            }
        }
        List<ExperimentResult.ComparisonResult> comparisons = new ArrayList<>();
        List<String> labels = new ArrayList<>(perUserPooled.keySet());
        for (int a = 0; a < labels.size(); a++) {
            for (int b = a + 1; b < labels.size(); b++) {
                for (String metric : COMPARED) {
                    Significance.Comparison c = Significance.compare(perUserPooled.get(labels.get(b)).get(metric),
                            perUserPooled.get(labels.get(a)).get(metric), 1000, 2020);
                    comparisons.add(new ExperimentResult.ComparisonResult(labels.get(b), labels.get(a), metric,
                            c.meanDiff(), c.ciLow(), c.ciHigh(), c.tTestP(), c.wilcoxonP()));
                }
            }
        }
        Map<String, double[]> ciSource = new LinkedHashMap<>();
        perUserPooled.forEach((label, m) -> ciSource.put(label, m.get("ndcg@10")));
        String protocolName = config.protocol().name().toLowerCase(Locale.ROOT)
                + (config.sampledNegatives() > 0 ? " (sampled: " + config.sampledNegatives() + " negatives per user)" : "")
                + (config.validAsHistory() ? " (test history: train+valid)" : "");
        return new ExperimentResult(config.datasetName(), protocolName,
                config.seeds(), sizes, bySeed, comparisons, ciSource);
    }

    /** {@code 3} for 3.0, {@code 3.5} for 3.5. */
    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    private static double[] concat(double[] a, double[] b) {
        double[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
