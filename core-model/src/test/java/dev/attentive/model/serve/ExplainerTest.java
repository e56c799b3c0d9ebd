package dev.attentive.model.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.attentive.api.Dataset;
import dev.attentive.api.Explanation;
import dev.attentive.api.Gradients;
import dev.attentive.api.Interaction;
import dev.attentive.api.ItemId;
import dev.attentive.api.Parameter;
import dev.attentive.api.Recommendation;
import dev.attentive.api.RecommendationRequest;
import dev.attentive.api.ScoredItem;
import dev.attentive.api.Tower;
import dev.attentive.api.UserId;
import dev.attentive.api.spi.ProviderRegistry;
import dev.attentive.api.spi.TrainingContext;
import dev.attentive.eval.data.SyntheticData;
import dev.attentive.kernels.Vectors;
import dev.attentive.model.MlpTowerProvider;
import dev.attentive.model.features.FieldEncoder;
import dev.attentive.model.nn.MlpTower;
import dev.attentive.model.nn.Side;
import dev.attentive.model.nn.TwoTowerModel;
import dev.attentive.testkit.Seeds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Explanations of two-tower models trained on eval's synthetic data (seven user fields with the
 * history, six item fields): with {@code concat-mlp} the field weights are the normalised magnitudes
 * of contributions that are first-order changes of the score; with {@code mean} they stay the
 * attention weights; and the item-side cache and the linearisation of other towers.
 */
class ExplainerTest {
    /**
     * The step by which a field's vector is scaled, {@code 1 +- E}, in the smaller of the two central
     * differences (the other takes {@code 2E}).
     */
    private static final double E = 1e-3;
    /**
     * How far a contribution (or a normalised one, a weight) may be from its numeric derivative. The
     * derivative is Richardson's extrapolation of central differences at {@code E} and {@code 2E} on
     * GELU towers: a ReLU tower's difference jumps wherever a hidden unit sits within the step of its
     * kink (on the default towers, steps of 1e-3 were seen 2e-3 off, converging only at 1e-4, where
     * float noise grows), while GELU's curvature cancels to third order. What is left is the float
     * rounding of the tower outputs over the step: measured at up to 1.1e-4 over the 60-odd checked
     * fields, so 5e-4 leaves room for other platforms. Contributions are up to about 0.2 and weights
     * up to about 0.5 here, and the fields of one hit differ by more than 10x this bound (asserted),
     * so a contribution given to the wrong field, off by a factor (such as the norm) or with the wrong
     * sign fails.
     */
    private static final double TOLERANCE = 5e-4;

    private static Dataset data;
    /** The default towers (ReLU). */
    private static TwoTowerRecommender concat;
    /** GELU towers, so that the central differences cross no kink. */
    private static TwoTowerRecommender smooth;
    private static TwoTowerRecommender mean;

    @BeforeAll
    static void train() {
        data = new SyntheticData(new SyntheticData.Config(120, 90, 6, 9, 0.8, 3.0, 0.3)).generate(7);
        concat = train("concat-mlp", "relu");
        smooth = train("concat-mlp", "gelu");
        mean = train("mean", "gelu");
    }

    private static TwoTowerRecommender train(String attention, String activation) {
        Map<String, String> settings = Map.of("dim", "16", "userWidths", "32", "itemWidths", "32", "batch", "64",
                "epochs", "8", "lr", "0.01", "historyLength", "5", "attention", attention, "activation", activation);
        return (TwoTowerRecommender) ProviderRegistry.models().get("two-tower").train(data, settings,
                new TrainingContext(11, 1, r -> Double.NaN, s -> { }));
    }

    @AfterAll
    static void close() {
        concat.close();
        smooth.close();
        mean.close();
    }

    /** The names of the fields present in the first row of a side's pass (attention weight not 0). */
    private static List<String> present(Side side, Side.Pass pass) {
        String[] names = names(side);
        List<String> out = new ArrayList<>();
        for (int f = 0; f < names.length; f++) {
            if (pass.attentionPass.weights()[f] != 0) {
                out.add(names[f]);
            }
        }
        return out;
    }

    private static List<Recommendation> explained(TwoTowerRecommender r, String user, int k) {
        return r.recommend(RecommendationRequest.forUser(UserId.of(user)).k(k).explain(true).build());
    }

    private static double sum(List<Explanation.Weight> weights) {
        return weights.stream().mapToDouble(Explanation.Weight::value).sum();
    }

    private static double value(List<Explanation.Weight> weights, String name) {
        return weights.stream().filter(w -> w.name().equals(name)).findFirst().orElseThrow(
                () -> new AssertionError(name + " is not among " + weights)).value();
    }

