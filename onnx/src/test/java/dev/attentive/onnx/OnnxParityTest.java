package dev.attentive.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.attentive.api.Dataset;
import dev.attentive.api.FeatureValue;
import dev.attentive.api.Interaction;
import dev.attentive.api.ItemId;
import dev.attentive.api.Recommender;
import dev.attentive.api.UserId;
import dev.attentive.api.spi.ProviderRegistry;
import dev.attentive.api.spi.TrainingContext;
import dev.attentive.eval.data.SyntheticData;
import dev.attentive.model.TwoTowerModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Trains small two-tower models on seeded synthetic data (categorical, multi-valued and numeric
 * fields on both sides, history; 1,000 users), exports them, runs the graphs in onnxruntime with
 * inputs built from {@code manifest.json} alone, and matches the library's embeddings: every known
 * user and every item, plus anonymous requests with unknown values, missing fields, empty and
 * unknown histories, and cold items. Tolerance 1e-5 (max abs difference).
 */
class OnnxParityTest {
    static final double TOLERANCE = 1e-5;
    static final int REQUESTS = 300;
    static final int COLD_ITEMS = 100;
    static final int BATCH = 256;

    static Dataset data;

    @BeforeAll
    static void data() {
        data = new SyntheticData(new SyntheticData.Config(1000, 400, 8, 10, 0.8, 3, 0.3)).generate(7);
    }

    static Stream<Arguments> models() {
        Map<String, String> common = Map.of("dim", "16", "epochs", "2", "batch", "256", "lr", "0.01");
        return Stream.of(
                Arguments.of("mean", with(common, Map.of("attention", "mean", "historyAttention", "mean",
                        "numericBuckets", "0", "maxVocabulary", "5", "userWidths", "32", "itemWidths", "32"))),
                Arguments.of("concat-mlp", with(common, Map.of("attention", "concat-mlp", "activation", "gelu",
                        "userWidths", "32,16", "itemWidths", "24", "historyLength", "30"))),
                Arguments.of("attention-pooling", with(common, Map.of("attention", "attention-pooling",
                        "attention.keyProjection", "true", "attention.attentionDim", "8",
                        "historyAttention", "attention-pooling", "historyAttention.scoring", "additive",
                        "historyAttention.attentionDim", "8", "historyLength", "20", "context", "true",
                        "userWidths", "32", "itemWidths", "32"))),
                // attention-pooling's own defaults: dot scoring straight against the query, field bias.
                Arguments.of("attention-pooling-defaults", with(common, Map.of("attention", "attention-pooling"))));
    }

