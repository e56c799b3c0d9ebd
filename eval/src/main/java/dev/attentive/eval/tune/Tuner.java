package dev.attentive.eval.tune;

import dev.attentive.api.Dataset;
import dev.attentive.api.Recommender;
import dev.attentive.api.spi.ConfigException;
import dev.attentive.api.spi.Configs;
import dev.attentive.api.spi.ModelProvider;
import dev.attentive.api.spi.ProviderRegistry;
import dev.attentive.api.spi.TrainingContext;
import dev.attentive.eval.metrics.Evaluator;
import dev.attentive.eval.runner.Experiment;
import dev.attentive.eval.runner.ExperimentListener;
import dev.attentive.eval.runner.ExperimentResult;
import dev.attentive.eval.runner.ModelSpec;
import dev.attentive.eval.split.Split;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;

/**
 * Searches each model's {@link SearchSpace} at random under one {@link Budget}, chooses the settings
 * with the best validation NDCG@10 (the mean over the tuning seeds), and can then score the chosen
 * settings on test with the {@link Experiment} runner, exactly as {@code evaluate} does.
 *
 * <p>The search sees only the training and validation parts of each tuning seed's split: it never
 * builds a test evaluator, so no test metric can steer a choice. Trials are reproducible: a model's
 * trials depend only on the search seed, its spec and its space (not on the other models). Trial 0 is
 * the model's defaults when {@link Config#startFromDefaults()} is set, so the table shows what tuning
 * gains over them. A trial whose training fails is recorded with its error and the search goes on.
 * Not thread safe; one run at a time.
 */
public final class Tuner {
    /** How many draws may repeat an earlier setting before a finite space counts as exhausted. */
    private static final int MAX_REDRAWS = 500;

    private final Config config;
    private final ProviderRegistry<ModelProvider<?>> registry;

    /**
     * What to search.
     *
     * @param experiment the data, protocol, filters, threads and models, and the test seeds on which
     *     {@link #run} scores the chosen settings; its {@code useDefaultGrids} is ignored (the spaces
     *     replace the grids). A spec's settings are fixed for every trial, except a value with
     *     {@code /}, which becomes a {@code choice} dimension
     * @param tuneSeeds the seeds whose validation parts score the trials, at least one
     * @param budget the budget of every model
     * @param searchSeed the seed of the random search
     * @param spaceOverrides model name (any case) to setting name to {@link Parameter} text, laid
     *     over the built-in spaces; empty for none
     * @param startFromDefaults whether trial 0 is the model's defaults rather than a random draw
     */
    public record Config(Experiment.Config experiment, List<Long> tuneSeeds, Budget budget, long searchSeed,
            Map<String, Map<String, String>> spaceOverrides, boolean startFromDefaults) {
        /** Validates and copies. */
        public Config {
            var p = new ConfigException.Problems("tune");
            p.check(experiment != null, "the experiment config is required");
            p.check(tuneSeeds != null && !tuneSeeds.isEmpty(), "at least one tuning seed is required");
            p.check(budget != null, "a budget is required");
            p.throwIfAny();
            tuneSeeds = List.copyOf(tuneSeeds);
            Map<String, Map<String, String>> copy = new LinkedHashMap<>();
            (spaceOverrides == null ? Map.<String, Map<String, String>>of() : spaceOverrides)
                    .forEach((k, v) -> copy.put(k.toLowerCase(Locale.ROOT), Map.copyOf(v)));
            spaceOverrides = Map.copyOf(copy);
        }
    }

    /** A model ready to search: its provider, space and fixed settings. */
    private record Plan(ModelSpec spec, ModelProvider<?> provider, SearchSpace space, Map<String, String> fixed) {
    }

    /** The training and validation parts of one tuning seed's split, and its validation evaluator. */
    private record TuningSplit(long seed, Dataset train, Dataset valid, Evaluator evaluator) {
    }

