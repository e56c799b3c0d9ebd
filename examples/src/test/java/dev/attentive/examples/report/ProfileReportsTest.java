package dev.attentive.examples.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.attentive.eval.data.Cleaning;
import dev.attentive.eval.data.CleaningPolicy;
import dev.attentive.eval.fixtures.HandDataset;
import dev.attentive.eval.profile.DatasetProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The profile's markdown, HTML and plots, on eval's {@link HandDataset} (hand-computed in DatasetProfileTest). */
class ProfileReportsTest {
    @TempDir
    Path out;

    @Test
    void reportsPinTheTextsAndWritePlots() throws Exception {
        var cleaned = Cleaning.apply(HandDataset.dataset(), CleaningPolicy.parse("missingNumeric=mean"));
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
