package dev.attentive.eval.metrics;

/**
 * Per-user ranking metrics at a cut-off K, from the relevance of each ranked position. Definitions
 * (as RecBole's): with {@code hits} the relevant items in the top K, {@code R} the number of relevant
 * items and {@code rank} positions from 1,
 * <ul>
 *   <li>Recall@K = hits / R; Precision@K = hits / K; Hit@K = 1 when hits &gt; 0;</li>
 *   <li>MRR@K = 1 / rank of the first relevant item (0 when none in the top K);</li>
 *   <li>NDCG@K = DCG / IDCG, DCG = sum over relevant ranks of 1 / log2(rank + 1), IDCG the same over
 *       ranks 1..min(R, K);</li>
 *   <li>MAP@K = (sum over relevant ranks r &le; K of Precision@r) / min(R, K).</li>
 * </ul>
 * Stateless and thread safe.
 */
public final class RankingMetrics {
    private RankingMetrics() {
    }

    /** The per-user metrics. */
    public enum Metric {
        /** Recall@K. */
        RECALL,
        /** Precision@K. */
        PRECISION,
        /** NDCG@K with ideal DCG over min(R, K). */
        NDCG,
        /** Reciprocal rank of the first hit within K. */
        MRR,
        /** Whether any relevant item is in the top K. */
        HIT,
        /** Mean average precision at K, normalised by min(R, K). */
        MAP;

        /**
         * The metric's key at a cut-off, as in results files.
         *
         * @param k the cut-off
         * @return e.g. {@code "recall@10"}
         */
        public String key(int k) {
            return name().toLowerCase(java.util.Locale.ROOT) + "@" + k;
        }
    }

    /**
     * One metric for one user.
     *
     * @param metric the metric
     * @param relevant whether the item at each position (0-based) of the ranking is relevant; the
     *     ranking may be shorter than K when fewer items were eligible
     * @param relevantCount R, the number of relevant items, at least 1
     * @param k the cut-off, at least 1
     * @return the value, in [0, 1]
     */
    public static double value(Metric metric, boolean[] relevant, int relevantCount, int k) {
        if (relevantCount < 1) {
            throw new IllegalArgumentException("a user needs at least one relevant item, got " + relevantCount);
        }
        if (k < 1) {
            throw new IllegalArgumentException("K must be at least 1, got " + k);
        }
        int n = Math.min(k, relevant.length);
        switch (metric) {
            case RECALL, PRECISION, HIT -> {
                int hits = 0;
                for (int i = 0; i < n; i++) {
                    if (relevant[i]) {
                        hits++;
                    }
                }
                return switch (metric) {
                    case RECALL -> (double) hits / relevantCount;
                    case PRECISION -> (double) hits / k;
                    default -> hits > 0 ? 1 : 0;
                };
            }
            case MRR -> {
                for (int i = 0; i < n; i++) {
                    if (relevant[i]) {
                        return 1.0 / (i + 1);
                    }
                }
                return 0;
            }
            case NDCG -> {
                double dcg = 0;
                for (int i = 0; i < n; i++) {
                    if (relevant[i]) {
                        dcg += 1 / log2(i + 2);
                    }
                }
                double idcg = 0;
                for (int i = 0; i < Math.min(relevantCount, k); i++) {
                    idcg += 1 / log2(i + 2);
                }
                return dcg / idcg;
            }
            case MAP -> {
                double sum = 0;
                int hits = 0;
                for (int i = 0; i < n; i++) {
                    if (relevant[i]) {
                        hits++;
                        sum += (double) hits / (i + 1);
                    }
                }
                return sum / Math.min(relevantCount, k);
            }
            default -> throw new AssertionError(metric);
        }
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    /**
     * The Gini index of how often each catalogue item is recommended (0 = perfectly even, towards 1
     * = concentrated on few items), as RecBole's {@code GiniIndex}: items never recommended count
     * with 0.
     *
     * @param counts recommendation counts per catalogue item
     * @return the index in [0, 1)
     */
    public static double gini(long[] counts) {
        long[] sorted = counts.clone();
        java.util.Arrays.sort(sorted);
        int n = sorted.length;
        double total = 0;
        double weighted = 0;
        for (int i = 0; i < n; i++) {
            total += sorted[i];
            weighted += (2.0 * (i + 1) - n - 1) * sorted[i];
        }
        return total == 0 ? 0 : weighted / (n * total);
    }
}
