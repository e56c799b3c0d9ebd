package dev.attentive.examples;

import dev.attentive.api.spi.EpochStats;
import dev.attentive.eval.runner.ExperimentListener;
import dev.attentive.eval.runner.ExperimentResult;
import dev.attentive.eval.runner.ModelSpec;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Shows an experiment as the command line does: what each protocol filter dropped, the filtered
 * data, one header per seed and one table row per scored model (results), grid points (narration),
 * and a progress bar per model training (run i of n, epochs, last loss and validation). Epochs may
 * be reported from training threads, hence the synchronized methods.
 */
final class ExperimentProgress implements ExperimentListener {
    private final CliOutput out;
    private final int runs;
    private final int labelWidth;
    private final boolean reportFilters;
    private int run;
    private CliOutput.Progress bar = CliOutput.Progress.NONE;

    /**
     * @param out where to print
     * @param models the models of the experiment (their labels head the table's rows)
     * @param seeds how many seeds, for "run i of n" (models times seeds)
     * @param reportFilters whether to print what the filters dropped (off where another listener
     *     already said so for the same data)
     */
    ExperimentProgress(CliOutput out, List<ModelSpec> models, int seeds, boolean reportFilters) {
        this.out = out;
        this.runs = models.size() * seeds;
        this.labelWidth = ResultTables.labelWidth(models.stream().map(ModelSpec::label).toList());
        this.reportFilters = reportFilters;
    }

    @Override
    public void filterApplied(String filter, int before, int after) {
        if (reportFilters) {
            printFilter(out, filter, before, after);
        }
    }

    /** {@code filter: min rating 3 dropped 12,345 of 100,000 interactions (12.3 %)}, when it dropped any. */
    static void printFilter(CliOutput out, String filter, int before, int after) {
        if (after < before) {
            out.infof("filter: %s dropped %,d of %,d interactions (%.1f %%)", filter, before - after, before,
                    100.0 * (before - after) / before);
        }
    }

    @Override
    public void filtered(String dataset, int users, int items, int interactions) {
        out.infof("%s after filtering: %,d users, %,d items, %,d interactions", dataset, users, items, interactions);
    }

    @Override
    public void seedStarted(long seed, int train, int valid, int test) {
        out.resultf("seed %d: train %,d, valid %,d, test %,d", seed, train, valid, test);
        out.resultf("  %-" + labelWidth + "s %9s %9s %9s %9s %8s %8s  %s", "model", "recall@10", "ndcg@10", "mrr@10", "hit@10",
                "train s", "eval s", "params");
    }

    @Override
    public synchronized void trainingStarted(ModelSpec model, long seed, Map<String, String> settings, int gridPoint,
            int gridSize) {
        bar.close();
        if (gridPoint == 0) {
            run++;
        }
        String task = String.format(Locale.ROOT, "[%d/%d] %s seed %d%s", run, runs, model.label(), seed,
                gridSize > 1 ? String.format(Locale.ROOT, " grid %d/%d", gridPoint + 1, gridSize) : "");
        bar = out.progress(task, epochs(settings), "epochs");
    }

    /** The epochs a config asks for, or -1 when it has no such setting. */
    static long epochs(Map<String, String> settings) {
        try {
            return Long.parseLong(settings.getOrDefault("epochs", "-1"));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public synchronized void epoch(ModelSpec model, EpochStats s) {
        bar.stepTo(s.epoch());
        bar.message(describe(s));
    }

    /** {@code loss 6.1038, valid ndcg@10 0.2631}; no validation part when none was measured. */
    static String describe(EpochStats s) {
        return String.format(Locale.ROOT, "loss %.4f%s", s.loss(),
                Double.isNaN(s.validation()) ? "" : String.format(Locale.ROOT, ", valid ndcg@10 %.4f", s.validation()));
    }

    @Override
    public synchronized void gridPointScored(ModelSpec model, Map<String, String> settings, double validNdcg10,
            double trainSeconds) {
        bar.close();
        bar = CliOutput.Progress.NONE;
        out.infof("    %s %s: %s (%.1f s)", model.name(), settings,
                Double.isNaN(validNdcg10) ? "no validation" : String.format(Locale.ROOT, "valid ndcg@10 %.4f", validNdcg10),
                trainSeconds);
    }

    @Override
    public synchronized void modelScored(ModelSpec model, ExperimentResult.SeedResult r, int gridSize, double gridSeconds) {
        bar.close();
        bar = CliOutput.Progress.NONE;
        Map<String, Double> test = r.test();
        out.resultf("  %-" + labelWidth + "s %9.4f %9.4f %9.4f %9.4f %8.1f %8.2f  %s%s", model.label(),
                test.get("recall@10"), test.get("ndcg@10"), test.get("mrr@10"), test.get("hit@10"),
                r.trainSeconds(), r.evalSeconds(), r.params(),
                gridSize > 1 ? String.format(Locale.ROOT, " (grid of %d: %.1f s)", gridSize, gridSeconds) : "");
    }

    /** Takes a bar that a failed run left on screen off it. */
    synchronized void close() {
        bar.close();
        bar = CliOutput.Progress.NONE;
    }
}
