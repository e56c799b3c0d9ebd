package dev.attentive.attention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.attentive.api.spi.ConfigException;
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
    }
}
