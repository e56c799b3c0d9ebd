package dev.attentive.examples.service;

import dev.attentive.api.Dataset;
import dev.attentive.api.FeatureSchema;
import dev.attentive.api.FeatureValue;
import dev.attentive.api.Features;
import dev.attentive.api.FeatureTable;
import dev.attentive.api.Interaction;
import dev.attentive.api.ItemId;
import dev.attentive.api.Recommender;
import dev.attentive.api.spi.ProviderRegistry;
import dev.attentive.api.spi.TrainingContext;
import dev.attentive.eval.data.SyntheticData;
import dev.attentive.model.TwoTowerModels;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** Small real models trained on synthetic data, and a loopback HTTP client for the service's tests. */
public final class ServiceFixtures {
    /** 300 users, 120 items in 4 genres, about 10 interactions a user. */
    static final SyntheticData SYNTHETIC = new SyntheticData(new SyntheticData.Config(300, 120, 4, 10, 0.8, 3.0, 0.3));

    private ServiceFixtures() {
    }

    /**
     * The synthetic data the models are trained on.
     *
     * @return the dataset, the same every call
     */
    public static Dataset data() {
        return SYNTHETIC.generate(7);
    }

    /** The same data with every item id {@code iN} renamed {@code PREFIXN}: a second model, told apart by its ids. */
    static Dataset renamed(Dataset data, String prefix) {
        List<Interaction> interactions = data.interactions().stream()
                .map(i -> new Interaction(i.user(), rename(i.item(), prefix), i.timestamp(), i.weight())).toList();
        Map<ItemId, Features> items = new LinkedHashMap<>();
        data.items().rows().forEach((id, f) -> items.put(rename(id, prefix), f));
        return new Dataset(data.name() + "-" + prefix, interactions, data.users(),
                new FeatureTable<>(data.items().schema(), items));
    }

    /** The same data without the item field {@code field}: a model whose item schema lacks it. */
    static Dataset withoutItemField(Dataset data, String field) {
        Map<ItemId, Features> items = new LinkedHashMap<>();
        data.items().rows().forEach((id, f) -> {
            Map<String, FeatureValue> kept = new LinkedHashMap<>(f.values());
            kept.remove(field);
            items.put(id, new Features(kept));
        });
        FeatureSchema schema = new FeatureSchema(data.items().schema().fields().stream()
                .filter(spec -> !spec.name().equals(field)).toList());
        return new Dataset(data.name() + "-no-" + field, data.interactions(), data.users(), new FeatureTable<>(schema, items));
    }

    private static ItemId rename(ItemId id, String prefix) {
        return ItemId.of(prefix + id.value().substring(1));
    }

    /**
     * Trains a two-tower model with attention pooling (so that explanations' weights mean something),
     * served by the Lucene HNSW retriever, and saves it.
     */
    public static Path trainAndSave(Dataset data, Path dir) throws IOException {
        Map<String, String> settings = Map.of("attention", "attention-pooling", "dim", "8", "userWidths", "16",
                "itemWidths", "16", "epochs", "3", "batch", "64", "historyLength", "5", "retriever", "lucene-hnsw");
        try (Recommender model = ProviderRegistry.models().get("two-tower")
                .train(data, settings, new TrainingContext(7, 1, r -> Double.NaN, s -> { }))) {
            TwoTowerModels.save(model, dir);
        }
        return dir;
    }

    /**
     * Writes an Attentive config that serves a saved model through a Lucene HNSW index kept on disk, with
     * the catalogue journal, in {@code indexDirectory}.
     *
     * @param file the config file to write
     * @param model the saved model's directory
     * @param indexDirectory the serving directory
     * @return the file
     * @throws IOException when writing fails
     */
    public static Path config(Path file, Path model, Path indexDirectory) throws IOException {
        var config = Json.object();
        config.putObject("model").put("load", model.toAbsolutePath().toString());
        config.put("retriever", "lucene-hnsw").put("indexDirectory", indexDirectory.toAbsolutePath().toString());
        return Files.write(file, Json.write(config));
    }

    /** A status and a JSON body (null for none) of one reply. */
    record Answer(int status, JsonNode json, HttpResponse<String> response) {
        String error() {
            return json.get("error").stringValue();
        }
    }

    /** A JSON client of a service at a base address. */
    static final class Client {
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
        private final URI base;

        Client(URI base) {
            this.base = base;
        }

        Answer get(String pathAndQuery) throws IOException, InterruptedException {
            return send(request(pathAndQuery).GET());
        }

        Answer put(String path, String json) throws IOException, InterruptedException {
            return send(request(path).PUT(HttpRequest.BodyPublishers.ofString(json)));
        }

        Answer post(String path, String json) throws IOException, InterruptedException {
            return send(request(path).POST(HttpRequest.BodyPublishers.ofString(json)));
        }

        Answer delete(String path) throws IOException, InterruptedException {
            return send(request(path).DELETE());
        }

        private HttpRequest.Builder request(String pathAndQuery) {
            // A timeout so that a broken service fails the test instead of hanging the build.
            return HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(Duration.ofSeconds(60));
        }

        private Answer send(HttpRequest.Builder request) throws IOException, InterruptedException {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = response.body().isEmpty() ? null : Json.MAPPER.readTree(response.body());
            return new Answer(response.statusCode(), json, response);
        }
    }
}
