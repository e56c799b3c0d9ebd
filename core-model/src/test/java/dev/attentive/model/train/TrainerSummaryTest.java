package dev.attentive.model.train;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The one INFO line a two-tower training logs when it ends. */
class TrainerSummaryTest {

    @Test
    void withoutValidationTheLineHasNoBestEpochAndNoNaN() {
        assertThat(Trainer.summary(30, 30, 0, Double.NEGATIVE_INFINITY, 0, 20.14, 36_624.4))
                .isEqualTo("two-tower: trained 30 epochs in 20.1 s (36,624 interactions/s)");
    }

    @Test
    void withValidationItNamesTheBestEpochAndAnEarlyStop() {
        assertThat(Trainer.summary(19, 30, 14, 0.278523, 5, 23.4, 30_134))
                .isEqualTo("two-tower: trained 19 of 30 epochs in 23.4 s (30,134 interactions/s), best epoch 14 "
                        + "with validation 0.2785, stopped early after 5 epochs without improvement");
    }

    @Test
    void aRunOfEveryEpochWithValidationSaysNothingOfStopping() {
        assertThat(Trainer.summary(10, 10, 10, 0.31, 0, 9.0, 1_000))
                .isEqualTo("two-tower: trained 10 epochs in 9.0 s (1,000 interactions/s), best epoch 10 with "
                        + "validation 0.3100");
    }
}
