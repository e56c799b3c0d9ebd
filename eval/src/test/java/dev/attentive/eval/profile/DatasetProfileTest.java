package dev.attentive.eval.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.attentive.eval.data.Cleaning;
import dev.attentive.eval.data.CleaningPolicy;
import dev.attentive.eval.fixtures.HandDataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class DatasetProfileTest {
    @TempDir
    Path out;

    @Test
    void countsAreHandComputed() {
        DatasetProfile p = DatasetProfile.of(HandDataset.dataset());
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
        var cleaned = Cleaning.apply(HandDataset.dataset(), CleaningPolicy.parse("missingNumeric=mean"));
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
