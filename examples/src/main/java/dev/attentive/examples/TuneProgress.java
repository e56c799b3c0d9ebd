package dev.attentive.examples;

import dev.attentive.api.spi.EpochStats;
import dev.attentive.eval.tune.Budget;
import dev.attentive.eval.tune.ModelSearch;
import dev.attentive.eval.tune.Trial;
import dev.attentive.eval.tune.TuneListener;
import java.util.Locale;
import java.util.Map;

/**
 * Shows a search as the command line does: what each protocol filter dropped, the space, one line
 * per trial (numbered from 0, as in {@code results.json}) and the choice, with a progress bar over the
 * trials of each model whose text follows the running trial's epochs. Epochs may be reported from
 * training threads, hence the synchronized methods.
 */
final class TuneProgress implements TuneListener {
    private final CliOutput out;
    private CliOutput.Progress bar = CliOutput.Progress.NONE;
    private String best = "";

    TuneProgress(CliOutput out) {
        this.out = out;
    }

    @Override
    public void filterApplied(String filter, int before, int after) {
        ExperimentProgress.printFilter(out, filter, before, after);
    }

    @Override
    public synchronized void searchStarted(String label, Map<String, String> space, Budget budget) {
        out.infof("tuning %s: %d trials%s over %s", label, budget.trials(),
                budget.seconds() > 0 ? String.format(Locale.ROOT, " or %.0f s", budget.seconds()) : "",
                space.isEmpty() ? "{} (defaults only)" : space);
        best = "";
        bar = out.progress("tuning " + label, budget.trials(), "trials");
    }

    @Override
    public synchronized void epoch(String label, EpochStats stats) {
        bar.message(best + "epoch " + stats.epoch() + ", " + ExperimentProgress.describe(stats));
    }

    @Override
    public synchronized void trialScored(String label, Trial t, Budget budget) {
        if (t.succeeded()) {
            out.infof("  %s trial %d (%d of %d): valid ndcg@10 %.4f (best %.4f) %.1f s %s", label,
                    t.index(), t.index() + 1, budget.trials(), t.validNdcg10(), t.bestSoFar(), t.seconds(), t.settings());
        } else {
            out.infof("  %s trial %d (%d of %d) failed after %.1f s: %s %s", label, t.index(),
                    t.index() + 1, budget.trials(), t.seconds(), t.error(), t.settings());
        }
        if (!Double.isNaN(t.bestSoFar())) {
            best = String.format(Locale.ROOT, "best %.4f; ", t.bestSoFar());
        }
        bar.step();
        bar.message(best.isEmpty() ? "" : best.substring(0, best.length() - 2));
    }

    @Override
    public synchronized void searchFinished(ModelSearch s) {
        bar.close();
        bar = CliOutput.Progress.NONE;
        out.resultf("  %s chose trial %d: valid ndcg@10 %.4f %s (%d trials, %.1f s, stopped by %s)", s.label(),
                s.chosenTrial(), s.chosenValidNdcg10(), s.chosen(), s.trials().size(), s.seconds(), s.stoppedBy());
    }

    /** Takes a bar that a failed search left on screen off it. */
    synchronized void close() {
        bar.close();
        bar = CliOutput.Progress.NONE;
    }
}