    private static Map<String, String> with(Map<String, String> a, Map<String, String> b) {
        Map<String, String> m = new LinkedHashMap<>(a);
        m.putAll(b);
        return m;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void exportedTowersMatchTheLibrary(String name, Map<String, String> settings, @TempDir Path tmp) throws Exception {
        Path modelDir = tmp.resolve("model");
        try (Recommender trained = ProviderRegistry.models().get("two-tower").train(data, settings, TrainingContext.of(11))) {
            TwoTowerModels.save(trained, modelDir);
        }
        OnnxExport.Exported exported = OnnxExport.export(modelDir, tmp.resolve("onnx"));
        JsonNode manifest = JsonMapper.builder().build().readTree(Files.readAllBytes(exported.manifest()));
        ManifestInputs inputs = new ManifestInputs(manifest);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (Recommender loaded = TwoTowerModels.load(modelDir);
                OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            assertThat(manifest.get("itemTowerFingerprint").asString()).isEqualTo(TwoTowerModels.itemTowerFingerprint(loaded))
                    .isEqualTo(exported.itemTowerFingerprint());
            TwoTowerModels.Embeddings lib = TwoTowerModels.embeddings(loaded);
            LibraryEmbeddings white = new LibraryEmbeddings(loaded);
            boolean context = manifest.get("model").get("config").get("context").asBoolean();
            SplittableRandom random = new SplittableRandom(name.hashCode());

            List<ManifestInputs.Entity> users = knownUsers(data, lib.users());
            assertThat(users).hasSize(1000);
            List<ManifestInputs.Entity> requests = requests(random, context, lib.items());
            float[] requestVectors = new float[REQUESTS * lib.dim()];
            for (int r = 0; r < REQUESTS; r++) {
                ManifestInputs.Entity e = requests.get(r);
                System.arraycopy(white.anonymousUser(e.features(), e.recentItems()), 0, requestVectors, r * lib.dim(), lib.dim());
            }
            List<ManifestInputs.Entity> items = new ArrayList<>();
            for (ItemId id : lib.items()) {
                items.add(new ManifestInputs.Entity(id.value(), data.items().get(id).values(), List.of()));
            }
            List<ManifestInputs.Entity> cold = coldItems(random);
            float[] coldVectors = new float[COLD_ITEMS * lib.dim()];
            for (int i = 0; i < COLD_ITEMS; i++) {
                System.arraycopy(white.item(cold.get(i).id(), cold.get(i).features()), 0, coldVectors, i * lib.dim(), lib.dim());
            }

            try (OrtSession userTower = env.createSession(exported.userTower().toString(), options);
                    OrtSession itemTower = env.createSession(exported.itemTower().toString(), options)) {
                double knownUsers = maxAbsDiff(run(env, userTower, inputs, "user", users), lib.userVectors());
                double requestUsers = maxAbsDiff(run(env, userTower, inputs, "user", requests), requestVectors);
                double catalogue = maxAbsDiff(run(env, itemTower, inputs, "item", items), lib.itemVectors());
                double coldItems = maxAbsDiff(run(env, itemTower, inputs, "item", cold), coldVectors);
                System.out.printf(java.util.Locale.ROOT, "onnx parity %s: max abs diff user tower %.3g (%d known users), "
                        + "%.3g (%d requests); item tower %.3g (%d items), %.3g (%d cold items)%n", name, knownUsers,
                        users.size(), requestUsers, REQUESTS, catalogue, items.size(), coldItems, COLD_ITEMS);
                assertThat(knownUsers).as("user tower, known users").isLessThanOrEqualTo(TOLERANCE);
                assertThat(requestUsers).as("user tower, anonymous requests").isLessThanOrEqualTo(TOLERANCE);
                assertThat(catalogue).as("item tower, catalogue").isLessThanOrEqualTo(TOLERANCE);
                assertThat(coldItems).as("item tower, cold items").isLessThanOrEqualTo(TOLERANCE);
            }
        }
    }

    /** The known users with their features and training items, most recent first. */
    static List<ManifestInputs.Entity> knownUsers(Dataset data, List<UserId> ids) {
        Map<UserId, List<Interaction>> byUser = new HashMap<>();
        for (Interaction i : data.interactions()) {
            byUser.computeIfAbsent(i.user(), u -> new ArrayList<>()).add(i);
        }
        List<ManifestInputs.Entity> out = new ArrayList<>();
        for (UserId id : ids) {
            List<Interaction> list = new ArrayList<>(byUser.get(id));
            list.sort(Comparator.comparingLong(Interaction::timestamp)); // stable: input order among ties
            List<String> recent = new ArrayList<>();
            for (int p = list.size() - 1; p >= 0; p--) {
                recent.add(list.get(p).item().value());
            }
            out.add(new ManifestInputs.Entity(id.value(), data.users().get(id).values(), recent));
        }
        return out;
    }

    /**
     * Anonymous requests: each field known, unknown or missing; histories empty, of unknown items
     * only, or of known items (sometimes longer than the history length).
     */
    private static List<ManifestInputs.Entity> requests(SplittableRandom random, boolean context, List<ItemId> catalogue) {
        List<ManifestInputs.Entity> out = new ArrayList<>();
        for (int r = 0; r < REQUESTS; r++) {
            Map<String, FeatureValue> f = new LinkedHashMap<>();
            pick(random, f, "region", FeatureValue.of("r" + random.nextInt(8)), FeatureValue.of("r-unseen"));
            pick(random, f, "age", FeatureValue.of(random.nextDouble(10, 80)), FeatureValue.of(random.nextDouble(-500, 500)));
            pick(random, f, "device", FeatureValue.of("mobile"), FeatureValue.of("fridge"));
            pick(random, f, "interests", FeatureValue.of(List.of("i" + random.nextInt(5), "i" + random.nextInt(5))),
                    FeatureValue.of(random.nextBoolean() ? List.of() : List.of("unseen", "i1", "unseen-too")));
            pick(random, f, "height", FeatureValue.of(random.nextDouble(150, 200)), FeatureValue.of(1e6));
            if (context) {
                pick(random, f, "hour", FeatureValue.of(String.valueOf(random.nextInt(24))), FeatureValue.of("7"));
                pick(random, f, "dayOfWeek", FeatureValue.of(String.valueOf(random.nextInt(7))), FeatureValue.of("0"));
            }
            List<String> recent = new ArrayList<>();
            int kind = r % 3;
            if (kind == 1) {
                recent.add("never-seen-item");
            } else if (kind == 2) {
                int n = random.nextInt(1, 60);
                for (int i = 0; i < n; i++) {
                    recent.add(random.nextInt(10) == 0 ? "unseen-" + i : catalogue.get(random.nextInt(catalogue.size())).value());
                }
            }
            out.add(new ManifestInputs.Entity("anonymous-" + r, f, recent));
        }
        return out;
    }

    /** Items the model never saw: unknown ids, each field known, unknown or missing. */
    private static List<ManifestInputs.Entity> coldItems(SplittableRandom random) {
        List<ManifestInputs.Entity> out = new ArrayList<>();
        for (int i = 0; i < COLD_ITEMS; i++) {
            Map<String, FeatureValue> f = new LinkedHashMap<>();
            pick(random, f, "genre", FeatureValue.of("g" + random.nextInt(8)), FeatureValue.of("g-unseen"));
            pick(random, f, "quality", FeatureValue.of(random.nextDouble()), FeatureValue.of(-3.0));
            pick(random, f, "color", FeatureValue.of("c" + random.nextInt(6)), FeatureValue.of("ultraviolet"));
            pick(random, f, "tags", FeatureValue.of(List.of("t" + random.nextInt(10))), FeatureValue.of(List.of("t1", "new")));
            pick(random, f, "weight", FeatureValue.of(random.nextDouble(0, 10)), FeatureValue.of(1e9));
            out.add(new ManifestInputs.Entity("cold-" + i, f, List.of()));
        }
        return out;
    }

    /** Puts the known value, the unknown one, or nothing (missing), each a third of the time. */
    private static void pick(SplittableRandom random, Map<String, FeatureValue> f, String field, FeatureValue known,
            FeatureValue unknown) {
        int k = random.nextInt(3);
        if (k == 0) {
            f.put(field, known);
        } else if (k == 1) {
            f.put(field, unknown);
        }
    }

    static float[] run(OrtEnvironment env, OrtSession session, ManifestInputs inputs, String tower,
            List<ManifestInputs.Entity> entities) throws OrtException {
        List<float[]> rows = new ArrayList<>();
        for (int start = 0; start < entities.size(); start += BATCH) {
            List<ManifestInputs.Entity> batch = entities.subList(start, Math.min(entities.size(), start + BATCH));
            Map<String, OnnxTensor> tensors = inputs.tensors(env, tower, batch);
            try (OrtSession.Result result = session.run(tensors)) {
                for (float[] row : (float[][]) result.get(0).getValue()) {
                    rows.add(row);
                }
            } finally {
                tensors.values().forEach(OnnxTensor::close);
            }
        }
        int dim = rows.get(0).length;
        float[] out = new float[rows.size() * dim];
        for (int r = 0; r < rows.size(); r++) {
            System.arraycopy(rows.get(r), 0, out, r * dim, dim);
        }
        return out;
    }

    static double maxAbsDiff(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs((double) a[i] - b[i]));
        }
        return max;
    }
}
