package dev.attentive.eval.runner;

import dev.attentive.api.spi.EpochStats;
import java.util.Map;

/**
 * What an {@link Experiment} reports while it runs, as data: the library formats nothing and prints
 * nothing, so a command line can draw a table and a host can log or ignore it. Every method has an
 * empty default; implement the ones of interest.
 *
 * <p>Events arrive in run order on the thread that called {@link Experiment#run(ExperimentListener)},
 * except {@link #epoch}, which a model provider may report from its own training threads; an
 * implementation that keeps state across events must make {@code epoch} safe for that. An exception
 * thrown by a listener aborts the run.
 */
public interface ExperimentListener {
    /** A listener that ignores every event. */
    ExperimentListener NONE = new ExperimentListener() {
    };

    /**
     * One filter of the protocol was applied to the data, whether or not it dropped anything.
     *
     * @param filter what it keeps, e.g. {@code min rating 3} or {@code 10-core}
     * @param before interactions before it
     * @param after interactions after it
     * @since 0.2.0
     */
    default void filterApplied(String filter, int before, int after) {
    }

    /**
     * The data was filtered (rating threshold, k-core) and is about to be split.
     *
     * @param dataset the dataset's name
     * @param users distinct users left
     * @param items distinct items left
     * @param interactions interactions left
     */
    default void filtered(String dataset, int users, int items, int interactions) {
    }

    /**
     * A seed's split is ready and its models are about to be trained.
     *
     * @param seed the seed
     * @param train training interactions
     * @param valid validation interactions
     * @param test test interactions
     */
    default void seedStarted(long seed, int train, int valid, int test) {
    }

    /**
     * A model is about to be trained on a seed's training split with one setting of its grid.
     *
     * @param model the spec
     * @param seed the seed
     * @param settings every setting of the model's config as it will be trained (defaults included),
     *     e.g. {@code epochs}
     * @param gridPoint which setting of the grid, from 0
     * @param gridSize how many settings the grid has (1 without a grid)
     * @since 0.2.0
     */
    default void trainingStarted(ModelSpec model, long seed, Map<String, String> settings, int gridPoint, int gridSize) {
    }

    /**
     * A model provider finished a training epoch.
     *
     * @param model the spec being trained
     * @param stats what the provider reported
     */
    default void epoch(ModelSpec model, EpochStats stats) {
    }

    /**
     * One setting of a grid was trained and scored on validation; called only for specs whose grid
     * holds more than one setting.
     *
     * @param model the spec
     * @param settings the grid point (key to value)
     * @param validNdcg10 validation NDCG@10, NaN when the split has no validation part
     * @param trainSeconds its training time in seconds
     */
    default void gridPointScored(ModelSpec model, Map<String, String> settings, double validNdcg10, double trainSeconds) {
    }

    /**
     * A model's chosen setting was scored on test for one seed.
     *
     * @param model the spec
     * @param result the chosen settings, validation and test metrics and timings
     * @param gridSize how many settings were searched (1 without a grid)
     * @param gridSeconds total training time of the search in seconds
     */
    default void modelScored(ModelSpec model, ExperimentResult.SeedResult result, int gridSize, double gridSeconds) {
    }
}