    @Test
    void concatMlpFieldWeightsAreTheNormalisedMagnitudesOfTheContributions() {
        for (int user = 0; user < 120; user += 12) {
            List<String> userFields = present(concat.model.user, userPass(concat, "u" + user));
            assertThat(userFields).contains("userId", "region", "age", "history");
            for (Recommendation rec : explained(concat, "u" + user, 10)) {
                Explanation e = rec.explanation().orElseThrow();
                assertThat(sum(e.contributions())).as("%s", e).isCloseTo(rec.score(), within(1e-4));
                assertThat(e.userFieldWeights()).extracting(Explanation.Weight::name)
                        .containsExactlyInAnyOrderElementsOf(userFields);
                Side.Pass item = concat.model.item.forward(new FieldEncoder.Encoded[] {concat.itemRow(rec.item())}, null,
                        false, null);
                assertThat(e.itemFieldWeights()).extracting(Explanation.Weight::name)
                        .containsExactlyInAnyOrderElementsOf(present(concat.model.item, item));
                for (List<Explanation.Weight> weights : List.of(e.userFieldWeights(), e.itemFieldWeights())) {
                    assertThat(sum(weights)).isCloseTo(1.0, within(1e-9));
                    assertThat(weights).allMatch(w -> w.value() >= 0);
                    assertThat(weights.stream().mapToDouble(Explanation.Weight::value).distinct().count())
                            .as("not uniform: %s", weights).isGreaterThan(1);
                    assertThat(weights).isSortedAccordingTo((a, b) -> Double.compare(b.value(), a.value()));
                }
                // The user weights rank and measure the fields as their contributions' magnitudes do.
                List<Explanation.Weight> fields = e.contributions().stream()
                        .filter(c -> !c.name().equals(Explainer.NONLINEAR)).toList();
                double total = fields.stream().mapToDouble(c -> Math.abs(c.value())).sum();
                assertThat(e.userFieldWeights()).extracting(Explanation.Weight::name)
                        .containsExactlyElementsOf(fields.stream().map(Explanation.Weight::name).toList());
                for (Explanation.Weight c : fields) {
                    assertThat(value(e.userFieldWeights(), c.name())).isCloseTo(Math.abs(c.value()) / total,
                            within(1e-12));
                }
            }
        }
    }

    /**
     * The weights carry meaning: averaged over 60 users' top 5, the field that drives the planted
     * preferences most on each side (the user's region, the item's genre) outweighs every field that
     * is pure noise. (Uniform weights, as the attention's, would tie them.)
     */
    @Test
    void theFieldThatDrivesThePlantedPreferencesOutweighsEveryNoiseField() {
        SyntheticData synthetic = new SyntheticData(SyntheticData.Config.defaults());
        Map<String, Double> user = new HashMap<>();
        Map<String, Double> item = new HashMap<>();
        for (int u = 0; u < 120; u += 2) {
            for (Recommendation rec : explained(concat, "u" + u, 5)) {
                Explanation e = rec.explanation().orElseThrow();
                e.userFieldWeights().forEach(w -> user.merge(w.name(), w.value(), Double::sum));
                e.itemFieldWeights().forEach(w -> item.merge(w.name(), w.value(), Double::sum));
            }
        }
        for (String noise : synthetic.noiseUserFields()) {
            assertThat(user.get("region")).as("region vs %s in %s", noise, user).isGreaterThan(user.getOrDefault(noise, 0.0));
        }
        for (String noise : synthetic.noiseItemFields()) {
            assertThat(item.get("genre")).as("genre vs %s in %s", noise, item).isGreaterThan(item.getOrDefault(noise, 0.0));
        }
    }

    /** The request's user pass as the recommender computes it for a known user without request data. */
    private static Side.Pass userPass(TwoTowerRecommender r, String user) {
        TwoTowerModel m = r.model;
        int u = m.userIndex.get(UserId.of(user));
        FieldEncoder.Encoded row = m.encodeUser(u, m.userFeatures[u], Interaction.NO_TIMESTAMP, "user " + user);
        int[] history = m.historyRows(m.userItems[u], m.userItems[u].length);
        return m.user.forward(new FieldEncoder.Encoded[] {row}, new int[][] {history}, false, null);
    }

    /**
     * The central difference of {@code r . other / |r|} (the tower output {@code r} of one row, its
     * norm held at the pass's) when field {@code f}'s vector is scaled by {@code 1 +- E}: the field
     * vectors are scaled and run through the side's own attention and tower.
     */
    private static double firstOrderChange(Side side, Side.Pass pass, int f, float[] other) {
        return (4 * centralDifference(side, pass, f, other, E) - centralDifference(side, pass, f, other, 2 * E)) / 3;
    }

