package dev.attentive.index.opensearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.attentive.api.spi.ConfigException;
import dev.attentive.api.spi.RetrieverProvider;
import dev.attentive.index.opensearch.OpenSearchRetrieverProvider.Config;
import dev.attentive.testkit.ServiceDeclarations;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class ConfigTest {
    private final OpenSearchRetrieverProvider provider = new OpenSearchRetrieverProvider();

    @Test
    void bindsSettingsOverTheDefaults() {
        Config c = provider.configure(Map.of("endpoints", "http://10.0.0.1:9200, https://search.example:443",
                "index", "movies", "shards", "3", "replicas", "2", "m", "24", "efSearch", "200"));
        assertThat(c.endpointList()).containsExactly(URI.create("http://10.0.0.1:9200"),
                URI.create("https://search.example:443"));
        assertThat(c.index()).isEqualTo("movies");
        assertThat(c.shards()).isEqualTo(3);
        assertThat(c.replicas()).isEqualTo(2);
        assertThat(c.m()).isEqualTo(24);
        assertThat(c.efSearch()).isEqualTo(200);
        assertThat(c.efConstruction()).isEqualTo(Config.DEFAULT.efConstruction());
        assertThat(Config.DEFAULT.endpointList()).containsExactly(URI.create("http://127.0.0.1:9200"));
    }

    @Test
    void reportsEveryProblemAtOnce() {
        assertThatThrownBy(() -> provider.configure(Map.of("endpoints", "ftp://host:21,http://h:9200/path,:bad",
                "index", "Movies*", "shards", "0", "replicas", "-1", "m", "1", "username", "admin",
                "refreshIntervalMs", "0")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("Invalid config for opensearch: ")
                .satisfies(e -> assertThat(((ConfigException) e).problems()).containsExactlyInAnyOrder(
                        "endpoints: 'ftp://host:21' is not an http(s)://host:port URL (no path, query or credentials; "
                                + "set username and passwordEnv for authentication)",
                        "endpoints: 'http://h:9200/path' is not an http(s)://host:port URL (no path, query or "
                                + "credentials; set username and passwordEnv for authentication)",
                        "endpoints: ':bad' is not a URL (Expected scheme name); expected http(s)://host:port",
                        "index must be an OpenSearch index name (1..200 characters, lowercase, none of \\ / * ? \" < > "
                                + "| , # : or spaces, not starting with - _ +), got 'Movies*'",
                        "username 'admin' needs passwordEnv, the name of the environment variable that holds its "
                                + "password (a password is never a setting)",
                        "shards must be in 1..1024, got 0",
                        "replicas must be in 0..16, got -1",
                        "m must be in 2..512, got 1",
                        "refreshIntervalMs must be in 1..3600000, got 0"));
        assertThatThrownBy(() -> provider.configure(Map.of("password", "secret")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("unknown setting 'password'");
    }

    @Test
    @SuppressWarnings("rawtypes") // ServiceLoader of a generic SPI yields raw providers
    void isFoundByServiceLoaderUnderItsName() throws Exception {
        ServiceLoader<RetrieverProvider> loader = ServiceLoader.load(RetrieverProvider.class);
        assertThat(loader.stream().map(p -> p.get().name()).toList()).contains(OpenSearchRetrieverProvider.NAME);
        ServiceDeclarations.assertInSync(Path.of("target/classes"));
    }

    @Test
    void translatesFiltersIntoTheQueryDsl() {
        assertThat(FilterTranslation.filter(dev.attentive.api.ItemFilter.all(), java.util.Set.of())).isNull();
        assertThat(FilterTranslation.filter(dev.attentive.api.ItemFilter.and(
                dev.attentive.api.ItemFilter.equalTo("a.b", "x\"y"),
                dev.attentive.api.ItemFilter.not(dev.attentive.api.ItemFilter.range("p", 1, Double.POSITIVE_INFINITY))),
                java.util.Set.of(dev.attentive.api.ItemId.of("i1"))))
                .isEqualTo("{\"bool\":{\"filter\":[{\"bool\":{\"filter\":[{\"term\":{\"cat.a%2Eb\":\"x\\\"y\"}},"
                        + "{\"bool\":{\"must_not\":[{\"range\":{\"num.p\":{\"gte\":1.0}}}]}}]}}],"
                        + "\"must_not\":[{\"ids\":{\"values\":[\"i1\"]}}]}}");
        assertThat(List.of(ItemDocuments.encodeName("größe x"))).containsExactly("gr%C3%B6%C3%9Fe%20x");
    }
}
