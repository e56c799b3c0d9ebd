package dev.attentive.examples;

import dev.attentive.api.Dataset;
import dev.attentive.api.Explanation;
import dev.attentive.api.FeatureValue;
import dev.attentive.api.Features;
import dev.attentive.api.Interaction;
import dev.attentive.api.ItemFilter;
import dev.attentive.api.ItemId;
import dev.attentive.api.Recommendation;
import dev.attentive.api.RecommendationRequest;
import dev.attentive.api.Recommender;
import dev.attentive.api.UserId;
import dev.attentive.api.spi.Configs;
import dev.attentive.api.spi.ProviderRegistry;
import dev.attentive.api.spi.TrainingContext;
import dev.attentive.eval.data.SyntheticData;
import dev.attentive.eval.runner.Experiment;
import dev.attentive.eval.runner.ExperimentResult;
import dev.attentive.eval.runner.ModelSpec;
import dev.attentive.eval.runner.Protocol;
import dev.attentive.examples.report.ExperimentReports;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * The demo: on embedded synthetic data with planted structure, evaluates the two-tower model with
 * and without attention against baselines, then trains one model, serves it from a Lucene HNSW
 * index and answers requests — a known user with explanations, an anonymous user from features and
 * recent items, a filtered request, and similar items.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Train, evaluate and serve the two-tower model on embedded synthetic data (no network).")
final class DemoCommand implements Callable<Integer> {
    @ParentCommand
    AttentiveCli root;

    @Option(names = "--seed", defaultValue = "2020", description = "Seed of the data, split and training (default 2020)")
    long seed;

    @Option(names = "--models", defaultValue = "pop,ease,two-tower[attention=mean],two-tower[attention=concat-mlp],two-tower[attention=attention-pooling]",
            description = "Models to compare (default: ${DEFAULT-VALUE})")
    String models;

    @Option(names = "--out", defaultValue = "results/demo", description = "Where results.json and the reports go (default ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--serve-model", defaultValue = "two-tower[attention=attention-pooling,retriever=lucene-hnsw]",
            description = "The model trained on all data and served (default: ${DEFAULT-VALUE})")
    String serveModel;

    @Override
    public Integer call() {
        CliOutput log = root.output();
        List<ModelSpec> specs = ModelSpec.parseList(models);
        ModelSpec serving = ModelSpec.parse(serveModel);
        // Every model is resolved before any data is made or trained on.
        Experiment.checkModels(specs, true, ProviderRegistry.models());
        Experiment.checkModels(List.of(serving), false, ProviderRegistry.models());
        SyntheticData synthetic = new SyntheticData(SyntheticData.Config.defaults());
        Dataset data = synthetic.generate(seed);
        log.infof("Synthetic data: %,d interactions of %d users with %d items (seed %d).",
                data.interactions().size(), data.users().rows().size(), data.items().rows().size(), seed);
        log.infof("Planted: user fields %s and item fields %s drive preferences; %s and %s are noise.%n",
                synthetic.informativeUserFields(), synthetic.informativeItemFields(),
                synthetic.noiseUserFields(), synthetic.noiseItemFields());

        int threads = Runtime.getRuntime().availableProcessors();
        Experiment experiment = new Experiment(new Experiment.Config("synthetic", data, Protocol.RECBOLE,
                specs, List.of(seed), Double.NaN, 1, threads, true));
        ExperimentProgress progress = new ExperimentProgress(log, specs, 1, true);
        ExperimentResult result;
        try {
            result = experiment.run(progress);
        } finally {
            progress.close();
        }
        ResultTables.printInputs(log, result, data, ProviderRegistry.models());
        ResultTables.printSignificance(log, result.comparisons());
        ExperimentReports.write(result, out);
        log.infof("%nWrote %s, report.md and report.html%n", out.resolve("results.json"));

        serve(data, serving, log, threads);
        return 0;
    }

