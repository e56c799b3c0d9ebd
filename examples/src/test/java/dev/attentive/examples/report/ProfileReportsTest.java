package dev.attentive.examples.report;

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
import dev.attentive.eval.profile.DatasetProfile;
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

/** The profile's markdown, HTML and plots, on eval's hand-computed DatasetProfileTest data. */
class ProfileReportsTest {
    @TempDir
    Path out;

    /**
     * As in eval's DatasetProfileTest: 3 users x 4 items; i1 has 3 interactions, i2 2, i3 1, i4 none
     * (only in the item table).
     */
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
    void reportsPinTheTextsAndWritePlots() throws Exception {
        var cleaned = Cleaning.apply(data(), CleaningPolicy.parse("missingNumeric=mean"));
        DatasetProfile p = DatasetProfile.of(cleaned.data());
        String md = ProfileReports.markdown(p, cleaned.report());
        assertThat(md).contains("- users: 3\n", "- items: 3 (catalogue 4)\n",
                "- interactions: 6 (6 distinct user-item pairs)\n",
                "- sparsity: 33.3333% (density 66.6667%)\n",
                "- interactions per user: min 1, median 2.0, mean 2.0, p90 3, p99 3, max 3\n",
                "- long tail: top 1% of items hold 50.0%, top 10% hold 50.0%, top 20% hold 50.0% of interactions;"
                        + " 33.3% of items hold half; Gini 0.222; 33.3% of items have one interaction\n",
                "- time: 1970-01-01T00:00:00Z to 1970-01-04T00:00:00Z (83.3% of interactions have a timestamp)\n",
                "| 4 | 3 | 50.0% |", "| user | age | numeric | 3 | 0.0% | 20.00 | 40.00 | 30.00 |",
                "missing user.age filled in 2 rows");
        ProfileReports.write(p, cleaned.report(), out);
        JsonNode json = JsonMapper.builder().build().readTree(Files.readString(out.resolve("profile.json")));
        assertThat(json.get("users").asInt()).isEqualTo(3);
        assertThat(json.get("ratings").get("4").asInt()).isEqualTo(3);
        assertThat(json.get("long_tail").get("gini").asDouble()).isCloseTo(4.0 / 18, within(1e-12));
        assertThat(json.get("fields").get(2).get("missing_share").asDouble()).isEqualTo(0.5);
        assertThat(json.get("cleaning").get("filled").get("user.age").asInt()).isEqualTo(2);
        assertThat(Files.readString(out.resolve("profile.html"))).contains("<img src=\"popularity.png\"");
        for (String png : new String[] {"popularity.png", "activity.png", "ratings.png"}) {
            assertThat(out.resolve(png)).isNotEmptyFile();
        }
    }
}
