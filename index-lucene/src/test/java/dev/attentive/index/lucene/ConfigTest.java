package dev.attentive.index.lucene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.attentive.api.spi.ConfigException;
import dev.attentive.api.spi.RetrieverProvider;
import dev.attentive.index.lucene.LuceneHnswRetrieverProvider.Config;
import dev.attentive.index.lucene.LuceneHnswRetrieverProvider.Quantization;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class ConfigTest {
    private final LuceneHnswRetrieverProvider provider = new LuceneHnswRetrieverProvider();

    @Test
    void bindsSettingsOverTheDefaults() {
        Config c = provider.configure(Map.of("maxConn", "24", "quantization", "int8", "fanout", "15", "path", "/tmp/x"));
        assertThat(c.maxConn()).isEqualTo(24);
        assertThat(c.quantization()).isEqualTo(Quantization.INT8);
        assertThat(c.fanout()).isEqualTo(15);
        assertThat(c.path()).isEqualTo("/tmp/x");
        assertThat(c.beamWidth()).isEqualTo(Config.DEFAULT.beamWidth());
    }

    @Test
    void reportsEveryProblemAtOnce() {
        assertThatThrownBy(() -> provider.configure(Map.of("maxConn", "1", "fanout", "-3", "oversample", "0.5",
                "filteredSearchThreshold", "101")))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).containsExactlyInAnyOrder(
                        "maxConn must be in 2..512, got 1",
                        "fanout must be at least 0, got -3",
                        "oversample must be in [1, 100], got 0.5",
                        "filteredSearchThreshold must be a percentage in 0..100, got 101"))
                .hasMessageStartingWith("Invalid config for lucene-hnsw: ");
        assertThatThrownBy(() -> provider.configure(Map.of("maxconnections", "8")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("unknown setting 'maxconnections'");
    }

    @Test
    @SuppressWarnings("rawtypes") // ServiceLoader of a generic SPI yields raw providers
    void isFoundByServiceLoaderUnderItsName() {
        ServiceLoader<RetrieverProvider> loader = ServiceLoader.load(RetrieverProvider.class);
        assertThat(loader.stream().map(p -> p.get().name())).contains(LuceneHnswRetrieverProvider.NAME);
    }
}