    private static double centralDifference(Side side, Side.Pass pass, int f, float[] other, double step) {
        int fields = side.fieldCount();
        int dim = other.length;
        float[] mask = new float[fields];
        for (int g = 0; g < fields; g++) {
            mask[g] = pass.attentionPass.weights()[g] > 0 ? 1 : 0;
        }
        double[] scores = new double[2];
        for (int s = 0; s < 2; s++) {
            float[] x = Arrays.copyOf(pass.fieldVectors, fields * dim);
            for (int d = 0; d < dim; d++) {
                x[f * dim + d] *= (float) (s == 0 ? 1 + step : 1 - step);
            }
            float[] pooled = side.attention.forward(x, mask, 1, false, null).output();
            float[] r = side.tower.forward(pooled, 1, false, null).output();
            scores[s] = Vectors.dotDoubleAccumulate(r, 0, other, 0, dim) / (double) pass.norms[0];
        }
        return (scores[0] - scores[1]) / (2 * step);
    }

    private static String[] names(Side side) {
        String[] names = new String[side.fieldCount()];
        for (int f = 0; f < side.fields.size(); f++) {
            names[f] = side.fields.get(f).name;
        }
        if (side.historyAttention != null) {
            names[side.fields.size()] = "history";
        }
        return names;
    }

    private static void userContributionsAreFirstOrderChanges(TwoTowerRecommender r) {
        Side side = r.model.user;
        String[] names = names(side);
        double widest = 0;
        for (String user : List.of("u3", "u40", "u77")) {
            Side.Pass pass = userPass(r, user);
            for (Recommendation rec : explained(r, user, 5)) {
                Explanation e = rec.explanation().orElseThrow();
                float[] v = r.itemEmbedding(rec.item());
                double low = Double.POSITIVE_INFINITY;
                double high = Double.NEGATIVE_INFINITY;
                for (int f = 0; f < names.length; f++) {
                    if (pass.attentionPass.weights()[f] == 0) {
                        continue;
                    }
                    double expected = firstOrderChange(side, pass, f, v);
                    double got = value(e.contributions(), names[f]);
                    assertThat(got).as("%s, %s: contribution %s vs central difference %s", user, names[f], got, expected)
                            .isCloseTo(expected, within(TOLERANCE));
                    low = Math.min(low, got);
                    high = Math.max(high, got);
                }
                widest = Math.max(widest, high - low);
            }
        }
        assertThat(widest).as("fields must differ enough for a swap to fail").isGreaterThan(10 * TOLERANCE);
    }

    @Test
    void aUserFieldsContributionIsTheFirstOrderChangeOfTheScoreWhenItsVectorIsScaled() {
        userContributionsAreFirstOrderChanges(smooth);
    }

    @Test
    void underMeanPoolingTooTheContributionsAreFirstOrderChanges() {
        userContributionsAreFirstOrderChanges(mean);
    }

    @Test
    void itemFieldWeightsAreTheNormalisedFirstOrderChangesOfTheScoreWhenAnItemFieldIsScaled() {
        Side side = smooth.model.item;
        String[] names = names(side);
        double widest = 0;
        for (String user : List.of("u5", "u61")) {
            float[] u = userPass(smooth, user).embeddings;
            for (Recommendation rec : explained(smooth, user, 5)) {
                Explanation e = rec.explanation().orElseThrow();
                Side.Pass pass = side.forward(new FieldEncoder.Encoded[] {smooth.itemRow(rec.item())}, null, false, null);
                assertThat(e.itemFieldWeights()).extracting(Explanation.Weight::name)
                        .containsExactlyInAnyOrderElementsOf(present(side, pass));
                double[] changes = new double[names.length];
                double total = 0;
                for (int f = 0; f < names.length; f++) {
                    changes[f] = Math.abs(firstOrderChange(side, pass, f, u));
                    total += changes[f];
                }
                double low = 1;
                double high = 0;
                for (int f = 0; f < names.length; f++) {
                    if (pass.attentionPass.weights()[f] == 0) {
                        assertThat(changes[f]).as("an absent field changes nothing").isZero();
                        continue;
                    }
                    double got = value(e.itemFieldWeights(), names[f]);
                    assertThat(got).as("%s, item %s, %s", user, rec.item(), names[f])
                            .isCloseTo(changes[f] / total, within(TOLERANCE));
                    low = Math.min(low, got);
                    high = Math.max(high, got);
                }
                widest = Math.max(widest, high - low);
            }
        }
        assertThat(widest).isGreaterThan(10 * TOLERANCE);
    }

    @Test
    void meanPoolingKeepsItsAttentionWeightsAndSplitsTheScore() {
        int userFields = present(mean.model.user, userPass(mean, "u8")).size();
        for (Recommendation rec : explained(mean, "u8", 10)) {
            Explanation e = rec.explanation().orElseThrow();
            // Mean pooling weighs the present fields uniformly.
            int itemFields = present(mean.model.item, mean.model.item.forward(
                    new FieldEncoder.Encoded[] {mean.itemRow(rec.item())}, null, false, null)).size();
            assertThat(e.userFieldWeights()).hasSize(userFields).allSatisfy(w -> assertThat(w.value())
                    .isCloseTo(1.0 / userFields, within(1e-6)));
            assertThat(e.itemFieldWeights()).hasSize(itemFields).allSatisfy(w -> assertThat(w.value())
                    .isCloseTo(1.0 / itemFields, within(1e-6)));
            assertThat(sum(e.contributions())).isCloseTo(rec.score(), within(1e-9));
            assertThat(e.contributions()).extracting(Explanation.Weight::name).contains(Explainer.NONLINEAR);
        }
    }

