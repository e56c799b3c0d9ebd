package dev.attentive.examples.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.attentive.api.Dataset;
import dev.attentive.api.FeatureValue;
import dev.attentive.api.Features;
import dev.attentive.api.ItemFilter;
import dev.attentive.api.ItemId;
import dev.attentive.api.Recommender;
import dev.attentive.examples.service.ServiceFixtures.Answer;
import dev.attentive.examples.service.ServiceFixtures.Client;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The service over loopback HTTP: a real two-tower model trained on synthetic data and saved, served
 * by the runtime from an Attentive config file (through a Lucene HNSW index and a catalogue journal in
 * an index directory on disk), wired by the Guice module, listening on an ephemeral port, and called
 * with {@link java.net.http.HttpClient}. Each test serves from its own fresh index directory, so
 * catalogue changes do not leak between tests.
 */
class RecommendationServiceTest {
    @TempDir
    static Path models;
    private static Dataset data;

    private Path config;
    private Recommender recommender;
    private RecommendationService service;
    private Client client;

    @BeforeAll
    static void trainTwoModels() throws IOException {
        data = ServiceFixtures.data();
        ServiceFixtures.trainAndSave(data, models.resolve("a"));
        // The second model's items are b0, b1, ... so that a swap shows in every answer.
        ServiceFixtures.trainAndSave(ServiceFixtures.renamed(data, "b"), models.resolve("b"));
        // The third model's items have no colour: catalogue changes that set one do not fit it.
        ServiceFixtures.trainAndSave(ServiceFixtures.withoutItemField(data, "color"), models.resolve("no-color"));
    }

    @BeforeEach
    void start(@TempDir Path serving) throws IOException {
        // The config sits next to the models, so that POST /model can name them relative to it.
        config = ServiceFixtures.config(models.resolve("attentive-" + serving.getFileName() + ".json"), models.resolve("a"),
                serving);
        startService();
    }

    private void startService() {
        Injector injector = Guice.createInjector(new ServiceModule(ServiceConfig.of(config).withPort(0)));
        recommender = injector.getInstance(Recommender.class);
        service = injector.getInstance(RecommendationService.class);
        InetSocketAddress address = service.start();
        assertThat(address.getPort()).isPositive();
        client = new Client(URI.create("http://" + address.getHostString() + ":" + address.getPort() + "/"));
    }

    @AfterEach
    void stop() {
        service.close();
        recommender.close();
    }

    private static List<String> ids(Answer answer) {
        List<String> ids = new ArrayList<>();
        answer.json().get("items").values().forEach(i -> ids.add(i.get("item").stringValue()));
        return ids;
    }

    private static List<Double> scores(Answer answer) {
        List<Double> scores = new ArrayList<>();
        answer.json().get("items").values().forEach(i -> scores.add(i.get("score").doubleValue()));
        return scores;
    }

    private static String feature(String item, String field) {
        FeatureValue v = data.items().get(ItemId.of(item)).get(field).orElseThrow();
        return v instanceof FeatureValue.Categorical c ? c.value() : String.valueOf(((FeatureValue.Numeric) v).value());
    }

    @Test
    void recommendAnswersKItemsBestFirstForAKnownUser() throws Exception {
        Answer answer = client.get("recommend?user=u1&k=7");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.response().headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
        assertThat(answer.json().get("user").stringValue()).isEqualTo("u1");
        assertThat(answer.json().get("basis").stringValue()).isEqualTo("KNOWN_USER");
        assertThat(answer.json().get("fallback").booleanValue()).isFalse();
        assertThat(answer.json().get("unknownRecentItems").isEmpty()).isTrue();
        assertThat(ids(answer)).hasSize(7).doesNotHaveDuplicates().allMatch(id -> id.matches("i\\d+"));
        assertThat(scores(answer)).isSortedAccordingTo((x, y) -> Double.compare(y, x));
        assertThat(answer.json().get("items").get(0).has("explanation")).isFalse();
    }

