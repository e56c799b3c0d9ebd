package dev.attentive.examples;

import dev.attentive.eval.data.Cleaning;
import dev.attentive.eval.data.CleaningPolicy;
import dev.attentive.eval.runner.Datasets;
import dev.attentive.eval.runner.Protocol;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * The dataset, protocol and filtering options that {@code evaluate} and {@code tune} share (a
 * picocli mixin), and the loading and cleaning they both do with them.
 */
final class DataOptions {
    @Option(names = "--dataset", required = true, description = "ml-100k, ml-1m, ml-latest-small, synthetic or spec:FILE")
    String dataset;

    @Option(names = "--data-dir", description = "Folder holding one sub-folder per dataset (default: $ATTENTIVE_DATA_DIR)")
    Path dataDir;

    @Option(names = "--protocol", defaultValue = "recbole", description = "recbole (random 80/10/10 per user), loo or temporal")
    String protocol;

    @Option(names = "--min-rating", defaultValue = "3", description = "Ratings below this are dropped (explicit data only; default 3)")
    double minRating;

    @Option(names = "--k-core", defaultValue = "10", description = "Iterative k-core on users and items (default 10; 1 = none)")
    int kCore;

    @Option(names = "--threads", description = "Threads (default: all processors)")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--clean", defaultValue = "", description = "Cleaning policy settings key=value,... applied after "
            + "loading, e.g. duplicates=sum-weights,missingRows=drop (default: keep the latest duplicate, fail on rows "
            + "missing from feature tables)")
    String clean;

    @Option(names = "--test-history", defaultValue = "train", description = "What a test request tells the model the user "
            + "did: train (the training interactions; default) or train+valid (also the validation interactions, merged "
            + "in time order; under loo they are the latest: sequential leave-one-out as SASRec and RecBole evaluate "
            + "it). Validation items stay excluded from the test ranking either way")
    String testHistory;

    /** Whether {@code --test-history} is {@code train+valid}, or an error naming the valid values. */
    boolean validAsHistory() {
        return switch (testHistory.trim().toLowerCase(Locale.ROOT)) {
            case "train" -> false;
            case "train+valid" -> true;
            default -> throw new IllegalArgumentException("Unknown --test-history '" + testHistory
                    + "'; valid: train, train+valid");
        };
    }

    /** The protocol named by {@code --protocol}, or an error listing the valid ones. */
    Protocol protocol() {
        try {
            return Protocol.valueOf(protocol.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Unknown protocol '" + protocol + "'; valid: recbole, loo, temporal");
        }
    }

    /** Loads the dataset, applies the cleaning policy and prints its report as narration. */
    Cleaning.Result load(CliOutput log) {
        CleaningPolicy policy = CleaningPolicy.parse(clean);
        Cleaning.Result cleaned = Cleaning.apply(Datasets.load(dataset, dataDir), policy);
        cleaned.report().lines().forEach(log::info);
        return cleaned;
    }
}
