package dev.attentive.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.attentive.api.Dataset;
import dev.attentive.api.FeatureTable;
import dev.attentive.api.Interaction;
import dev.attentive.api.ItemId;
import dev.attentive.api.UserId;
import dev.attentive.api.spi.EpochStats;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The validation holdout and the early stopping it feeds. */
class HoldoutTest {

    private static Plan plan(Dataset data, double fraction, Attentive.HoldoutOrder order) {
        return Plan.check(Fixtures.builder(data).holdout(fraction, order).spec());
    }

    @Test
    void latestHoldsOutEachUsersLatestShareAndKeepsAtLeastOneForTraining() {
        Dataset data = Fixtures.small(1);
        Plan plan = plan(data, 0.25, Attentive.HoldoutOrder.LATEST);
        Dataset[] parts = Training.holdout(plan, data, (Plan.Holdout) plan.validation());
        Map<UserId, List<Interaction>> all = data.interactions().stream().collect(Collectors.groupingBy(Interaction::user));
        Map<UserId, List<Interaction>> held = parts[1].interactions().stream()
                .collect(Collectors.groupingBy(Interaction::user));
        assertThat(parts[0].interactions().size() + parts[1].interactions().size()).isEqualTo(data.interactions().size());
        all.forEach((user, own) -> {
            int n = own.size();
            int m = (int) Math.max(1, Math.min(n - 1, Math.round(0.25 * n)));
            List<Interaction> expected = own.stream().sorted(Comparator.comparingLong(Interaction::timestamp))
                    .skip(n - m).toList();
            assertThat(held.get(user)).as("user %s", user).containsExactlyInAnyOrderElementsOf(expected);
        });
    }

    @Test
    void randomIsSeededAndAutoPicksLatestOnlyWithTimestamps() {
        Dataset data = Fixtures.small(2);
        Plan random = plan(data, 0.2, Attentive.HoldoutOrder.RANDOM);
        Dataset[] a = Training.holdout(random, data, (Plan.Holdout) random.validation());
        Dataset[] b = Training.holdout(random, data, (Plan.Holdout) random.validation());
        assertThat(a[1].interactions()).isEqualTo(b[1].interactions());
        Plan auto = plan(data, 0.2, Attentive.HoldoutOrder.AUTO);
        Plan latest = plan(data, 0.2, Attentive.HoldoutOrder.LATEST);
        assertThat(Training.holdout(auto, data, (Plan.Holdout) auto.validation())[1].interactions())
                .isEqualTo(Training.holdout(latest, data, (Plan.Holdout) latest.validation())[1].interactions())
                .isNotEqualTo(a[1].interactions());
    }

    @Test
    void latestWithoutTimestampsIsAConfigError() {
        Dataset data = ConfigErrorsTest.tiny();
        List<Interaction> untimed = data.interactions().stream()
                .map(i -> new Interaction(i.user(), i.item(), Interaction.NO_TIMESTAMP, 1f)).toList();
        Dataset plain = data.withInteractions(untimed);
        Plan plan = plan(plain, 0.3, Attentive.HoldoutOrder.LATEST);
        assertThatThrownBy(() -> Training.holdout(plan, plain, (Plan.Holdout) plan.validation()))
                .isInstanceOf(AttentiveConfigException.class)
                .hasMessage("Invalid Attentive config from the builder: 'training.validation.order' is latest, but 9 "
                        + "of 9 interactions of 'tiny' have no timestamp; use random (or auto, which picks random then)");
    }

    @Test
    void itemsOnlyTheHoldoutNamesStayInTheCatalogue() {
        List<Interaction> interactions = new ArrayList<>();
        for (int u = 0; u < 4; u++) {
            interactions.add(new Interaction(UserId.of("u" + u), ItemId.of("common"), 1, 1f));
            interactions.add(new Interaction(UserId.of("u" + u), ItemId.of("late" + u), 2, 1f));
        }
        Dataset data = new Dataset("late", interactions, FeatureTable.empty(), FeatureTable.empty());
        Plan plan = plan(data, 0.5, Attentive.HoldoutOrder.LATEST);
        Dataset[] parts = Training.holdout(plan, data, (Plan.Holdout) plan.validation());
        assertThat(parts[0].interactions()).extracting(Interaction::item).containsOnly(ItemId.of("common"));
        assertThat(parts[0].items().rows().keySet()).containsExactly(ItemId.of("late0"), ItemId.of("late1"),
                ItemId.of("late2"), ItemId.of("late3"));
    }

    @Test
    void theHoldoutFeedsEarlyStoppingWithNdcgAt10() {
        List<EpochStats> epochs = Collections.synchronizedList(new ArrayList<>());
        Attentive.Builder builder = Fixtures.builder(Fixtures.small(3)).modelSetting("epochs", 12)
                .modelSetting("patience", 1).holdout(0.2, Attentive.HoldoutOrder.LATEST).progress(epochs::add);
        try (ServingRecommender r = builder.build()) {
            assertThat(r.generation()).isEqualTo(1);
        }
        assertThat(epochs).isNotEmpty().allSatisfy(s -> assertThat(s.validation()).isBetween(0.0, 1.0));
        Set<Integer> numbers = new HashSet<>();
        epochs.forEach(s -> numbers.add(s.epoch()));
        assertThat(numbers).hasSize(epochs.size());
        System.out.printf("early stopping: %d of 12 epochs, validation NDCG@10 %s%n", epochs.size(),
                epochs.stream().map(s -> String.format(java.util.Locale.ROOT, "%.3f", s.validation())).toList());
    }
}
