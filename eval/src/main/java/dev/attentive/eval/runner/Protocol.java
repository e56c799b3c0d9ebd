package dev.attentive.eval.runner;

import dev.attentive.api.Dataset;
import dev.attentive.eval.split.Split;
import dev.attentive.eval.split.Splits;

/** How a filtered dataset is split for an experiment. */
public enum Protocol {
    /** RecBole's general-recommendation protocol: per-user random order, 80/10/10 by ratio ({@code RO_RS}). */
    RECBOLE,
    /** Temporal leave-one-out: per user, last item test, second-to-last validation. Needs timestamps. */
    LOO,
    /** Global temporal 80/10/10 split by time. Needs timestamps. */
    TEMPORAL;

    /**
     * Splits data.
     *
     * @param data the filtered dataset
     * @param seed the seed (used by {@link #RECBOLE})
     * @return the split
     */
    public Split split(Dataset data, long seed) {
        return switch (this) {
            case RECBOLE -> Splits.ratio(data, new double[] {0.8, 0.1, 0.1}, seed);
            case LOO -> Splits.leaveOneOut(data);
            case TEMPORAL -> Splits.globalTemporal(data, new double[] {0.8, 0.1, 0.1});
        };
    }
}
