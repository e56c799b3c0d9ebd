package dev.attentive.examples;

import dev.attentive.api.spi.EpochStats;
import dev.attentive.eval.runner.ExperimentListener;
import dev.attentive.eval.runner.ExperimentResult;
import dev.attentive.eval.runner.ModelSpec;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/**
 * Prints an experiment's progress as the command line shows it: the filtered data, one header per
 * seed, one line per epoch and grid point, and one table row per scored model. Epochs may be reported
 * from training threads; {@link PrintStream} serialises whole lines, which is all this needs.
 */
final class ExperimentProgress implements ExperimentListener {
    private final PrintStream out;

    ExperimentProgress(PrintStream out) {
        this.out = out;
    }

    @Override
    public void filtered(String dataset, int users, int items, int interactions) {
        out.printf(Locale.ROOT, "%s after filtering: %,d users, %,d items, %,d interactions%n", dataset, users, items,
                interactions);
    }

    @Override
    public void seedStarted(long seed, int train, int valid, int test) {
        out.printf(Locale.ROOT, "seed %d: train %,d, valid %,d, test %,d%n", seed, train, valid, test);
        out.printf(Locale.ROOT, "  %-28s %9s %9s %9s %9s %8s %8s  %s%n", "model", "recall@10", "ndcg@10", "mrr@10",
                "hit@10", "train s", "eval s", "params");
    }

    @Override
    public void epoch(ModelSpec model, EpochStats s) {
        out.printf(Locale.ROOT, "    %s epoch %d loss %.4f%s%n", model.name(), s.epoch(), s.loss(),
                Double.isNaN(s.validation()) ? "" : String.format(Locale.ROOT, " valid ndcg@10 %.4f", s.validation()));
    }

    @Override
    public void gridPointScored(ModelSpec model, Map<String, String> settings, double validNdcg10, double trainSeconds) {
        out.printf(Locale.ROOT, "    %s %s: valid ndcg@10 %.4f (%.1f s)%n", model.name(), settings, validNdcg10,
                trainSeconds);
    }

    @Override
    public void modelScored(ModelSpec model, ExperimentResult.SeedResult r, int gridSize, double gridSeconds) {
        Map<String, Double> test = r.test();
        out.printf(Locale.ROOT, "  %-28s %9.4f %9.4f %9.4f %9.4f %8.1f %8.2f  %s%s%n", model.label(),
                test.get("recall@10"), test.get("ndcg@10"), test.get("mrr@10"), test.get("hit@10"),
                r.trainSeconds(), r.evalSeconds(), r.params(),
                gridSize > 1 ? String.format(Locale.ROOT, " (grid of %d: %.1f s)", gridSize, gridSeconds) : "");
    }
}
