package dev.attentive.examples;

import dev.attentive.api.Dataset;
import dev.attentive.eval.data.Cleaning;
import dev.attentive.eval.data.CleaningPolicy;
import dev.attentive.eval.runner.Datasets;
import dev.attentive.eval.runner.Experiment;
import dev.attentive.eval.runner.ExperimentResult;
import dev.attentive.eval.runner.ModelSpec;
import dev.attentive.eval.runner.Protocol;
import dev.attentive.examples.report.ExperimentReports;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code evaluate}: trains and scores models on a dataset under a protocol and writes
 * {@code results.json}, {@code cleaning.json}, {@code report.md} and {@code report.html} (with PNG
 * plots) to {@code --out}, printing progress as it goes.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Train and score models with full-catalogue ranking; write results.json and reports.")
final class EvaluateCommand implements Callable<Integer> {
    @Option(names = "--dataset", required = true, description = "ml-100k, ml-1m, ml-latest-small, synthetic or spec:FILE")
    String dataset;

    @Option(names = "--data-dir", description = "Folder holding one sub-folder per dataset (default: $ATTENTIVE_DATA_DIR)")
    Path dataDir;

    @Option(names = "--protocol", defaultValue = "recbole", description = "recbole (random 80/10/10 per user), loo or temporal")
    String protocol;

    @Option(names = "--models", required = true, description = "Comma-separated specs, e.g. pop,ease,bpr[dim=32]; "
            + "a value a/b/c is a grid searched on validation")
    String models;

    @Option(names = "--seeds", defaultValue = "2020", split = ",", description = "Comma-separated seeds (default 2020)")
    List<Long> seeds = new ArrayList<>();

    @Option(names = "--out", description = "Output folder for results.json and reports (default: results/<dataset>)")
    Path out;

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

    @Option(names = "--sampled", defaultValue = "0", description = "Opt-in sampled ranking: rank each user's targets among "
            + "N negatives fixed by seed once per user (default 0: full-catalogue ranking)")
    int sampled;

    @Option(names = "--no-default-grids", description = "Do not search the built-in grids (ease lambda, itemknn neighbours/shrink)")
    boolean noDefaultGrids;

    @Override
    public Integer call() throws Exception {
        PrintStream log = System.out;
        Protocol p;
        try {
            p = Protocol.valueOf(protocol.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Unknown protocol '" + protocol + "'; valid: recbole, loo, temporal");
        }
        List<ModelSpec> specs = ModelSpec.parseList(models);
        CleaningPolicy policy = CleaningPolicy.parse(clean);
        Cleaning.Result cleaned = Cleaning.apply(Datasets.load(dataset, dataDir), policy);
        cleaned.report().lines().forEach(log::println);
        Dataset data = cleaned.data();
        Experiment experiment = new Experiment(new Experiment.Config(dataset, data, p, specs, seeds, minRating, kCore,
                threads, !noDefaultGrids, sampled));
        experiment.validateModels();
        ExperimentResult result = experiment.run(new ExperimentProgress(log));
        Path folder = out != null ? out : Path.of("results", Datasets.folderName(dataset));
        ExperimentReports.write(result, folder);
        Files.writeString(folder.resolve("cleaning.json"), cleaned.report().toJson());
        log.println("Wrote " + folder.resolve("results.json") + ", cleaning.json, report.md and report.html");
        return 0;
    }
}
