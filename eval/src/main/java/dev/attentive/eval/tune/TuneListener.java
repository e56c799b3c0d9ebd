package dev.attentive.eval.tune;

import dev.attentive.api.spi.EpochStats;
import java.util.Map;

/**
 * What a {@link Tuner} reports while it searches, as data: the library prints nothing. Every method
 * has an empty default. Events arrive in order on the searching thread, except {@link #epoch}, which
 * a model provider may report from its training threads. An exception thrown by a listener aborts the
 * search.
 */
public interface TuneListener {
    /** A listener that ignores every event. */
    TuneListener NONE = new TuneListener() {
    };

    /**
     * One filter of the protocol was applied to the data before the search, whether or not it dropped
     * anything (see {@code ExperimentListener.filterApplied}).
     *
     * @param filter what it keeps, e.g. {@code min rating 3} or {@code 10-core}
     * @param before interactions before it
     * @param after interactions after it
     * @since 0.2.0
     */
    default void filterApplied(String filter, int before, int after) {
    }

    /**
     * A model's search is about to start.
     *
     * @param label the model spec as written
     * @param space the searched dimensions as text
     * @param budget the budget, the same for every model
     */
    default void searchStarted(String label, Map<String, String> space, Budget budget) {
    }

    /**
     * A provider finished an epoch of a trial's training.
     *
     * @param label the model spec as written
     * @param stats what the provider reported
     */
    default void epoch(String label, EpochStats stats) {
    }

    /**
     * A trial was trained and scored on validation (or failed).
     *
     * @param label the model spec as written
     * @param trial the trial
     * @param budget the budget
     */
    default void trialScored(String label, Trial trial, Budget budget) {
    }

    /**
     * A model's search finished.
     *
     * @param search its trials and choice
     */
    default void searchFinished(ModelSearch search) {
    }
}
