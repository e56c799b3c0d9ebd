package dev.attentive.eval.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.attentive.api.Dataset;
import dev.attentive.api.FeatureSchema;
import dev.attentive.api.FeatureTable;
import dev.attentive.api.Features;
import dev.attentive.api.FieldSpec;
import dev.attentive.api.Interaction;
import dev.attentive.api.ItemId;
import dev.attentive.api.UserId;
import dev.attentive.eval.data.Cleaning;
import dev.attentive.eval.data.CleaningPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class DatasetProfileTest {
    @TempDir
    Path out;

    /** 3 users x 4 items; i1 has 3 interactions, i2 2, i3 1, i4 none (only in the item table). */
    private static Dataset data() {
        List<Interaction> list = new ArrayList<>();
        list.add(new Interaction(UserId.of("a"), ItemId.of("i1"), 86_400, 5));
        list.add(new Interaction(UserId.of("a"), ItemId.of("i2"), 172_800, 4));
        list.add(new Interaction(UserId.of("a"), ItemId.of("i3"), 259_200, 4));
        list.add(new Interaction(UserId.of("b"), ItemId.of("i1"), 0, 1));
        list.add(new Interaction(UserId.of("b"), ItemId.of("i2"), 86_400, 4));
        list.add(new Interaction(UserId.of("c"), ItemId.of("i1"), Interaction.NO_TIMESTAMP, 5));
        Map<UserId, Features> users = new LinkedHashMap<>();
        users.put(UserId.of("a"), Features.builder().numeric("age", 20).categorical("city", "x").build());
        users.put(UserId.of("b"), Features.builder().numeric("age", 40).build());
        users.put(UserId.of("c"), Features.builder().categorical("city", "y").build());
        users.put(UserId.of("d"), Features.builder().categorical("city", "x").build());
        Map<ItemId, Features> items = new LinkedHashMap<>();
        items.put(ItemId.of("i1"), Features.builder().multi("genres", List.of("p", "q")).build());
        items.put(ItemId.of("i2"), Features.builder().multi("genres", List.of("q", "r")).build());
        items.put(ItemId.of("i3"), Features.builder().multi("genres", List.of()).build());
        items.put(ItemId.of("i4"), Features.NONE);
        return new Dataset("hand", list,
                new FeatureTable<>(FeatureSchema.of(FieldSpec.numeric("age"), FieldSpec.categorical("city")), users),
                new FeatureTable<>(FeatureSchema.of(FieldSpec.multiCategorical("genres")), items));
    }

    @Test
    void countsAreHandComputed() {
        DatasetProfile p = DatasetProfile.of(data());
        assertThat(p.users()).isEqualTo(3);
        assertThat(p.items()).isEqualTo(3);
        assertThat(p.catalogue()).isEqualTo(4);
        assertThat(p.interactions()).isEqualTo(6);
        assertThat(p.density()).isCloseTo(6.0 / 9, within(1e-12));
        assertThat(p.activity()).isEqualTo(new DatasetProfile.Distribution(1, 2, 2, 3, 3, 3));
        assertThat(p.popularity()).isEqualTo(new DatasetProfile.Distribution(1, 2, 2, 3, 3, 3));
        // Counts 3, 2, 1: top 1% / 10% / 20% is one item = 3/6; half (3 of 6) is reached by 1 of 3 items.
        assertThat(p.longTail().top1()).isEqualTo(0.5);
        assertThat(p.longTail().itemsForHalf()).isCloseTo(1.0 / 3, within(1e-12));
        // Gini of (1, 2, 3): sum (2i - n - 1) x_i / (n sum) = (-2*1 + 0*2 + 2*3) / (3*6) = 4/18.
        assertThat(p.longTail().gini()).isCloseTo(4.0 / 18, within(1e-12));
        assertThat(p.longTail().singletons()).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(p.ratings()).containsExactly(Map.entry(1.0, 1), Map.entry(4.0, 3), Map.entry(5.0, 2));
        assertThat(p.time()).isEqualTo(new DatasetProfile.TimeRange("1970-01-01T00:00:00Z", "1970-01-04T00:00:00Z", 5.0 / 6));
        assertThat(p.fields()).containsExactly(
                new DatasetProfile.FieldProfile("user", "age", "numeric", 2, 0.5, 20, 40, 30),
                new DatasetProfile.FieldProfile("user", "city", "categorical", 2, 0.25, Double.NaN, Double.NaN, Double.NaN),
                new DatasetProfile.FieldProfile("item", "genres", "multi_categorical", 3, 0.5, Double.NaN, Double.NaN, Double.NaN));
    }

    @Test
    void jsonHoldsTheStatisticsAndTheCleaning() throws Exception {
        var cleaned = Cleaning.apply(data(), CleaningPolicy.parse("missingNumeric=mean"));
        DatasetProfile p = DatasetProfile.of(cleaned.data());
        Path file = out.resolve("nested").resolve("profile.json");
        p.writeJson(file, cleaned.report());
        JsonNode json = JsonMapper.builder().build().readTree(Files.readString(file));
        assertThat(json.get("users").asInt()).isEqualTo(3);
        assertThat(json.get("ratings").get("4").asInt()).isEqualTo(3);
        assertThat(json.get("long_tail").get("gini").asDouble()).isCloseTo(4.0 / 18, within(1e-12));
        assertThat(json.get("fields").get(2).get("missing_share").asDouble()).isEqualTo(0.5);
        assertThat(json.get("cleaning").get("filled").get("user.age").asInt()).isEqualTo(2);
        assertThat(JsonMapper.builder().build().readTree(p.toJson(null)).has("cleaning")).isFalse();
        assertThat(file.resolveSibling("profile.json.tmp")).doesNotExist();
    }
}
