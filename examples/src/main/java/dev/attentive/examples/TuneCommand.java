package dev.attentive.examples;

import dev.attentive.api.spi.ProviderRegistry;
import dev.attentive.eval.data.Cleaning;
import dev.attentive.eval.runner.Datasets;
import dev.attentive.eval.runner.Experiment;
import dev.attentive.eval.runner.ModelSpec;
import dev.attentive.eval.runner.Protocol;
import dev.attentive.eval.tune.Budget;
import dev.attentive.eval.tune.SearchSpace;
import dev.attentive.eval.tune.TuneResult;
import dev.attentive.eval.tune.Tuner;
import dev.attentive.examples.report.TuneReports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code tune}: searches each model's settings at random under one budget, chooses on validation
 * NDCG@10 of the tuning seeds, then scores the chosen settings on the test seeds as {@code evaluate}
 * does, writing {@code results.json} (with the search), {@code cleaning.json}, {@code report.md},
 * {@code report.html} and plots (with {@code search-curve.png}) to {@code --out}.
 */
@Command(name = "tune", mixinStandardHelpOptions = true,
        description = "Random search of every model's settings under one budget, chosen on validation NDCG@10; "
                + "then score the chosen settings on test like evaluate.")
final class TuneCommand implements Callable<Integer> {
    @ParentCommand
    AttentiveCli root;

    @Mixin
    DataOptions data;

    @Option(names = "--models", required = true, description = "Comma-separated specs, e.g. two-tower,ease,itemknn,bpr; "
            + "a setting given in brackets is fixed for every trial, a value a/b/c is searched as a choice")
    String models;

    @Option(names = "--trials", defaultValue = "20", description = "Most trials per model, the same for every model (default 20)")
    int trials;

    @Option(names = "--seconds", defaultValue = "0", description = "Most seconds of search per model, checked before each "
            + "trial (default 0: no limit)")
    double seconds;

    @Option(names = "--tune-seeds", defaultValue = "2020", split = ",", description = "Seeds whose validation parts "
            + "score the trials (default 2020)")
    List<Long> tuneSeeds = new ArrayList<>();

    @Option(names = "--seeds", defaultValue = "2020", split = ",", description = "Seeds on which the chosen settings are "
            + "scored on test (default 2020)")
    List<Long> seeds = new ArrayList<>();

    @Option(names = "--search-seed", defaultValue = "1", description = "Seed of the random search (default 1)")
    long searchSeed;

    @Option(names = "--space", description = "JSON file of search space overrides: {\"MODEL\": {\"KEY\": \"loguniform(lo,hi)\" "
            + "| [choices] | value}}")
    Path spaceFile;

    @Option(names = "--param", description = "A search space override MODEL.KEY=EXPR, repeatable; EXPR is choice(a,b), "
            + "int(lo,hi), intlog(lo,hi), uniform(lo,hi), loguniform(lo,hi) or a fixed value")
    List<String> params = new ArrayList<>();

    @Option(names = "--no-defaults-trial", description = "Draw trial 0 at random instead of running the model's defaults")
    boolean noDefaultsTrial;

    @Option(names = "--out", description = "Output folder (default: results/<dataset>-tune)")
    Path out;

    @Override
    public Integer call() {
        CliOutput log = root.output();
        Protocol p = data.protocol();
        boolean validAsHistory = data.validAsHistory();
        List<ModelSpec> specs = ModelSpec.parseList(models);
        Map<String, Map<String, String>> overrides = spaceFile != null
                ? new LinkedHashMap<>(SearchSpace.readOverrides(spaceFile)) : new LinkedHashMap<>();
        for (String param : params) {
            int eq = param.indexOf('=');
            int dot = param.indexOf('.');
            if (eq < 0 || dot <= 0 || dot > eq - 2) {
                throw new IllegalArgumentException("--param '" + param + "' must be written MODEL.KEY=EXPR, e.g. "
                        + "two-tower.lr=loguniform(0.001,0.05)");
            }
            overrides.computeIfAbsent(param.substring(0, dot).trim().toLowerCase(Locale.ROOT), k -> new LinkedHashMap<>())
                    .put(param.substring(dot + 1, eq).trim(), param.substring(eq + 1).trim());
        }
        Budget budget = new Budget(trials, seconds);
        // Every model and search space entry is resolved before the data loads.
        Tuner.check(specs, overrides, ProviderRegistry.models());
        Cleaning.Result cleaned = data.load(log);
        Experiment.Config experiment = new Experiment.Config(data.dataset, cleaned.data(), p, specs, seeds, data.minRating, data.kCore,
                data.threads, false, 0, validAsHistory);
        Tuner tuner = new Tuner(new Tuner.Config(experiment, tuneSeeds, budget, searchSeed, overrides, !noDefaultsTrial));
        TuneProgress progress = new TuneProgress(log);
        // The search already said what the filters dropped; the test run filters the same data again.
        ExperimentProgress testProgress = new ExperimentProgress(log, specs, seeds.size(), false);
        TuneResult result;
        try {
            result = tuner.run(progress, testProgress);
        } finally {
            progress.close();
            testProgress.close();
        }
        ResultTables.printInputs(log, result.test(), cleaned.data(), ProviderRegistry.models());
        ResultTables.printSignificance(log, result.test().comparisons());
        Path folder = out != null ? out : Path.of("results", Datasets.folderName(data.dataset) + "-tune");
        TuneReports.write(result, folder);
        try {
            Files.writeString(folder.resolve("cleaning.json"), cleaned.report().toJson());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + folder.resolve("cleaning.json"), e);
        }
        log.info("Wrote " + folder.resolve("results.json") + ", cleaning.json, report.md and report.html");
        return 0;
    }
}
