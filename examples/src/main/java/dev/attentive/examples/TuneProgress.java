package dev.attentive.examples;

import dev.attentive.eval.tune.Budget;
import dev.attentive.eval.tune.ModelSearch;
import dev.attentive.eval.tune.Trial;
import dev.attentive.eval.tune.TuneListener;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/**
 * Prints a search as the command line shows it: the space, one line per trial (numbered from 0, as in
 * {@code results.json}) and the choice.
 */
final class TuneProgress implements TuneListener {
    private final PrintStream out;

    TuneProgress(PrintStream out) {
        this.out = out;
    }

    @Override
    public void searchStarted(String label, Map<String, String> space, Budget budget) {
        out.printf(Locale.ROOT, "tuning %s: %d trials%s over %s%n", label, budget.trials(),
                budget.seconds() > 0 ? String.format(Locale.ROOT, " or %.0f s", budget.seconds()) : "",
                space.isEmpty() ? "{} (defaults only)" : space);
    }

    @Override
    public void trialScored(String label, Trial t, Budget budget) {
        if (t.succeeded()) {
            out.printf(Locale.ROOT, "  %s trial %d (%d of %d): valid ndcg@10 %.4f (best %.4f) %.1f s %s%n", label,
                    t.index(), t.index() + 1, budget.trials(), t.validNdcg10(), t.bestSoFar(), t.seconds(), t.settings());
        } else {
            out.printf(Locale.ROOT, "  %s trial %d (%d of %d) failed after %.1f s: %s %s%n", label, t.index(),
                    t.index() + 1, budget.trials(), t.seconds(), t.error(), t.settings());
        }
    }

    @Override
    public void searchFinished(ModelSearch s) {
        out.printf(Locale.ROOT, "  %s chose trial %d: valid ndcg@10 %.4f %s (%d trials, %.1f s, stopped by %s)%n", s.label(),
                s.chosenTrial(), s.chosenValidNdcg10(), s.chosen(), s.trials().size(), s.seconds(), s.stoppedBy());
    }
}