    @Test
    void itemsAreLinearisedOnceAndAgainWhenTheCatalogueVectorChanges() {
        Map<ItemId, Integer> encoded = new HashMap<>();
        Map<ItemId, float[]> changed = new HashMap<>();
        Explainer explainer = new Explainer(concat.model, id -> {
            encoded.merge(id, 1, Integer::sum);
            return concat.itemRow(id);
        }, id -> changed.containsKey(id) ? changed.get(id).clone() : concat.itemEmbedding(id));
        Side.Pass pass = userPass(concat, "u9");
        List<ScoredItem> hits = new ArrayList<>();
        for (Recommendation rec : concat.recommend(RecommendationRequest.forUser(UserId.of("u9")).k(6).build())) {
            hits.add(new ScoredItem(rec.item(), (float) rec.score()));
        }
        Explanation[] first = explainer.explain(pass, hits);
        assertThat(encoded).hasSize(6).allSatisfy((id, n) -> assertThat(n).isEqualTo(1));
        assertThat(explainer.cachedItems()).isEqualTo(6);
        Explanation[] again = explainer.explain(pass, hits);
        assertThat(encoded.values()).containsOnly(1);
        assertThat(again).containsExactly(first);
        // The catalogue now serves another vector for one item (its features changed): it is linearised afresh.
        ItemId moved = hits.get(2).id();
        float[] v = concat.itemEmbedding(moved);
        v[0] = -v[0];
        changed.put(moved, v);
        Explanation[] after = explainer.explain(pass, hits);
        assertThat(encoded.get(moved)).isEqualTo(2);
        assertThat(encoded.entrySet().stream().filter(x -> !x.getKey().equals(moved)).map(Map.Entry::getValue))
                .containsOnly(1);
        // Its user-side contributions are taken against the vector now served.
        assertThat(after[2].contributions()).isNotEqualTo(first[2].contributions());
        assertThat(after[0]).isEqualTo(first[0]);
    }

    /** A tower that is an {@link MlpTower} in all but type, so the explainer takes its generic path. */
    private record Wrapped(MlpTower inner) implements Tower {
        @Override
        public int inputDim() {
            return inner.inputDim();
        }

        @Override
        public int outputDim() {
            return inner.outputDim();
        }

        @Override
        public List<Parameter> parameters() {
            return inner.parameters();
        }

        @Override
        public Pass forward(float[] input, int batch, boolean training, RandomGenerator random) {
            return inner.forward(input, batch, training, random);
        }

        @Override
        public void backward(Pass pass, float[] gradOutput, float[] gradInput, Gradients gradients) {
            inner.backward(pass, gradOutput, gradInput, gradients);
        }
    }

    @Test
    void otherTowersAreLinearisedThroughTheirBackwardPassToTheSameProducts() {
        Seeds.forEach(6, 2024, (random, seed) -> {
            int in = 6 + random.nextInt(10);
            int out = 2 + random.nextInt(5);
            MlpTower tower = (MlpTower) new MlpTowerProvider().create(Map.of("activation", "gelu", "widths", "9",
                    "layerNorm", Boolean.toString(random.nextBoolean())), in, out, seed);
            int batch = 2;
            int row = 1;
            float[] input = Seeds.floats(random, batch * in, 1);
            int width = 1 + random.nextInt(in);
            int count = 3;
            int[] at = new int[count];
            for (int j = 0; j < count; j++) {
                at[j] = random.nextInt(in - width + 1);
            }
            float[] directions = Seeds.floats(random, 1 + count * width, 1);
            float[] fast = new float[count * out];
            float[] generic = new float[count * out];
            Explainer.jacobianProducts(tower, tower.forward(input, batch, false, null), row, input, row * in, directions,
                    1, width, at, count, fast);
            Wrapped wrapped = new Wrapped(tower);
            Explainer.jacobianProducts(wrapped, wrapped.forward(input, batch, false, null), row, input, row * in,
                    directions, 1, width, at, count, generic);
            for (int i = 0; i < fast.length; i++) {
                assertThat(generic[i]).as("product %d", i).isCloseTo(fast[i], within(1e-4f * (1 + Math.abs(fast[i]))));
            }
            assertThat(fast).as("not trivially zero").isNotEqualTo(new float[fast.length]);
        });
    }
}
