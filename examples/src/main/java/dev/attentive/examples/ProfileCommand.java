package dev.attentive.examples;

import dev.attentive.api.Dataset;
import dev.attentive.eval.data.Cleaning;
import dev.attentive.eval.data.CleaningPolicy;
import dev.attentive.eval.profile.DatasetProfile;
import dev.attentive.eval.runner.Datasets;
import dev.attentive.examples.report.ProfileReports;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code profile}: loads and cleans a dataset, prints its profile (counts, sparsity, popularity long
 * tail, activity per user, rating distribution, time range, each feature's cardinality and missing
 * share) and writes {@code profile.json}, {@code profile.md} and {@code profile.html} with PNG plots
 * to {@code --out}.
 */
@Command(name = "profile", mixinStandardHelpOptions = true,
        description = "Profile a dataset: counts, sparsity, long tail, activity, ratings, time, features; with plots.")
final class ProfileCommand implements Callable<Integer> {
    @ParentCommand
    AttentiveCli root;

    @Option(names = "--dataset", required = true, description = "ml-100k, ml-1m, ml-latest-small, synthetic or spec:FILE")
    String dataset;

    @Option(names = "--data-dir", description = "Folder holding one sub-folder per dataset (default: $ATTENTIVE_DATA_DIR)")
    Path dataDir;

    @Option(names = "--out", description = "Output folder (default: results/<dataset>-profile)")
    Path out;

    @Option(names = "--clean", defaultValue = "", description = "Cleaning policy settings key=value,..., e.g. "
            + "duplicates=sum-weights,missingRows=drop,missingCategorical=missing-category,missingNumeric=median,activeUserCap=99")
    String clean;

    @Override
    public Integer call() {
        CliOutput log = root.output();
        CleaningPolicy policy = CleaningPolicy.parse(clean);
        Dataset raw = Datasets.load(dataset, dataDir);
        Cleaning.Result cleaned = Cleaning.apply(raw, policy);
        DatasetProfile profile = DatasetProfile.of(cleaned.data());
        ProfileReports.markdown(profile, cleaned.report()).lines().forEach(log::result);
        Path folder = out != null ? out : Path.of("results", Datasets.folderName(dataset) + "-profile");
        ProfileReports.write(profile, cleaned.report(), folder);
        log.info("Wrote " + folder.resolve("profile.json") + ", profile.md and profile.html");
        return 0;
    }
}
