package dev.attentive.eval.data;

import dev.attentive.api.spi.ConfigException;
import dev.attentive.api.spi.Configs;
import java.util.Map;

/**
 * How {@link Cleaning} validates and cleans a loaded dataset. Every policy is explicit and every
 * change it makes is counted in a {@link CleaningReport}. Settings can be written as
 * {@code key=value} pairs (see {@link #parse}), e.g. {@code duplicates=sum-weights,activeUserCap=99}.
 *
 * @param duplicates what to do with several interactions of one user with one item (default
 *     {@link Duplicates#KEEP_LATEST})
 * @param missingRows what to do with interactions whose user or item has no row in a non-empty
 *     feature table (default {@link MissingRows#FAIL})
 * @param missingCategorical how a categorical or multi-valued field missing from a row is filled
 *     (default {@link MissingCategorical#ABSENT}: left missing)
 * @param missingNumeric how a numeric field missing from a row is filled (default
 *     {@link MissingNumeric#ABSENT}: left missing)
 * @param minRating the lowest valid interaction weight, or NaN for no bound (default NaN)
 * @param maxRating the highest valid interaction weight, or NaN for no bound (default NaN)
 * @param minTimestamp the earliest valid timestamp in epoch seconds (default {@code Long.MIN_VALUE}:
 *     no bound); interactions without a timestamp are never out of range
 * @param maxTimestamp the latest valid timestamp in epoch seconds (default {@code Long.MAX_VALUE})
 * @param outOfRange what to do with an interaction whose rating or timestamp is out of range
 *     (default {@link OutOfRange#FAIL})
 * @param activeUserCap a percentile in (0, 100) of interactions per user: users above it keep only
 *     their latest interactions up to that count; NaN (the default) caps nobody
 */
public record CleaningPolicy(Duplicates duplicates, MissingRows missingRows, MissingCategorical missingCategorical,
        MissingNumeric missingNumeric, double minRating, double maxRating, long minTimestamp, long maxTimestamp,
        OutOfRange outOfRange, double activeUserCap) {

    /** The category that {@link MissingCategorical#MISSING_CATEGORY} puts into a missing field. */
    public static final String MISSING = "(missing)";

    /** Several interactions of one user with one item. */
    public enum Duplicates {
        /** Keep them all. */
        KEEP_ALL,
        /** Keep the latest (largest timestamp; without timestamps, the last in the source). */
        KEEP_LATEST,
        /** Merge them into one at the latest position whose weight is the sum of their weights. */
        SUM_WEIGHTS
    }

    /** Interactions whose user or item has no feature row. */
    public enum MissingRows {
        /** Fail, naming how many and a few examples. */
        FAIL,
        /** Drop them and count them. */
        DROP,
        /** Keep them (the model sees no features for that user or item). */
        KEEP
    }

    /** A missing categorical or multi-valued field. */
    public enum MissingCategorical {
        /** Leave it missing. */
        ABSENT,
        /** Fill it with the explicit category {@link #MISSING}. */
        MISSING_CATEGORY
    }

    /** A missing numeric field. */
    public enum MissingNumeric {
        /** Leave it missing. */
        ABSENT,
        /** Fill it with the mean of the field's present values in the table. */
        MEAN,
        /** Fill it with the median of the field's present values in the table. */
        MEDIAN
    }

    /** An out-of-range rating or timestamp. */
    public enum OutOfRange {
        /** Fail, naming the first offending interaction. */
        FAIL,
        /** Drop it and count it. */
        DROP
    }

    /** Validates, reporting every problem at once. */
    public CleaningPolicy {
        var p = new ConfigException.Problems("clean");
        p.check(duplicates != null, "duplicates is required (keep-all, keep-latest or sum-weights)");
        p.check(missingRows != null, "missingRows is required (fail, drop or keep)");
        p.check(missingCategorical != null, "missingCategorical is required (absent or missing-category)");
        p.check(missingNumeric != null, "missingNumeric is required (absent, mean or median)");
        p.check(outOfRange != null, "outOfRange is required (fail or drop)");
        p.check(!Double.isInfinite(minRating), "minRating must be finite or NaN, got " + minRating);
        p.check(!Double.isInfinite(maxRating), "maxRating must be finite or NaN, got " + maxRating);
        p.check(Double.isNaN(minRating) || Double.isNaN(maxRating) || minRating <= maxRating,
                "minRating " + minRating + " must not exceed maxRating " + maxRating);
        p.check(minTimestamp <= maxTimestamp, "minTimestamp " + minTimestamp + " must not exceed maxTimestamp " + maxTimestamp);
        p.check(Double.isNaN(activeUserCap) || (activeUserCap > 0 && activeUserCap < 100),
                "activeUserCap must be a percentile in (0, 100) or NaN (off), got " + activeUserCap);
        p.throwIfAny();
    }

    /**
     * The defaults: keep the latest of duplicates, fail on missing rows and out-of-range values,
     * leave missing feature values missing, no bounds, no cap.
     *
     * @return the default policy
     */
    public static CleaningPolicy defaults() {
        return new CleaningPolicy(Duplicates.KEEP_LATEST, MissingRows.FAIL, MissingCategorical.ABSENT,
                MissingNumeric.ABSENT, Double.NaN, Double.NaN, Long.MIN_VALUE, Long.MAX_VALUE, OutOfRange.FAIL, Double.NaN);
    }

    /**
     * Lays {@code key=value} settings over {@link #defaults()}.
     *
     * @param settings e.g. {@code duplicates=sum-weights,missingRows=drop,activeUserCap=99}; blank for the defaults
     * @return the policy
     * @throws ConfigException listing every unknown key and bad value
     */
    public static CleaningPolicy parse(String settings) {
        Map<String, String> map = new java.util.LinkedHashMap<>();
        if (settings != null && !settings.isBlank()) {
            for (String kv : settings.split(",")) {
                int eq = kv.indexOf('=');
                if (eq <= 0) {
                    throw new ConfigException("clean", java.util.List.of("setting '" + kv.trim()
                            + "' must be written key=value, e.g. duplicates=sum-weights"));
                }
                map.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
            }
        }
        return Configs.bind("clean", defaults(), map);
    }
}
