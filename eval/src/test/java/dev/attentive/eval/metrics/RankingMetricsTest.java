package dev.attentive.eval.metrics;

import static dev.attentive.eval.metrics.RankingMetrics.Metric.HIT;
import static dev.attentive.eval.metrics.RankingMetrics.Metric.MAP;
import static dev.attentive.eval.metrics.RankingMetrics.Metric.MRR;
import static dev.attentive.eval.metrics.RankingMetrics.Metric.NDCG;
import static dev.attentive.eval.metrics.RankingMetrics.Metric.PRECISION;
import static dev.attentive.eval.metrics.RankingMetrics.Metric.RECALL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.attentive.testkit.Seeds;
import org.junit.jupiter.api.Test;

class RankingMetricsTest {
    // Ranking: relevant at positions 2 and 4 (1-based) of 5; the user has 3 relevant items.
    private static final boolean[] RANKING = {false, true, false, true, false};

    @Test
    void handComputedValuesAtFive() {
        assertThat(RankingMetrics.value(RECALL, RANKING, 3, 5)).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(RankingMetrics.value(PRECISION, RANKING, 3, 5)).isCloseTo(2.0 / 5, within(1e-12));
        assertThat(RankingMetrics.value(HIT, RANKING, 3, 5)).isEqualTo(1.0);
        assertThat(RankingMetrics.value(MRR, RANKING, 3, 5)).isCloseTo(0.5, within(1e-12));
        // DCG = 1/log2(3) + 1/log2(5); IDCG over min(3,5) = 3 ranks = 1 + 1/log2(3) + 1/log2(4)
        double dcg = 1 / log2(3) + 1 / log2(5);
        double idcg = 1 + 1 / log2(3) + 0.5;
        assertThat(RankingMetrics.value(NDCG, RANKING, 3, 5)).isCloseTo(dcg / idcg, within(1e-12));
        assertThat(dcg / idcg).isCloseTo(0.4982, within(1e-4));
        // AP: (1/2 + 2/4) / min(3,5) = 1/3
        assertThat(RankingMetrics.value(MAP, RANKING, 3, 5)).isCloseTo(1.0 / 3, within(1e-12));
    }

    @Test
    void handComputedValuesAtTwoUseIdealOverMinOfRelevantAndK() {
        assertThat(RankingMetrics.value(RECALL, RANKING, 3, 2)).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(RankingMetrics.value(PRECISION, RANKING, 3, 2)).isCloseTo(0.5, within(1e-12));
        // IDCG over min(3, 2) = 2 ranks
        assertThat(RankingMetrics.value(NDCG, RANKING, 3, 2)).isCloseTo((1 / log2(3)) / (1 + 1 / log2(3)), within(1e-12));
        assertThat(RankingMetrics.value(MAP, RANKING, 3, 2)).isCloseTo(0.5 / 2, within(1e-12));
        assertThat(RankingMetrics.value(MRR, new boolean[] {false, false, true}, 1, 2)).isZero();
        assertThat(RankingMetrics.value(HIT, new boolean[] {false, false, true}, 1, 2)).isZero();
    }

    @Test
    void shortRankingsAreHandled() {
        assertThat(RankingMetrics.value(PRECISION, new boolean[] {true}, 1, 10)).isCloseTo(0.1, within(1e-12));
        assertThat(RankingMetrics.value(RECALL, new boolean[0], 2, 10)).isZero();
    }

    @Test
    void giniIsZeroWhenEvenAndHighWhenConcentrated() {
        assertThat(RankingMetrics.gini(new long[] {5, 5, 5, 5})).isZero();
        assertThat(RankingMetrics.gini(new long[] {0, 0, 0, 12})).isCloseTo(0.75, within(1e-12));
        assertThat(RankingMetrics.gini(new long[] {0, 0})).isZero();
    }

    @Test
    void rejectsUsersWithoutRelevantItemsAndBadK() {
        assertThatThrownBy(() -> RankingMetrics.value(RECALL, RANKING, 0, 5))
                .hasMessageContaining("at least one relevant item");
        assertThatThrownBy(() -> RankingMetrics.value(RECALL, RANKING, 1, 0)).hasMessageContaining("K must be at least 1");
    }

    @Test
    void invariantsOnRandomRankings() {
        Seeds.forEach(200, 11, (random, seed) -> {
            int n = 1 + random.nextInt(40);
            boolean[] ranking = new boolean[n];
            int relevantInRanking = 0;
            for (int i = 0; i < n; i++) {
                ranking[i] = random.nextInt(3) == 0;
                relevantInRanking += ranking[i] ? 1 : 0;
            }
            int relevant = Math.max(1, relevantInRanking + random.nextInt(5));
            double previousRecall = 0;
            for (int k = 1; k <= n + 3; k++) {
                for (RankingMetrics.Metric m : RankingMetrics.Metric.values()) {
                    assertThat(RankingMetrics.value(m, ranking, relevant, k)).as(m + "@" + k).isBetween(0.0, 1.0);
                }
                double recall = RankingMetrics.value(RECALL, ranking, relevant, k);
                assertThat(recall).as("recall grows with K").isGreaterThanOrEqualTo(previousRecall);
                previousRecall = recall;
            }
            // A perfect ranking puts all relevant items first and scores 1 on every metric at K = R.
            boolean[] perfect = new boolean[relevant + 5];
            for (int i = 0; i < relevant; i++) {
                perfect[i] = true;
            }
            for (RankingMetrics.Metric m : RankingMetrics.Metric.values()) {
                assertThat(RankingMetrics.value(m, perfect, relevant, relevant)).as(m.name()).isCloseTo(1.0, within(1e-12));
            }
            assertThat(RankingMetrics.value(NDCG, perfect, relevant, 1 + random.nextInt(relevant + 4)))
                    .isCloseTo(1.0, within(1e-12));
        });
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