    @Test
    void explainAddsEachItemsExplanationWhoseContributionsSumToItsScore() throws Exception {
        Answer answer = client.get("recommend?user=u2&k=3&explain=true");

        assertThat(answer.status()).isEqualTo(200);
        for (JsonNode item : answer.json().get("items").values()) {
            JsonNode explanation = item.get("explanation");
            assertThat(explanation.get("userFieldWeights").values()).extracting(w -> w.get("name").stringValue())
                    .contains("region", "age");
            assertThat(explanation.get("itemFieldWeights").values()).extracting(w -> w.get("name").stringValue())
                    .contains("genre", "quality");
            double weights = 0;
            for (JsonNode w : explanation.get("userFieldWeights").values()) {
                weights += w.get("value").doubleValue();
            }
            assertThat(weights).isCloseTo(1, within(1e-4));
            double contributions = 0;
            for (JsonNode c : explanation.get("contributions").values()) {
                contributions += c.get("value").doubleValue();
            }
            assertThat(contributions).isCloseTo(item.get("score").doubleValue(), within(1e-4));
        }
    }

    @Test
    void anAnonymousVisitorIsServedFromRequestFeaturesAndRecentItemsAndUnknownOnesAreReported() throws Exception {
        // Items the model was trained on (they have interactions), so the history can use them.
        List<String> trained = data.interactions().stream().map(i -> i.item().value()).distinct().limit(2).toList();
        Answer answer = client.get("recommend?features.region=r1&features.age=30&recent=" + trained.get(0) + ",nope,"
                + trained.get(1) + "&k=5");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().get("user").isNull()).isTrue();
        assertThat(answer.json().get("basis").stringValue()).isEqualTo("REQUEST_CONTEXT");
        assertThat(answer.json().get("fallback").booleanValue()).isFalse();
        assertThat(answer.json().get("unknownRecentItems").values()).extracting(JsonNode::stringValue)
                .containsExactly("nope");
        assertThat(ids(answer)).hasSize(5);
    }

    @Test
    void filtersKeepOnlyTheItemsTheyDescribe() throws Exception {
        Answer genre = client.get("recommend?user=u3&k=10&filter=genre:g1");
        assertThat(ids(genre)).isNotEmpty().allMatch(id -> feature(id, "genre").equals("g1"));

        Answer anyOf = client.get("recommend?user=u3&k=10&filter=genre:g1,g2");
        assertThat(ids(anyOf)).isNotEmpty().allMatch(id -> List.of("g1", "g2").contains(feature(id, "genre")));

        Answer range = client.get("recommend?user=u3&k=10&range=quality:0.5:&not=genre:g0");
        assertThat(ids(range)).isNotEmpty().allMatch(id -> Double.parseDouble(feature(id, "quality")) >= 0.5
                && !feature(id, "genre").equals("g0"));

        Answer similar = client.get("similar?item=i4&k=5&filter=genre:g3");
        assertThat(ids(similar)).isNotEmpty().allMatch(id -> feature(id, "genre").equals("g3"));
    }

    @Test
    void aFilterOnAFieldTheItemsLackIsA400WithTheCataloguesMessage() throws Exception {
        String unknownField = messageOf(ItemFilter.equalTo("year", "1994"));
        String wrongType = messageOf(ItemFilter.range("genre", 1, 2));

        Answer unknown = client.get("recommend?user=u1&filter=year:1994");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.error()).isEqualTo(unknownField);
        assertThat(unknown.json().get("status").intValue()).isEqualTo(400);

        Answer range = client.get("similar?item=i1&range=genre:1:2");
        assertThat(range.status()).isEqualTo(400);
        assertThat(range.error()).isEqualTo(wrongType);
    }

    private static String messageOf(ItemFilter filter) {
        try {
            filter.checkAgainst(data.items().schema());
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        throw new AssertionError(filter + " passes the check");
    }

    @Test
    void badParametersAre400sThatSayWhatToSend() throws Exception {
        assertThat(client.get("recommend?user=u1&k=0").error())
                .isEqualTo("Query parameter 'k' of GET /recommend must be from 1 to 1000, got 0");
        assertThat(client.get("recommend?user=u1&k=ten").error())
                .isEqualTo("Query parameter 'k' of GET /recommend must be a whole number from 1 to 1000, got 'ten'");
        assertThat(client.get("recommend?k=3").error()).isEqualTo("GET /recommend needs user=ID, features.NAME=VALUE or "
                + "recent=ID,ID (most recent first), e.g. /recommend?user=42&k=10");
        assertThat(client.get("recommend?user=u1&kk=3").error()).startsWith("Unknown query parameter 'kk' for GET /recommend; "
                + "its parameters are [exclude, excludeSeen, explain, features.NAME, filter, k, not, range, recent, user]");
        assertThat(client.get("recommend?user=u1&explain=yes").error())
                .isEqualTo("Query parameter 'explain' of GET /recommend must be true or false, got 'yes'");
        assertThat(client.get("recommend?user=u1&filter=genre").error())
                .isEqualTo("Query parameter filter='genre' needs FIELD:VALUE, e.g. filter=genre:Drama or filter=genre:Drama,Comedy");
        assertThat(client.get("recommend?user=u1&range=quality:0.9:0.1").error())
                .isEqualTo("Query parameter range='quality:0.9:0.1' has MIN 0.9 above MAX 0.1; give MIN <= MAX");
        assertThat(client.get("recommend?user=u1&range=quality:low:").error()).isEqualTo("Query parameter "
                + "range='quality:low:': 'low' is not a number; give FIELD:MIN:MAX with decimal numbers, e.g. range=year:1990:2000");
        assertThat(client.get("similar?k=3").error()).isEqualTo("GET /similar needs the query parameter 'item', e.g. /similar?item=42&k=10");
        assertThat(client.get("recommend?user=u1&features.region=5").status()).isEqualTo(400);
    }

    @Test
    void similarAnswersNeighboursBestFirstWithoutTheItemAndUnknownItemsAre404() throws Exception {
        Answer answer = client.get("similar?item=i4&k=6");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().get("item").stringValue()).isEqualTo("i4");
        assertThat(ids(answer)).hasSize(6).doesNotContain("i4").doesNotHaveDuplicates();
        assertThat(scores(answer)).isSortedAccordingTo((x, y) -> Double.compare(y, x));

        Answer unknown = client.get("similar?item=nope");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.error()).isEqualTo("Unknown item 'nope': the catalogue holds 120 items and not this one; "
                + "add it with PUT /items/nope and its features");
    }

    @Test
    void aPutItemIsReadableSimilarSearchableAndRecommendable() throws Exception {
        // A colour no trained item has: the filter on it finds the new item alone.
        String features = "{\"genre\": \"g1\", \"quality\": 0.9, \"color\": \"ultraviolet\", \"tags\": [\"tag1\", \"new\"], "
                + "\"weight\": 2.5}";
        Answer put = client.put("items/fresh-1", features);
        assertThat(put.status()).isEqualTo(201);
        assertThat(put.json().get("added").booleanValue()).isTrue();
        assertThat(put.json().get("catalogueSize").intValue()).isEqualTo(121);

        Answer read = client.get("items/fresh-1");
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json().get("features")).isEqualTo(Json.MAPPER.readTree(features));

        assertThat(ids(client.get("recommend?user=u1&k=5&filter=color:ultraviolet"))).containsExactly("fresh-1");
        assertThat(ids(client.get("similar?item=i4&k=5&filter=color:ultraviolet"))).containsExactly("fresh-1");
        Answer similar = client.get("similar?item=fresh-1&k=5");
        assertThat(similar.status()).isEqualTo(200);
        assertThat(ids(similar)).hasSize(5).doesNotContain("fresh-1");

        Answer replaced = client.put("items/fresh-1", "{\"genre\": \"g2\", \"color\": \"ultraviolet\"}");
        assertThat(replaced.status()).isEqualTo(200);
        assertThat(replaced.json().get("added").booleanValue()).isFalse();
        assertThat(ids(client.get("recommend?user=u1&k=5&filter=color:ultraviolet&filter=genre:g2")))
                .containsExactly("fresh-1");
        assertThat(ids(client.get("recommend?user=u1&k=5&filter=color:ultraviolet&filter=genre:g1"))).isEmpty();
    }

    @Test
    void aDeletedItemLeavesEveryAnswer() throws Exception {
        String top = ids(client.get("recommend?user=u1&k=5")).get(0);
        String anchor = top.equals("i4") ? "i5" : "i4";
        assertThat(ids(client.get("similar?item=" + anchor + "&k=1000"))).hasSize(119).contains(top);

        assertThat(client.delete("items/" + top).status()).isEqualTo(204);

        assertThat(ids(client.get("recommend?user=u1&k=5"))).hasSize(5).doesNotContain(top);
        assertThat(ids(client.get("similar?item=" + anchor + "&k=1000"))).hasSize(118).doesNotContain(top);
        assertThat(client.get("similar?item=" + top).status()).isEqualTo(404);
        assertThat(client.get("items/" + top).status()).isEqualTo(404);
        Answer again = client.delete("items/" + top);
        assertThat(again.status()).isEqualTo(404);
        assertThat(again.error()).startsWith("Unknown item '" + top + "'");
        assertThat(client.get("health").json().get("catalogueSize").intValue()).isEqualTo(119);
    }

    @Test
    void aPutWithAnUnknownFieldOrAWrongTypeIsA400NamingTheField() throws Exception {
        Answer wrongType = client.put("items/x", "{\"quality\": \"high\"}");
        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(wrongType.error())
                .isEqualTo("Item field 'quality' in PUT /items/x is NUMERIC and takes a finite number; got STRING \"high\"");
        assertThat(client.put("items/x", "{\"tags\": [\"a\", 3]}").error())
                .isEqualTo("Item field 'tags' in PUT /items/x is MULTI_CATEGORICAL and takes an array of strings; got ARRAY [\"a\",3]");

        Answer unknown = client.put("items/x", "{\"year\": 1994}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.error()).isEqualTo("Unknown item field 'year' in PUT /items/x; the catalogue's item fields are "
                + "[genre CATEGORICAL, quality NUMERIC, color CATEGORICAL, tags MULTI_CATEGORICAL, weight NUMERIC]");

        Answer notJson = client.put("items/x", "genre=g1");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.error()).startsWith("The body of PUT /items/x is not JSON");

        assertThat(client.get("items/x").status()).isEqualTo(404);
    }

    @Test
    void postModelSwapsToTheSecondModelAndABadPathKeepsTheFirst() throws Exception {
        Answer bad = client.post("model", "{\"path\": \"missing\"}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.error()).startsWith("Cannot swap to " + models.resolve("missing") + ": it is not a saved model")
                .endsWith("; the previous model is still serving");
        assertThat(ids(client.get("recommend?user=u1&k=3"))).allMatch(id -> id.startsWith("i"));

        Answer swapped = client.post("model", "{\"path\": \"b\"}");
        assertThat(swapped.status()).isEqualTo(200);
        assertThat(swapped.json().get("model").stringValue()).isEqualTo(models.resolve("b").toString());
        assertThat(swapped.json().get("catalogueSize").intValue()).isEqualTo(120);
        assertThat(swapped.json().get("generation").intValue()).isEqualTo(2);

        assertThat(ids(client.get("recommend?user=u1&k=3"))).hasSize(3).allMatch(id -> id.matches("b\\d+"));
        assertThat(ids(client.get("similar?item=b4&k=3"))).hasSize(3).allMatch(id -> id.matches("b\\d+"));
        assertThat(client.get("similar?item=i4").status()).isEqualTo(404);

        assertThat(client.post("model", "{\"dir\": \"b\"}").error())
                .isEqualTo("Unknown key 'dir' in the body of POST /model; it takes only \"path\", e.g. {\"path\": \"models/v2\"}");
    }

    @Test
    void requestsDuringSwapsAllSucceedAndEachIsAnsweredByOneModel() throws Exception {
        AtomicBoolean swapping = new AtomicBoolean(true);
        List<Future<List<Answer>>> readers = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            for (int t = 0; t < 2; t++) {
                readers.add(pool.submit(() -> {
                    List<Answer> answers = new ArrayList<>();
                    while (swapping.get() || answers.size() < 5) {
                        answers.add(client.get("recommend?user=u" + answers.size() % 50 + "&k=10"));
                    }
                    return answers;
                }));
            }
            try {
                for (int swap = 0; swap < 6; swap++) {
                    assertThat(client.post("model", "{\"path\": \"" + (swap % 2 == 0 ? "b" : "a") + "\"}").status())
                            .isEqualTo(200);
                }
            } finally {
                swapping.set(false);
            }
            for (Future<List<Answer>> reader : readers) {
                for (Answer answer : reader.get()) {
                    assertThat(answer.status()).isEqualTo(200);
                    List<String> ids = ids(answer);
                    assertThat(ids).hasSize(10);
                    assertThat(ids.stream().map(id -> id.charAt(0)).distinct()).hasSize(1);
                }
            }
        }
    }

    @Test
    void aModelTheCatalogueChangesDoNotFitIsA409AndTheCurrentOneKeepsServing() throws Exception {
        assertThat(client.put("items/painted", "{\"genre\": \"g2\", \"color\": \"ultraviolet\"}").status()).isEqualTo(201);

        Answer conflict = client.post("model", "{\"path\": \"no-color\"}");

        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.error()).startsWith("Cannot apply catalogue change").contains("put item painted")
                .contains("'color'").endsWith("; the previous model is still serving");
        assertThat(client.get("health").json().get("generation").intValue()).isEqualTo(1);
        assertThat(ids(client.get("recommend?user=u1&k=5&filter=color:ultraviolet"))).containsExactly("painted");
    }

    @Test
    void catalogueChangesAndASwapSurviveARestartFromTheIndexDirectory() throws Exception {
        assertThat(client.put("items/kept", "{\"genre\": \"g2\", \"color\": \"ultraviolet\"}").status()).isEqualTo(201);
        assertThat(client.delete("items/i7").status()).isEqualTo(204);

        stop();
        startService();

        assertThat(client.get("items/kept").json().get("features").get("color").stringValue()).isEqualTo("ultraviolet");
        assertThat(client.get("items/i7").status()).isEqualTo(404);
        assertThat(ids(client.get("recommend?user=u1&k=5&filter=color:ultraviolet"))).containsExactly("kept");

        // A swap carries the catalogue changes to the new model and is itself kept.
        assertThat(client.post("model", "{\"path\": \"b\"}").status()).isEqualTo(200);
        stop();
        startService();

        Answer health = client.get("health");
        assertThat(health.json().get("generation").intValue()).isEqualTo(2);
        assertThat(health.json().get("catalogueSize").intValue()).isEqualTo(121); // 120 b-items and kept
        assertThat(ids(client.get("similar?item=b4&k=5&filter=color:ultraviolet"))).containsExactly("kept");
        assertThat(ids(client.get("recommend?user=u1&k=3"))).allMatch(id -> id.matches("b\\d+|kept"));
    }

    @Test
    void healthIndexUnknownPathsAndWrongMethodsAnswerInJson() throws Exception {
        Answer health = client.get("health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("status").stringValue()).isEqualTo("ok");
        assertThat(health.json().get("catalogueSize").intValue()).isEqualTo(120);
        assertThat(health.json().get("generation").intValue()).isEqualTo(1);

        assertThat(client.get("").json().get("endpoints").stringValue()).isEqualTo(RecommendationService.ENDPOINTS);

        Answer unknown = client.get("recommendations?user=u1");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.error()).isEqualTo("No endpoint at /recommendations; " + RecommendationService.ENDPOINTS);

        Answer wrongMethod = client.delete("recommend?user=u1");
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.response().headers().firstValue("Allow")).hasValue("GET");
        assertThat(wrongMethod.error()).isEqualTo("/recommend answers GET, not DELETE");
    }

    @Test
    void itemIdsArePercentDecodedFromThePath() throws Exception {
        assertThat(client.put("items/shelf%2F7%20b", "{\"genre\": \"g0\"}").status()).isEqualTo(201);
        assertThat(client.get("items/shelf%2F7%20b").json().get("item").stringValue()).isEqualTo("shelf/7 b");
        assertThat(ids(client.get("similar?item=i1&k=200"))).contains("shelf/7 b");
    }

    @Test
    void theRequestFeaturesTypeFollowsHowTheValueIsWritten() {
        QueryParameters query = QueryParameters.parse("GET /recommend",
                "features.age=31&features.region=north&features.interests=jazz,%20film&features.zip=0x1");
        Features features = RecommendEndpoint.requestFeatures(query.withPrefix("features."));
        assertThat(features.values()).containsExactly(
                java.util.Map.entry("age", FeatureValue.of(31.0)),
                java.util.Map.entry("region", FeatureValue.of("north")),
                java.util.Map.entry("interests", FeatureValue.of(List.of("jazz", "film"))),
                java.util.Map.entry("zip", FeatureValue.of("0x1")));
    }
}
