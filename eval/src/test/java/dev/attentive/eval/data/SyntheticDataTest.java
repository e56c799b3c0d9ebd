package dev.attentive.eval.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.attentive.api.Dataset;
import dev.attentive.api.FeatureValue;
import dev.attentive.api.Features;
import dev.attentive.api.Interaction;
import dev.attentive.api.spi.ConfigException;
import org.junit.jupiter.api.Test;

class SyntheticDataTest {
    @Test
    void sameSeedSameData() {
        var gen = new SyntheticData(new SyntheticData.Config(100, 60, 4, 10, 1, 3, 0.3));
        assertThat(gen.generate(3)).isEqualTo(gen.generate(3));
        assertThat(gen.generate(3)).isNotEqualTo(gen.generate(4));
        Dataset d = gen.generate(3);
        assertThat(d.hasTimestamps()).isTrue();
        assertThat(d.users().schema().names()).containsAll(gen.informativeUserFields()).containsAll(gen.noiseUserFields());
        assertThat(d.items().schema().names()).containsAll(gen.informativeItemFields()).containsAll(gen.noiseItemFields());
    }

    @Test
    void preferencesFollowThePlantedTopics() {
        var gen = new SyntheticData(SyntheticData.Config.defaults());
        Dataset d = gen.generate(7);
        long inPreferred = 0;
        for (Interaction i : d.interactions()) {
            Features user = d.users().get(i.user());
            int region = Integer.parseInt(((FeatureValue.Categorical) user.get("region").orElseThrow()).value().substring(1));
            double age = ((FeatureValue.Numeric) user.get("age").orElseThrow()).value();
            int topic = Integer.parseInt(((FeatureValue.Categorical) d.items().get(i.item()).get("genre").orElseThrow())
                    .value().substring(1));
            int[] preferred = gen.preferredTopics(region, age);
            if (topic == preferred[0] || topic == preferred[1]) {
                inPreferred++;
            }
        }
        // 2 of 8 topics would get 25% by chance; the planted preference makes them the clear majority.
        assertThat((double) inPreferred / d.interactions().size()).isGreaterThan(0.6);
    }

    @Test
    void configReportsEveryProblem() {
        assertThatThrownBy(() -> new SyntheticData.Config(1, 3, 2, 1, -1, 3, 2)).isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).hasSize(6));
    }
}
