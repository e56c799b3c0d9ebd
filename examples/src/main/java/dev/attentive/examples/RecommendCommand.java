package dev.attentive.examples;

import dev.attentive.api.Dataset;
import dev.attentive.api.Explanation;
import dev.attentive.api.Interaction;
import dev.attentive.api.ItemId;
import dev.attentive.api.Recommendation;
import dev.attentive.api.RecommendationRequest;
import dev.attentive.api.Recommender;
import dev.attentive.api.UserId;
import dev.attentive.api.spi.ProviderRegistry;
import dev.attentive.api.spi.TrainingContext;
import dev.attentive.eval.runner.Datasets;
import dev.attentive.eval.runner.ModelSpec;
import dev.attentive.eval.split.Filters;
import dev.attentive.model.TwoTowerModels;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Trains a model on a dataset and prints recommendations for one user, optionally with the
 * explanation of each (attention weights of both towers and each field's contribution to the score).
 */
@Command(name = "recommend", mixinStandardHelpOptions = true,
        description = "Train a model on a dataset and recommend for one user, optionally explained.")
final class RecommendCommand implements Callable<Integer> {
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
        PrintStream out = System.out;
        Dataset loaded = Datasets.load(dataset, dataDir);
        Dataset data = loaded.interactions().stream().anyMatch(i -> i.weight() != 1f)
                ? Filters.ratingAtLeast(loaded, 3) : loaded;
        UserId id = UserId.of(user);
        List<Interaction> history = data.interactions().stream().filter(i -> i.user().equals(id))
                .sorted(Comparator.comparingLong(Interaction::timestamp).reversed()).toList();
        if (history.isEmpty()) {
            throw new IllegalArgumentException("User '" + user + "' has no interactions in " + dataset
                    + " (after keeping ratings >= 3); pass a user id that occurs in the data");
        }
        try (Recommender recommender = trainOrLoad(data, out)) {
            out.printf("%nUser %s: %s%n", user, DemoCommand.show(data.users().get(id)));
            out.printf("Recently: %s%n", history.stream().limit(5)
                    .map(i -> i.item() + " (" + title(data, i.item()) + ")").toList());
            List<Recommendation> recommendations = recommender.recommend(
                    RecommendationRequest.forUser(id).k(k).explain(explain).build());
            int rank = 1;
            for (Recommendation r : recommendations) {
                out.printf(Locale.ROOT, "%2d. %-6s %7.4f  %s%n", rank++, r.item(), r.score(), title(data, r.item()));
                if (explain) {
                    r.explanation().ifPresent(e -> print(out, e, data));
                }
            }
        }
        return 0;
    }

    private Recommender trainOrLoad(Dataset data, PrintStream out) throws IOException {
        if (load != null) {
            out.printf("Loading the model saved in %s...%n", load);
            return TwoTowerModels.load(load);
        }
        ModelSpec spec = ModelSpec.parse(model);
        out.printf(Locale.ROOT, "Training %s on %s (%,d interactions)...%n", spec.label(), dataset, data.interactions().size());
        var context = new TrainingContext(seed, Runtime.getRuntime().availableProcessors(), r -> Double.NaN, s -> { });
        Recommender trained = ProviderRegistry.models().get(spec.name()).train(data, spec.settings(), context);
        if (save != null) {
            TwoTowerModels.save(trained, save);
            out.printf("Saved the model to %s%n", save);
        }
        return trained;
    }

    private static String title(Dataset data, ItemId item) {
        return DemoCommand.show(data.items().get(item));
    }

    private static void print(PrintStream out, Explanation e, Dataset data) {
        out.printf("      user fields: %s%n", weights(e.userFieldWeights(), 6));
        if (!e.historyItems().isEmpty()) {
            out.printf("      because of:  %s%n", weights(e.historyItems(), 3));
        }
        out.printf("      item fields: %s%n", weights(e.itemFieldWeights(), 6));
        double sum = e.contributions().stream().mapToDouble(Explanation.Weight::value).sum();
        out.printf(Locale.ROOT, "      score = %s = %.4f%n", weights(e.contributions(), 8), sum);
    }

    private static String weights(List<Explanation.Weight> weights, int limit) {
        StringBuilder sb = new StringBuilder();
        for (Explanation.Weight w : weights.subList(0, Math.min(limit, weights.size()))) {
            if (!sb.isEmpty()) {
                sb.append(", ");
            }
            sb.append(String.format(Locale.ROOT, "%s %.3f", w.name(), w.value()));
        }
        return sb.toString();
    }
}
