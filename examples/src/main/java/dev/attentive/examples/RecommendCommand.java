package dev.attentive.examples;

import dev.attentive.api.Dataset;
import dev.attentive.api.Explanation;
import dev.attentive.api.Interaction;
import dev.attentive.api.ItemId;
import dev.attentive.api.Recommendation;
import dev.attentive.api.RecommendationRequest;
import dev.attentive.api.Recommender;
import dev.attentive.api.UserId;
import dev.attentive.api.spi.Configs;
import dev.attentive.api.spi.ProviderRegistry;
import dev.attentive.api.spi.TrainingContext;
import dev.attentive.eval.runner.Datasets;
import dev.attentive.eval.runner.Experiment;
import dev.attentive.eval.runner.ModelSpec;
import dev.attentive.eval.split.Filters;
import dev.attentive.model.TwoTowerModels;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * Trains a model on a dataset and prints recommendations for one user, optionally with the
 * explanation of each (attention weights of both towers and each field's contribution to the score).
 */
@Command(name = "recommend", mixinStandardHelpOptions = true,
        description = "Train a model on a dataset and recommend for one user, optionally explained.")
final class RecommendCommand implements Callable<Integer> {
    @ParentCommand
    AttentiveCli root;

    @Option(names = "--dataset", defaultValue = "synthetic", description = "ml-100k, ml-1m, ml-latest-small or synthetic (default)")
    String dataset;

    @Option(names = "--data-dir", description = "Folder holding one sub-folder per dataset (default: $ATTENTIVE_DATA_DIR)")
    Path dataDir;

    @Option(names = "--user", required = true, description = "The user id, as in the dataset")
    String user;

    @Option(names = "--model", defaultValue = "two-tower[attention=attention-pooling]", description = "Model spec (default: ${DEFAULT-VALUE})")
    String model;

    @Option(names = "-k", defaultValue = "10", description = "How many recommendations (default 10)")
    int k;

    @Option(names = "--explain", description = "Print each recommendation's explanation")
    boolean explain;

    @Option(names = "--seed", defaultValue = "2020", description = "Training seed (default 2020)")
    long seed;

    @Option(names = "--save", description = "Save the trained model (two-tower or two-stage) to this folder")
    Path save;

    @Option(names = "--load", description = "Load a saved model (two-tower or two-stage) from this folder instead of training")
    Path load;

    @Override
    public Integer call() throws IOException {
        CliOutput out = root.output();
        ModelSpec spec = ModelSpec.parse(model);
        if (load == null) {
            // The model is resolved before the data loads, so a typo fails in a second.
            Experiment.checkModels(List.of(spec), false, ProviderRegistry.models());
        }
        Dataset loaded = Datasets.load(dataset, dataDir);
        Dataset data = loaded.interactions().stream().anyMatch(i -> i.weight() != 1f)
                ? Filters.ratingAtLeast(loaded, 3) : loaded;
        ExperimentProgress.printFilter(out, "min rating 3", loaded.interactions().size(), data.interactions().size());
        UserId id = UserId.of(user);
        List<Interaction> history = data.interactions().stream().filter(i -> i.user().equals(id))
                .sorted(Comparator.comparingLong(Interaction::timestamp).reversed()).toList();
        if (history.isEmpty()) {
            throw new IllegalArgumentException("User '" + user + "' has no interactions in " + dataset
                    + " (after keeping ratings >= 3); pass a user id that occurs in the data");
        }
        try (Recommender recommender = trainOrLoad(data, spec, out)) {
            out.resultf("%nUser %s: %s", user, DemoCommand.show(data.users().get(id)));
            out.resultf("Recently: %s", history.stream().limit(5)
                    .map(i -> i.item() + " (" + title(data, i.item()) + ")").toList());
            List<Recommendation> recommendations = recommender.recommend(
                    RecommendationRequest.forUser(id).k(k).explain(explain).build());
            int rank = 1;
            for (Recommendation r : recommendations) {
                out.resultf("%2d. %-6s %7.4f  %s", rank++, r.item(), r.score(), title(data, r.item()));
                if (explain) {
                    r.explanation().ifPresent(e -> print(out, e));
                }
            }
        }
        return 0;
    }

    private Recommender trainOrLoad(Dataset data, ModelSpec spec, CliOutput out) throws IOException {
        if (load != null) {
            out.infof("Loading the model saved in %s...", load);
            return TwoTowerModels.load(load);
        }
        out.infof("Training %s on %s (%,d interactions)...", spec.label(), dataset, data.interactions().size());
        var provider = ProviderRegistry.models().get(spec.name());
        Recommender trained;
        try (CliOutput.Progress bar = out.progress("training " + spec.label(),
                ExperimentProgress.epochs(Configs.settings(provider.configure(spec.settings()))), "epochs")) {
            var context = new TrainingContext(seed, Runtime.getRuntime().availableProcessors(), r -> Double.NaN, s -> {
                bar.stepTo(s.epoch());
                bar.message(ExperimentProgress.describe(s));
            });
            trained = provider.train(data, spec.settings(), context);
        }
        if (save != null) {
            TwoTowerModels.save(trained, save);
            out.infof("Saved the model to %s", save);
        }
        return trained;
    }

    private static String title(Dataset data, ItemId item) {
        return DemoCommand.show(data.items().get(item));
    }

    private static void print(CliOutput out, Explanation e) {
        out.resultf("      user fields: %s", weights(e.userFieldWeights(), 6));
        if (!e.historyItems().isEmpty()) {
            out.resultf("      because of:  %s", weights(e.historyItems(), 3));
        }
        out.resultf("      item fields: %s", weights(e.itemFieldWeights(), 6));
        double sum = e.contributions().stream().mapToDouble(Explanation.Weight::value).sum();
        out.resultf("      score = %s = %.4f", weights(e.contributions(), 8), sum);
    }

    private static String weights(List<Explanation.Weight> weights, int limit) {
        StringBuilder sb = new StringBuilder();
        for (Explanation.Weight w : weights.subList(0, Math.min(limit, weights.size()))) {
            if (!sb.isEmpty()) {
                sb.append(", ");
            }
            sb.append(String.format(java.util.Locale.ROOT, "%s %.3f", w.name(), w.value()));
        }
        return sb.toString();
    }
}