    private void serve(Dataset data, ModelSpec spec, CliOutput log, int threads) {
        log.infof("Training %s on all %,d interactions and indexing its item embeddings...",
                spec.label(), data.interactions().size());
        var provider = ProviderRegistry.models().get(spec.name());
        Recommender trained;
        try (CliOutput.Progress bar = log.progress("training " + spec.label(),
                ExperimentProgress.epochs(Configs.settings(provider.configure(spec.settings()))), "epochs")) {
            TrainingContext context = new TrainingContext(seed, threads, r -> Double.NaN, s -> {
                bar.stepTo(s.epoch());
                bar.message(ExperimentProgress.describe(s));
            });
            trained = provider.train(data, spec.settings(), context);
        }
        try (Recommender recommender = trained) {
            UserId user = data.interactions().get(0).user();
            List<ItemId> recent = data.interactions().stream()
                    .filter(i -> i.user().equals(user))
                    .sorted(Comparator.comparingLong(Interaction::timestamp).reversed())
                    .map(Interaction::item).limit(5).toList();
            log.resultf("%nUser %s %s, recently %s", user, show(data.users().get(user)), recent);
            print(log, recommender.recommend(RecommendationRequest.forUser(user).k(5).explain(true).build()), data);

            Features features = data.users().get(user);
            log.resultf("%nAn anonymous visitor with the same features and recent items:");
            print(log, recommender.recommend(RecommendationRequest.builder().features(features).recentItems(recent)
                    .k(5).excludeSeen(false).exclude(java.util.Set.copyOf(recent)).build()), data);

            String genre = data.items().get(recent.get(0)).get("genre").map(v -> ((FeatureValue.Categorical) v).value())
                    .orElse("?");
            log.resultf("%nThe same user, only genre %s and quality above 0.5 (filter applied inside the index):", genre);
            print(log, recommender.recommend(RecommendationRequest.forUser(user).k(5)
                    .filter(ItemFilter.and(ItemFilter.equalTo("genre", genre), ItemFilter.range("quality", 0.5, 1e9)))
                    .build()), data);

            log.resultf("%nItems similar to %s %s:", recent.get(0), show(data.items().get(recent.get(0))));
            print(log, recommender.similarItems(recent.get(0), 5, ItemFilter.all()), data);
        }
    }

    private static void print(CliOutput log, List<Recommendation> recommendations, Dataset data) {
        for (Recommendation r : recommendations) {
            log.resultf("  %-8s %7.4f  %s", r.item(), r.score(), show(data.items().get(r.item())));
            r.explanation().ifPresent(e -> log.resultf("           %s", describe(e)));
        }
    }

    /** A feature row as {@code genre=g2 quality=0.69 tags=[a, b]}. */
    static String show(Features features) {
        return features.values().entrySet().stream().map(e -> e.getKey() + "=" + switch (e.getValue()) {
            case FeatureValue.Categorical c -> c.value();
            case FeatureValue.MultiCategorical m -> m.values().toString();
            case FeatureValue.Numeric n -> n.value() == Math.rint(n.value()) && Math.abs(n.value()) < 1e9
                    ? Long.toString((long) n.value()) : String.format(java.util.Locale.ROOT, "%.3g", n.value());
        }).collect(Collectors.joining(" "));
    }

    private static String describe(Explanation e) {
        List<String> parts = new ArrayList<>();
        if (!e.userFieldWeights().isEmpty()) {
            parts.add("user fields " + top(e.userFieldWeights()));
        }
        if (!e.historyItems().isEmpty()) {
            parts.add("because of " + top(e.historyItems()));
        }
        if (!e.itemFieldWeights().isEmpty()) {
            parts.add("item fields " + top(e.itemFieldWeights()));
        }
        return String.join("; ", parts);
    }

    private static String top(List<Explanation.Weight> weights) {
        return weights.stream().limit(3).map(w -> String.format(java.util.Locale.ROOT, "%s %.2f", w.name(), w.value()))
                .collect(Collectors.joining(", "));
    }
}
