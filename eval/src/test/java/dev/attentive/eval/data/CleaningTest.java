package dev.attentive.eval.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.attentive.api.Dataset;
import dev.attentive.api.FeatureSchema;
import dev.attentive.api.FeatureTable;
import dev.attentive.api.FeatureValue;
import dev.attentive.api.Features;
import dev.attentive.api.FieldSpec;
import dev.attentive.api.Interaction;
import dev.attentive.api.ItemId;
import dev.attentive.api.UserId;
import dev.attentive.api.spi.ConfigException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CleaningTest {
    private static Interaction at(String u, String i, long t, float w) {
        return new Interaction(UserId.of(u), ItemId.of(i), t, w);
    }

    /** u1..u3 have rows, u9 does not; i1..i3 have rows, i9 does not. u2's age and i2's genres are missing. */
    private static Dataset data(List<Interaction> interactions) {
        Map<UserId, Features> users = new LinkedHashMap<>();
        users.put(UserId.of("u1"), Features.builder().numeric("age", 20).categorical("city", "a").build());
        users.put(UserId.of("u2"), Features.builder().categorical("city", "b").build());
        users.put(UserId.of("u3"), Features.builder().numeric("age", 40).build());
        users.put(UserId.of("u4"), Features.builder().numeric("age", 90).categorical("city", "a").build());
        Map<ItemId, Features> items = new LinkedHashMap<>();
        items.put(ItemId.of("i1"), Features.builder().multi("genres", List.of("x", "y")).build());
        items.put(ItemId.of("i2"), Features.NONE);
        items.put(ItemId.of("i3"), Features.builder().multi("genres", List.of("y")).build());
        return new Dataset("hand", interactions,
                new FeatureTable<>(FeatureSchema.of(FieldSpec.numeric("age"), FieldSpec.categorical("city")), users),
                new FeatureTable<>(FeatureSchema.of(FieldSpec.multiCategorical("genres")), items));
    }

    @Test
    void duplicatesKeepTheLatestOrSumWeights() {
        Dataset d = data(List.of(at("u1", "i1", 10, 3), at("u1", "i1", 30, 5), at("u1", "i1", 20, 1), at("u2", "i1", 5, 2),
                at("u2", "i2", 7, 4)));
        var latest = Cleaning.apply(d, CleaningPolicy.defaults());
        assertThat(latest.data().interactions()).containsExactly(at("u1", "i1", 30, 5), at("u2", "i1", 5, 2), at("u2", "i2", 7, 4));
        assertThat(latest.report().duplicatePairs()).isEqualTo(1);
        assertThat(latest.report().duplicatesRemoved()).isEqualTo(2);
        assertThat(latest.report().lines()).contains("  duplicate (user, item) pairs: 1 (keep-latest, 2 interactions removed)");
        var sum = Cleaning.apply(d, CleaningPolicy.parse("duplicates=sum-weights"));
        assertThat(sum.data().interactions()).containsExactly(at("u1", "i1", 30, 9), at("u2", "i1", 5, 2), at("u2", "i2", 7, 4));
        var all = Cleaning.apply(d, CleaningPolicy.parse("duplicates=keep-all"));
        assertThat(all.data().interactions()).hasSize(5);
        assertThat(all.report().duplicatesRemoved()).isZero();
    }

    @Test
    void missingRowsFailOrAreDroppedWithCounts() {
        Dataset d = data(List.of(at("u1", "i1", 1, 1), at("u9", "i1", 2, 1), at("u9", "i2", 3, 1), at("u1", "i9", 4, 1)));
        assertThatThrownBy(() -> Cleaning.apply(d, CleaningPolicy.defaults()))
                .hasMessage("Dataset 'hand': 1 user(s) and 1 item(s) in the interactions have no feature row (e.g. users [u9],"
                        + " items [i9]); fix the feature tables, or clean with missingRows=drop (drop and count them) or missingRows=keep");
        var dropped = Cleaning.apply(d, CleaningPolicy.parse("missingRows=drop"));
        assertThat(dropped.data().interactions()).containsExactly(at("u1", "i1", 1, 1));
        assertThat(dropped.report()).extracting(CleaningReport::unknownUsers, CleaningReport::droppedUnknownUsers,
                CleaningReport::unknownItems, CleaningReport::droppedUnknownItems).containsExactly(1, 2, 1, 1);
        assertThat(dropped.report().lines()).contains("  users without a feature row: 1 (2 interactions dropped)",
                "  items without a feature row: 1 (1 interactions dropped)");
        assertThat(Cleaning.apply(d, CleaningPolicy.parse("missingRows=keep")).data().interactions()).hasSize(4);
    }

    @Test
    void outOfRangeRatingsAndTimestampsFailOrAreDropped() {
        Dataset d = data(List.of(at("u1", "i1", 100, 3), at("u1", "i2", 100, 7), at("u2", "i1", 5, 4),
                new Interaction(UserId.of("u3"), ItemId.of("i3"), Interaction.NO_TIMESTAMP, 2)));
        assertThatThrownBy(() -> Cleaning.apply(d, CleaningPolicy.parse("minRating=1,maxRating=5")))
                .hasMessage("Dataset 'hand': interaction of user u1 with item i2 has rating 7.0 outside [1.0, 5.0];"
                        + " fix the data, widen the bounds, or clean with outOfRange=drop");
        var r = Cleaning.apply(d, CleaningPolicy.parse("minRating=1,maxRating=5,minTimestamp=10,outOfRange=drop"));
        assertThat(r.data().interactions()).containsExactly(at("u1", "i1", 100, 3),
                new Interaction(UserId.of("u3"), ItemId.of("i3"), Interaction.NO_TIMESTAMP, 2));
        assertThat(r.report().droppedRatingOutOfRange()).isEqualTo(1);
        assertThat(r.report().droppedTimestampOutOfRange()).isEqualTo(1);
    }

    @Test
    void activeUsersAreCappedToTheirLatestInteractions() {
        List<Interaction> list = new ArrayList<>();
        for (int t = 0; t < 10; t++) {
            list.add(at("u1", "i" + (1 + t % 3), 100 - t, 1)); // u1: 10 interactions, latest first
        }
        list.add(at("u2", "i1", 1, 1));
        list.add(at("u3", "i1", 1, 1));
        list.add(at("u3", "i2", 2, 1));
        list.add(at("u4", "i1", 1, 1));
        list.add(at("u4", "i2", 2, 1));
        Dataset d = data(list);
        // Activity sorted: 1, 2, 2, 10; the 50th percentile by nearest rank is the 2nd value, 2.
        var r = Cleaning.apply(d, CleaningPolicy.parse("duplicates=keep-all,activeUserCap=50"));
        assertThat(r.report().capLimit()).isEqualTo(2);
        assertThat(r.report().cappedUsers()).isEqualTo(1);
        assertThat(r.report().cappedInteractions()).isEqualTo(8);
        assertThat(r.data().interactions().stream().filter(i -> i.user().value().equals("u1")))
                .containsExactly(at("u1", "i1", 100, 1), at("u1", "i2", 99, 1));
        assertThat(r.report().interactionsOut()).isEqualTo(7);
    }

    @Test
    void missingFeatureValuesGetAnExplicitCategoryOrAnImputedNumber() {
        Dataset d = data(List.of(at("u1", "i1", 1, 1)));
        var r = Cleaning.apply(d, CleaningPolicy.parse("missingCategorical=missing-category,missingNumeric=median"));
        assertThat(r.data().users().get(UserId.of("u2")).get("age")).contains(FeatureValue.of(40.0)); // median of 20, 40, 90
        assertThat(r.data().users().get(UserId.of("u3")).get("city")).contains(FeatureValue.of(CleaningPolicy.MISSING));
        assertThat(r.data().items().get(ItemId.of("i2")).get("genres")).contains(FeatureValue.of(List.of(CleaningPolicy.MISSING)));
        assertThat(r.report().filled()).containsExactly(Map.entry("user.age", 1), Map.entry("user.city", 1),
                Map.entry("item.genres", 1));
        var mean = Cleaning.apply(d, CleaningPolicy.parse("missingNumeric=mean"));
        assertThat(mean.data().users().get(UserId.of("u2")).get("age")).contains(FeatureValue.of(50.0));
        assertThat(mean.data().users().get(UserId.of("u3")).get("city")).isEmpty();
    }

    @Test
    void badPolicySettingsListEveryProblem() {
        assertThatThrownBy(() -> CleaningPolicy.parse("duplicates=first,colour=red"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("unknown setting 'colour'")
                .hasMessageContaining("setting 'duplicates' = 'first': expected one of [keep_all, keep_latest, sum_weights]");
        assertThatThrownBy(() -> CleaningPolicy.parse("activeUserCap=100,minRating=5,maxRating=1"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("activeUserCap must be a percentile in (0, 100)")
                .hasMessageContaining("minRating 5.0 must not exceed maxRating 1.0");
        assertThatThrownBy(() -> CleaningPolicy.parse("duplicates"))
                .hasMessageContaining("setting 'duplicates' must be written key=value");
    }
}
