package dev.attentive.eval.tune;

/**
 * How much search every model gets — the same for each, so that no model wins by being searched
 * longer. A search stops at whichever limit comes first; a trial that has started always finishes, so
 * a time limit may be overrun by up to one trial. A search seed repeats the same trials in the same
 * order; under a time limit, how many of them run depends on the machine and its load.
 *
 * @param trials the most trials per model, at least 1
 * @param seconds the most wall-clock seconds per model (checked before each trial), or 0 for no limit
 */
public record Budget(int trials, double seconds) {
    /** Validates. */
    public Budget {
        if (trials < 1) {
            throw new IllegalArgumentException("The budget needs at least 1 trial, got " + trials);
        }
        if (!(seconds >= 0) || Double.isInfinite(seconds)) {
            throw new IllegalArgumentException("The budget's seconds must be 0 (no limit) or positive, got " + seconds);
        }
    }

    /**
     * A budget of trials alone.
     *
     * @param trials the most trials per model
     * @return the budget
     */
    public static Budget ofTrials(int trials) {
        return new Budget(trials, 0);
    }
}
