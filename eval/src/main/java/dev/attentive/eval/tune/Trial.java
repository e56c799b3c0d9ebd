package dev.attentive.eval.tune;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One point of a search: the settings tried, their validation NDCG@10 and the best score so far.
 * Holds no test metric: the search never computes one.
 *
 * @param index the trial's number, from 0
 * @param settings the settings tried (the searched and the fixed ones), in order
 * @param validNdcg10 validation NDCG@10, the mean over the tuning seeds; NaN when the trial failed
 * @param seconds wall-clock seconds of the trial (training and validation over every tuning seed)
 * @param bestSoFar the best validation NDCG@10 of trials 0..index (NaN while every trial failed)
 * @param error why the trial failed, or null when it did not
 */
public record Trial(int index, Map<String, String> settings, double validNdcg10, double seconds, double bestSoFar,
        String error) {
    /** Copies. */
    public Trial {
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }

    /**
     * Whether the trial trained and was scored.
     *
     * @return true unless it failed
     */
    public boolean succeeded() {
        return error == null;
    }
}