    /** Carries a listener's exception through the per-trial failure handling. */
    private static final class ListenerFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ListenerFailure(RuntimeException cause) {
            super(cause);
        }
    }

    /**
     * A tuner over the model providers visible to this library's class loader.
     *
     * @param config what to search
     */
    public Tuner(Config config) {
        this(config, ProviderRegistry.models());
    }

    /**
     * A tuner over the given providers.
     *
     * @param config what to search
     * @param registry the model providers
     */
    public Tuner(Config config, ProviderRegistry<ModelProvider<?>> registry) {
        this.config = Objects.requireNonNull(config, "config");
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /**
     * Checks every model name and every space entry against the model's config before any training:
     * each choice and each end of each range is bound to the config, so a key the model does not have
     * or a value it rejects is found now. Reports all problems at once.
     *
     * @return per spec label, the space that will be searched
     * @throws IllegalArgumentException listing unknown models (with the available names) and every bad
     *     entry, naming the model, the key and what was expected
     */
    public Map<String, SearchSpace> validate() {
        return check(config.experiment().models(), config.spaceOverrides(), registry);
    }

    /**
     * What {@link #validate()} checks, before any data is loaded: for a command line that resolves
     * every model and search space first.
     *
     * @param models the model specs
     * @param spaceOverrides per model name, search space entries that replace or add to the built-in space
     * @param registry the model providers
     * @return per spec label, the space that will be searched
     * @throws IllegalArgumentException as {@link #validate()}
     */
    public static Map<String, SearchSpace> check(List<ModelSpec> models, Map<String, Map<String, String>> spaceOverrides,
            ProviderRegistry<ModelProvider<?>> registry) {
        Map<String, SearchSpace> out = new LinkedHashMap<>();
        plans(models, spaceOverrides, registry).forEach(p -> out.put(p.spec().label(), p.space()));
        return out;
    }

    private List<Plan> plans() {
        return plans(config.experiment().models(), config.spaceOverrides(), registry);
    }

    private static List<Plan> plans(List<ModelSpec> models, Map<String, Map<String, String>> spaceOverrides,
            ProviderRegistry<ModelProvider<?>> registry) {
        List<String> problems = new ArrayList<>();
        List<Plan> plans = new ArrayList<>();
        Set<String> known = new HashSet<>();
        for (ModelSpec spec : models) {
            var provider = registry.find(spec.name());
            if (provider.isEmpty()) {
                problems.add(Experiment.unknownModel(spec.name(), registry.names()));
                continue;
            }
            String name = provider.get().name().toLowerCase(Locale.ROOT);
            known.add(name);
            Map<String, String> fixed = new LinkedHashMap<>();
            Map<String, String> grid = new LinkedHashMap<>();
            spec.settings().forEach((k, v) -> {
                if (v.contains("/")) {
                    grid.put(k, "choice(" + v.replace('/', ',') + ")");
                } else {
                    fixed.put(k, v);
                }
            });
            SearchSpace space;
            try {
                space = SearchSpace.builtIn(name).with(spec.label(), spaceOverrides.getOrDefault(name, Map.of()))
                        .with(spec.label(), grid);
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
                continue;
            }
            Map<String, Parameter> searched = new LinkedHashMap<>(space.parameters());
            fixed.keySet().forEach(searched::remove);
            space = new SearchSpace(searched);
            if (check(provider.get(), spec.label(), "", fixed, problems)) {
                for (var e : space.parameters().entrySet()) {
                    for (String value : e.getValue().extremes()) {
                        Map<String, String> probe = new LinkedHashMap<>(fixed);
                        probe.put(e.getKey(), value);
                        String what = " search space entry " + e.getKey() + "=" + e.getValue().describe() + " (value "
                                + value + ")";
                        if (!check(provider.get(), spec.label(), what, probe, problems)) {
                            break;
                        }
                    }
                }
            }
            plans.add(new Plan(spec, provider.get(), space, fixed));
        }
        for (String model : spaceOverrides.keySet()) {
            if (!known.contains(model)) {
                problems.add("the search space names model '" + model + "', which is not among the models tuned ("
                        + String.join(", ", models.stream().map(ModelSpec::name).toList()) + ")");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Cannot tune the models: " + String.join("; ", problems));
        }
        return plans;
    }

    private static boolean check(ModelProvider<?> provider, String label, String what, Map<String, String> settings,
            List<String> problems) {
        try {
            provider.configure(settings);
            return true;
        } catch (ConfigException e) {
            problems.add(label + what + ": " + String.join("; ", e.problems()));
        } catch (IllegalArgumentException e) {
            problems.add(label + what + ": " + e.getMessage());
        }
        return false;
    }

    /**
     * Searches every model under the budget, on validation only.
     *
     * @param listener told about each search and trial
     * @return the searches, without test results
     * @throws IllegalArgumentException as {@link #validate()}, or when a tuning seed's split has no
     *     validation part
     * @throws IllegalStateException when every trial of a model failed
     */
    public TuneResult search(TuneListener listener) {
        Objects.requireNonNull(listener, "listener");
        List<Plan> plans = plans();
        Experiment.Config ec = config.experiment();
        Dataset data = new Experiment(ec, registry).prepare(new ExperimentListener() {
            @Override
            public void filterApplied(String filter, int before, int after) {
                listener.filterApplied(filter, before, after);
            }
        });
        List<TuningSplit> splits = new ArrayList<>();
        for (long seed : config.tuneSeeds()) {
            Split split = ec.protocol().split(data, seed);
            if (split.valid().interactions().isEmpty()) {
                throw new IllegalArgumentException("The " + ec.protocol().name().toLowerCase(Locale.ROOT) + " split of '"
                        + ec.datasetName() + "' (seed " + seed + ") has no validation part, and tuning chooses on validation");
            }
            Evaluator full = new Evaluator(split.train(), new int[] {10}, ec.threads());
            Evaluator evaluator = ec.sampledNegatives() > 0 ? full.sampled(ec.sampledNegatives(), seed) : full;
            // Only the training and validation parts are kept: the search cannot reach the test part.
            splits.add(new TuningSplit(seed, split.train(), split.valid(), evaluator));
        }
        Map<String, ModelSearch> searches = new LinkedHashMap<>();
        for (Plan plan : plans) {
            searches.put(plan.spec().label(), searchOne(plan, splits, listener));
        }
        return new TuneResult(ec.datasetName(), ec.protocol().name().toLowerCase(Locale.ROOT), config.tuneSeeds(),
                config.searchSeed(), config.budget(), config.startFromDefaults(), searches, null);
    }

    /**
     * Searches every model, then trains the chosen settings on each of the experiment's seeds and
     * scores them on test, with paired comparisons, exactly as {@link Experiment#run} does.
     *
     * @param listener told about each search and trial
     * @param testListener told about the test run
     * @return the searches with the test results
     */
    public TuneResult run(TuneListener listener, ExperimentListener testListener) {
        TuneResult searched = search(listener);
        Experiment.Config ec = config.experiment();
        Experiment.Config test = new Experiment.Config(ec.datasetName(), ec.data(), ec.protocol(), searched.chosenSpecs(),
                ec.seeds(), ec.minRating(), ec.kCore(), ec.threads(), false, ec.sampledNegatives(),
                ec.validAsHistory());
        return searched.withTest(new Experiment(test, registry).run(testListener));
    }

    private ModelSearch searchOne(Plan plan, List<TuningSplit> splits, TuneListener listener) {
        String label = plan.spec().label();
        Budget budget = config.budget();
        listener.searchStarted(label, plan.space().describe(), budget);
        Random random = new Random(config.searchSeed() * 0x9E3779B97F4A7C15L ^ label.hashCode());
        Set<Map<String, String>> seen = new HashSet<>();
        List<Trial> trials = new ArrayList<>();
        double best = Double.NaN;
        int chosen = -1;
        String stoppedBy = "trials";
        long start = System.nanoTime();
        for (int t = 0; t < budget.trials(); t++) {
            if (t > 0 && budget.seconds() > 0 && (System.nanoTime() - start) / 1e9 >= budget.seconds()) {
                stoppedBy = "seconds";
                break;
            }
            Map<String, String> settings = t == 0 && config.startFromDefaults() ? defaults(plan) : draw(plan, random, seen);
            if (settings == null) {
                stoppedBy = "exhausted";
                break;
            }
            seen.add(canonical(plan, settings));
            Trial trial = runTrial(plan, t, settings, splits, listener, best);
            if (trial.succeeded() && !Double.isNaN(trial.validNdcg10()) && (chosen < 0 || trial.validNdcg10() > best)) {
                best = trial.validNdcg10();
                chosen = t;
            }
            trials.add(trial);
            listener.trialScored(label, trial, budget);
        }
        if (chosen < 0) {
            // No trial scored a number (e.g. no validation user could be ranked): the first that ran wins.
            chosen = trials.stream().filter(Trial::succeeded).mapToInt(Trial::index).findFirst()
                    .orElseThrow(() -> new IllegalStateException("Every trial of " + label + " failed; the first: "
                            + trials.get(0).error()));
        }
        ModelSearch search = new ModelSearch(label, plan.provider().name(), plan.space().describe(), plan.fixed(), trials,
                trials.get(chosen).settings(), chosen, (System.nanoTime() - start) / 1e9, stoppedBy);
        listener.searchFinished(search);
        return search;
    }

    private Trial runTrial(Plan plan, int index, Map<String, String> settings, List<TuningSplit> splits,
            TuneListener listener, double bestBefore) {
        String label = plan.spec().label();
        long t0 = System.nanoTime();
        double sum = 0;
        try {
            for (TuningSplit s : splits) {
                TrainingContext context = new TrainingContext(s.seed(), config.experiment().threads(),
                        r -> s.evaluator().evaluate(r, s.valid(), null).get("ndcg@10"),
                        stats -> {
                            try {
                                listener.epoch(label, stats);
                            } catch (RuntimeException e) {
                                throw new ListenerFailure(e);
                            }
                        });
                try (Recommender model = plan.provider().train(s.train(), settings, context)) {
                    sum += s.evaluator().evaluate(model, s.valid(), null).get("ndcg@10");
                }
            }
        } catch (ListenerFailure e) {
            throw (RuntimeException) e.getCause();
        } catch (RuntimeException e) {
            return new Trial(index, settings, Double.NaN, (System.nanoTime() - t0) / 1e9, bestBefore,
                    e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        double score = sum / splits.size();
        double seconds = (System.nanoTime() - t0) / 1e9;
        double bestSoFar = Double.isNaN(bestBefore) || score > bestBefore ? score : bestBefore;
        // bestSoFar mirrors the choice in searchOne: a NaN score never becomes the best.
        bestSoFar = Double.isNaN(score) ? bestBefore : bestSoFar;
        return new Trial(index, settings, score, seconds, bestSoFar, null);
    }

    /** The spec's fixed settings and the provider's default value of every searched key it has. */
    private static Map<String, String> defaults(Plan plan) {
        Map<String, String> all = Configs.settings(plan.provider().defaultConfig());
        Map<String, String> byLowerKey = new LinkedHashMap<>();
        all.forEach((k, v) -> byLowerKey.put(k.toLowerCase(Locale.ROOT), v));
        Map<String, String> out = new LinkedHashMap<>(plan.fixed());
        for (String key : plan.space().parameters().keySet()) {
            String v = byLowerKey.get(key.toLowerCase(Locale.ROOT));
            if (v != null && !v.contains("/")) {
                out.put(key, v);
            }
        }
        return out;
    }

    /** A setting not tried before, or null when the space is exhausted. */
    private static Map<String, String> draw(Plan plan, Random random, Set<Map<String, String>> seen) {
        for (int attempt = 0; attempt < MAX_REDRAWS; attempt++) {
            Map<String, String> settings = new LinkedHashMap<>(plan.fixed());
            settings.putAll(plan.space().sample(random));
            if (!seen.contains(canonical(plan, settings))) {
                return settings;
            }
        }
        return null;
    }

    /** The full config the settings bind to, so that 0 and 0.0 count as one setting. */
    private static Map<String, String> canonical(Plan plan, Map<String, String> settings) {
        try {
            return Configs.settings(plan.provider().configure(settings));
        } catch (IllegalArgumentException e) {
            return settings;
        }
    }
}
