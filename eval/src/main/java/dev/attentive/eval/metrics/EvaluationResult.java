package dev.attentive.eval.metrics;

import dev.attentive.api.UserId;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of evaluating one model on one split part: per-user values (aligned with
 * {@link #users()}) for the per-user metrics, and the summary (means, plus catalogue-level metrics
 * such as {@code coverage@10}, {@code avgpop@10} and {@code gini@10}). Immutable; the arrays are
 * not copied on access, so callers must not modify them.
 *
 * @param users the evaluated users (those with at least one relevant item), sorted
 * @param perUser metric key (e.g. {@code recall@10}) to per-user values
 * @param summary metric key to value (mean over users for per-user metrics)
 * @param seconds the wall-clock time of the evaluation
 */
public record EvaluationResult(List<UserId> users, Map<String, double[]> perUser, Map<String, Double> summary,
        double seconds) {
    /** Copies the maps. */
    public EvaluationResult {
        users = List.copyOf(users);
        perUser = Collections.unmodifiableMap(new LinkedHashMap<>(perUser));
        summary = Collections.unmodifiableMap(new LinkedHashMap<>(summary));
    }

    /**
     * A summary value.
     *
     * @param key the metric key, e.g. {@code ndcg@10}
     * @return the value
     * @throws IllegalArgumentException when the metric was not computed, listing those that were
     */
    public double get(String key) {
        Double v = summary.get(key);
        if (v == null) {
            throw new IllegalArgumentException("Metric '" + key + "' was not computed; available: " + summary.keySet());
        }
        return v;
    }

    /**
     * Per-user values of a metric.
     *
     * @param key the metric key
     * @return the values, aligned with {@link #users()}
     */
    public double[] values(String key) {
        double[] v = perUser.get(key);
        if (v == null) {
            throw new IllegalArgumentException("Per-user metric '" + key + "' was not computed; available: " + perUser.keySet());
        }
        return v;
    }
}
