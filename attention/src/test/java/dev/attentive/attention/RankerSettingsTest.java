package dev.attentive.attention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.attentive.api.Parameter;
import dev.attentive.api.Ranker;
import dev.attentive.api.spi.ConfigException;
import dev.attentive.api.spi.RankerShape;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Both rankers read the same settings, and bad ones are reported together with their values. */
class RankerSettingsTest {

    @Test
    void theAblationSharesTargetAttentionsSettings() {
        assertThat(new MlpRankerProvider().defaultConfig()).isEqualTo(new TargetAttentionRankerProvider().defaultConfig());
        assertThat(new MlpRankerProvider().configure(Map.of("dim", "16")).dim()).isEqualTo(16);
    }

    @Test
    void everyBadSettingIsReportedAtOnce() {
        assertThatThrownBy(() -> new TargetAttentionRankerProvider().configure(Map.of("dim", "0", "hidden", "5000")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("dim must be between 1 and 1024, got 0")
                .hasMessageContaining("hidden must be between 1 and 4096, got 5000");
        assertThatThrownBy(() -> new MlpRankerProvider().configure(Map.of("attentionInit", "-1")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("attentionInit must be 0 (random) or a gain up to 10000, got -1.0");
    }

    @Test
    void attentionInitStartsTheProjectionsAtAScaledIdentity() {
        RankerShape shape = new RankerShape(10, 4, 1, 1, List.of("a", "b"));
        Ranker ranker = new TargetAttentionRankerProvider().create(Map.of("dim", "3", "attentionInit", "4"), shape, 1);
        for (String name : List.of("history.query", "history.key", "field.query", "field.key")) {
            Parameter p = ranker.parameters().stream().filter(q -> q.name().equals(name)).findFirst().orElseThrow();
            assertThat(p.values()).as(name).containsExactly(2, 0, 0, 0, 2, 0, 0, 0, 2);
        }
        // The other parameters start as without the setting, and the ablation has no projections to set.
        Ranker random = new TargetAttentionRankerProvider().create(Map.of("dim", "3"), shape, 1);
        assertThat(ranker.parameters().get(0).values()).containsExactly(random.parameters().get(0).values());
        assertThat(new MlpRankerProvider().create(Map.of("dim", "3", "attentionInit", "4"), shape, 1).parameters())
                .extracting(Parameter::name).doesNotContain("history.query", "history.key");
    }
}
