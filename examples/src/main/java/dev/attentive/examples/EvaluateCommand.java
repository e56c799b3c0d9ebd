package dev.attentive.examples;

import dev.attentive.api.spi.ProviderRegistry;
import dev.attentive.eval.data.Cleaning;
import dev.attentive.eval.runner.Datasets;
import dev.attentive.eval.runner.Experiment;
import dev.attentive.eval.runner.ExperimentResult;
import dev.attentive.eval.runner.ModelSpec;
import dev.attentive.eval.runner.Protocol;
import dev.attentive.examples.report.ExperimentReports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code evaluate}: trains and scores models on a dataset under a protocol and writes
 * {@code results.json}, {@code cleaning.json}, {@code report.md} and {@code report.html} (with PNG
 * plots) to {@code --out}. It prints each seed's table as models are scored, then the inputs each
 * model read and the paired significance tests; what a protocol filter dropped and a progress bar per
 * model training go with it unless {@code --quiet}. Model names and settings are checked before the
 * data is loaded.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Train and score models with full-catalogue ranking; write results.json and reports.")
final class EvaluateCommand implements Callable<Integer> {
    @ParentCommand
    AttentiveCli root;

    @Mixin
    DataOptions data;

    @Option(names = "--models", required = true, description = "Comma-separated specs, e.g. pop,ease,bpr[dim=32]; "
            + "a value a/b/c is a grid searched on validation")
    String models;

    @Option(names = "--seeds", defaultValue = "2020", split = ",", description = "Comma-separated seeds (default 2020)")
    List<Long> seeds = new ArrayList<>();

    @Option(names = "--out", description = "Output folder for results.json and reports (default: results/<dataset>)")
    Path out;


    @Option(names = "--sampled", defaultValue = "0", description = "Opt-in sampled ranking: rank each user's targets among "
            + "N negatives fixed by seed once per user (default 0: full-catalogue ranking)")
    int sampled;

    @Option(names = "--no-default-grids", description = "Do not search the built-in grids (ease lambda, itemknn neighbours/shrink)")
    boolean noDefaultGrids;

    @Override
    public Integer call() {
        CliOutput log = root.output();
        Protocol p = data.protocol();
        boolean validAsHistory = data.validAsHistory();
        List<ModelSpec> specs = ModelSpec.parseList(models);
        // Every model and setting is resolved before the data loads, so a typo fails in a second.
        Experiment.checkModels(specs, !noDefaultGrids, ProviderRegistry.models());
        Cleaning.Result cleaned = data.load(log);
        Experiment experiment = new Experiment(new Experiment.Config(data.dataset, cleaned.data(), p, specs, seeds, data.minRating, data.kCore,
                data.threads, !noDefaultGrids, sampled, validAsHistory));
        ExperimentProgress progress = new ExperimentProgress(log, specs, seeds.size(), true);
        ExperimentResult result;
        try {
            result = experiment.run(progress);
        } finally {
            progress.close();
        }
        ResultTables.printInputs(log, result, cleaned.data(), ProviderRegistry.models());
        ResultTables.printSignificance(log, result.comparisons());
        Path folder = out != null ? out : Path.of("results", Datasets.folderName(data.dataset));
        ExperimentReports.write(result, folder);
        try {
            Files.writeString(folder.resolve("cleaning.json"), cleaned.report().toJson());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + folder.resolve("cleaning.json"), e);
        }
        log.info("Wrote " + folder.resolve("results.json") + ", cleaning.json, report.md and report.html");
        return 0;
    }
}
