package dev.attentive.examples;

import dev.attentive.eval.data.Cleaning;
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
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code evaluate}: trains and scores models on a dataset under a protocol and writes
 * {@code results.json}, {@code cleaning.json}, {@code report.md} and {@code report.html} (with PNG
 * plots) to {@code --out}, printing progress as it goes.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Train and score models with full-catalogue ranking; write results.json and reports.")
final class EvaluateCommand implements Callable<Integer> {
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
    public Integer call() throws Exception {
        PrintStream log = System.out;
        Protocol p = data.protocol();
        List<ModelSpec> specs = ModelSpec.parseList(models);
        Cleaning.Result cleaned = data.load(log);
        Experiment experiment = new Experiment(new Experiment.Config(data.dataset, cleaned.data(), p, specs, seeds, data.minRating, data.kCore,
                data.threads, !noDefaultGrids, sampled));
        experiment.validateModels();
        ExperimentResult result = experiment.run(new ExperimentProgress(log));
        Path folder = out != null ? out : Path.of("results", Datasets.folderName(data.dataset));
        ExperimentReports.write(result, folder);
        Files.writeString(folder.resolve("cleaning.json"), cleaned.report().toJson());
        log.println("Wrote " + folder.resolve("results.json") + ", cleaning.json, report.md and report.html");
        return 0;
    }
}
