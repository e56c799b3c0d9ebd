package dev.attentive.model.nn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attentive.api.Attention;
import dev.attentive.api.Dataset;
import dev.attentive.api.FeatureSchema;
import dev.attentive.api.FeatureTable;
import dev.attentive.api.Features;
import dev.attentive.api.FieldSpec;
import dev.attentive.api.Gradients;
import dev.attentive.api.Interaction;
import dev.attentive.api.ItemId;
import dev.attentive.api.Parameter;
import dev.attentive.api.UserId;
import dev.attentive.kernels.ParallelFor;
import dev.attentive.kernels.Vectors;
import dev.attentive.model.TwoTowerModelProvider;
import dev.attentive.model.features.FieldEncoder;
import dev.attentive.testkit.GradientCheck;
import dev.attentive.testkit.Seeds;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Finite-difference checks of a whole {@link Side}: embedding lookups (vocabulary with its OOV row,
 * hashed, multi-valued mean, standardised or bucketised numeric), the history pooled over the item
 * side's id table (fused mean and the generic gather/scatter path), the field attention, the GELU
 * tower and the L2 normalisation; and of the in-batch softmax loss through both towers.
 *
 * <p>Every entry of every embedding table and every dense parameter is perturbed, so untouched rows
 * are checked to have a zero gradient too. The towers use GELU so that no difference straddles a
 * ReLU kink.
 *
 * <p>Step, floor and why not one central difference: a plain central difference with step 1e-2
 * was measured to converge to the analytic gradient as {@code eps^2} (halving the step quarters the
 * error, down to the float noise at 1e-3), but with truncation errors up to 1e-2 relative where the
 * L2 normalisation and GELU curve strongly. So the numeric derivative is Ridders' extrapolation of
 * central differences starting at step 2e-2 (see {@link #ridders}), which removes the truncation
 * error. What is left is the rounding noise of the float forward pass, measured at up to 5e-5
 * absolute in the derivative; the floor of 0.1 keeps that under the 1e-3 relative bound (measured
 * over 120 seeded cases: worst error 4.8e-4 by the check's formula, 3.4e-4 relative for gradients
 * above 0.1 in size).
 */
class SideGradientTest {
    private static final double H0 = 2e-2;
    private static final double TOLERANCE = 1e-3;
    private static final double FLOOR = 0.1;
    private static final ParallelFor ONE = new ParallelFor(1, "test");

    /**
     * GradientCheck's comparison ({@code |a - n| / max(|a| + |n|, floor)} against the tolerance, every
     * entry perturbed in place and restored) with the numeric derivative taken by Ridders'
     * extrapolation of central differences from a step of 2e-2 down by factors of 1.4.
     */
    private static void check(String what, float[] values, float[] analytic, DoubleSupplier loss) {
        for (int i = 0; i < values.length; i++) {
            double numeric = ridders(values, i, loss, H0);
            double error = Math.abs(analytic[i] - numeric) / Math.max(Math.abs(analytic[i]) + Math.abs(numeric), FLOOR);
            assertThat(error)
                    .as("%s[%d]: analytic %s vs numeric %s (relative error %s)", what, i, analytic[i], numeric, error)
                    .isLessThanOrEqualTo(TOLERANCE);
        }
    }

    /** The central difference of the loss in {@code values[i]} with step {@code h} (the float step actually taken). */
    private static double central(float[] values, int i, DoubleSupplier loss, double h) {
        float saved = values[i];
        values[i] = (float) (saved + h);
        double up = loss.getAsDouble();
        values[i] = (float) (saved - h);
        double down = loss.getAsDouble();
        values[i] = saved;
        return (up - down) / ((double) (float) (saved + h) - (float) (saved - h));
    }

    /**
     * Ridders' method (Numerical Recipes {@code dfridr}): a Neville table of central differences at
     * steps {@code h0 / 1.4^k}, extrapolated to step 0, returning the entry with the smallest
     * estimated error and stopping once rounding noise makes the table diverge.
     */
    private static double ridders(float[] values, int i, DoubleSupplier loss, double h0) {
        final int size = 6;
        final double shrink = 1.4;
        double[][] a = new double[size][size];
        double h = h0;
        a[0][0] = central(values, i, loss, h);
        double err = Double.MAX_VALUE;
        double answer = a[0][0];
        for (int k = 1; k < size; k++) {
            h /= shrink;
            a[0][k] = central(values, i, loss, h);
            double factor = shrink * shrink;
            for (int j = 1; j <= k; j++) {
                a[j][k] = (a[j - 1][k] * factor - a[j - 1][k - 1]) / (factor - 1);
                factor *= shrink * shrink;
                double e = Math.max(Math.abs(a[j][k] - a[j - 1][k]), Math.abs(a[j][k] - a[j - 1][k - 1]));
                if (e <= err) {
                    err = e;
                    answer = a[j][k];
                }
            }
            if (Math.abs(a[k][k] - a[k - 1][k - 1]) >= 2 * err) {
                break;
            }
        }
        return answer;
    }

    @AfterAll
    static void stop() {
        ONE.close();
    }

    /** A small random dataset: users with a vocabulary, a hashed, a multi-valued and a numeric field. */
    private static Dataset dataset(SplittableRandom random, int userCount, int itemCount) {
        Map<UserId, Features> users = new LinkedHashMap<>();
        Map<ItemId, Features> items = new LinkedHashMap<>();
        List<Interaction> interactions = new ArrayList<>();
        for (int i = 0; i < itemCount; i++) {
            Features.Builder f = Features.builder();
            if (random.nextInt(4) > 0) {
                f.multi("genres", randomTags(random, List.of("drama", "comedy", "action")));
            }
            if (random.nextInt(4) > 0) {
                f.numeric("year", 1980 + random.nextInt(40));
            }
            if (random.nextInt(4) > 0) {
                f.categorical("kind", random.nextBoolean() ? "film" : "series");
            }
            items.put(ItemId.of("i" + i), f.build());
        }
        for (int u = 0; u < userCount; u++) {
            Features.Builder f = Features.builder();
            if (random.nextInt(4) > 0) {
                f.categorical("gender", random.nextBoolean() ? "f" : "m");
            }
            // Many distinct zips: more than maxVocabulary, so the field is hashed.
            f.categorical("zip", "z" + random.nextInt(1000));
            if (random.nextInt(4) > 0) {
                f.multi("tags", randomTags(random, List.of("x", "y", "z", "w")));
            }
            if (random.nextInt(4) > 0) {
                f.numeric("age", 18 + random.nextInt(50));
            }
            users.put(UserId.of("u" + u), f.build());
            int count = 1 + random.nextInt(4);
            for (int k = 0; k < count; k++) {
                interactions.add(new Interaction(UserId.of("u" + u), ItemId.of("i" + random.nextInt(itemCount)),
                        1000L * k + u, 1f));
            }
        }
        // One catalogue item that nobody trained on: it has no id row.
        items.put(ItemId.of("cold"), Features.builder().categorical("kind", "film").build());
        return new Dataset("side-gradients", interactions,
                new FeatureTable<>(FeatureSchema.of(FieldSpec.categorical("gender"), FieldSpec.categorical("zip"),
                        FieldSpec.multiCategorical("tags"), FieldSpec.numeric("age")), users),
                new FeatureTable<>(FeatureSchema.of(FieldSpec.multiCategorical("genres"), FieldSpec.numeric("year"),
                        FieldSpec.categorical("kind")), items));
    }

    private static List<String> randomTags(SplittableRandom random, List<String> pool) {
        List<String> out = new ArrayList<>();
        for (String s : pool) {
            if (random.nextInt(3) == 0) {
                out.add(s);
            }
        }
        return out;
    }

    static TwoTowerModel model(SplittableRandom random, long seed) {
        return model(random, seed, random.nextBoolean() ? "mean" : "concat-mlp");
    }

    /** A model whose field attention is {@code attention} (the default, concat-mlp, or mean). */
    static TwoTowerModel model(SplittableRandom random, long seed, String attention) {
        int dim = 3 + random.nextInt(4);
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("attention", attention);
        settings.put("dim", String.valueOf(dim));
        settings.put("userWidths", String.valueOf(2 + random.nextInt(5)));
        settings.put("itemWidths", random.nextBoolean() ? "" : String.valueOf(2 + random.nextInt(5)));
        settings.put("activation", "gelu");
        settings.put("historyAttention", "mean");
        settings.put("historyLength", String.valueOf(1 + random.nextInt(4)));
        settings.put("maxVocabulary", "3");
        settings.put("hashBuckets", String.valueOf(2 + random.nextInt(4)));
        settings.put("numericBuckets", random.nextBoolean() ? "0" : "3");
        TwoTowerModelProvider.Config config = new TwoTowerModelProvider().configure(settings);
        return TwoTowerModel.build(dataset(random, 2 + random.nextInt(3), 3 + random.nextInt(4)), config, seed);
    }

    /** Rows of a user batch: known and unknown users, unseen values (OOV rows), missing fields. */
    static FieldEncoder.Encoded[] userRows(TwoTowerModel model, SplittableRandom random, int batch) {
        FieldEncoder.Encoded[] rows = new FieldEncoder.Encoded[batch];
        for (int b = 0; b < batch; b++) {
            int u = random.nextInt(model.users.length + 1) - 1;
            Features features = u >= 0 && random.nextBoolean() ? model.userFeatures[u] : randomUserFeatures(random);
            rows[b] = model.encodeUser(u, features, Interaction.NO_TIMESTAMP, "row " + b);
        }
        return rows;
    }

    private static Features randomUserFeatures(SplittableRandom random) {
        Features.Builder f = Features.builder();
        if (random.nextBoolean()) {
            f.categorical("gender", List.of("f", "m", "unseen").get(random.nextInt(3)));
        }
        if (random.nextBoolean()) {
            f.categorical("zip", "z" + random.nextInt(1000));
        }
        if (random.nextBoolean()) {
            f.multi("tags", randomTags(random, List.of("x", "y", "unseen")));
        }
        if (random.nextBoolean()) {
            f.numeric("age", 10 + random.nextInt(70));
        }
        return f.build();
    }

    /** Histories of varying length (empty, shorter and longer than historyLength), some rows sharing one array. */
    static int[][] histories(TwoTowerModel model, SplittableRandom random, int batch) {
        int idRows = model.item.tables[0].shape()[0];
        int[][] out = new int[batch][];
        for (int b = 0; b < batch; b++) {
            if (b > 0 && random.nextInt(4) == 0) {
                out[b] = out[random.nextInt(b)];
                continue;
            }
            int[] h = new int[random.nextInt(model.config.historyLength() + 2)];
            for (int i = 0; i < h.length; i++) {
                h[i] = 1 + random.nextInt(idRows - 1);
            }
            out[b] = h;
        }
        return out;
    }

    private static FieldEncoder.Encoded[] itemRows(TwoTowerModel model, int[] catalogue) {
        FieldEncoder.Encoded[] rows = new FieldEncoder.Encoded[catalogue.length];
        for (int j = 0; j < catalogue.length; j++) {
            rows[j] = model.encodeItem(catalogue[j]);
        }
        return rows;
    }

    /** Checks d(probe . embeddings) of one side against central differences, every table and parameter. */
    private static void checkSide(Side side, FieldEncoder.Encoded[] rows, int[][] histories, SplittableRandom random) {
        int batch = rows.length;
        float[] probe = Seeds.floats(random, batch * side.dim, 1);
        Side.Grads grads = side.new Grads();
        Side.Pass pass = side.forward(rows, histories, false, null);
        side.backward(pass, probe, grads);
        DoubleSupplier loss = () -> GradientCheck.probe(side.forward(rows, histories, false, null).embeddings, probe);
        int touched = 0;
        for (int t = 0; t < side.tables.length; t++) {
            touched += grads.tables[t].count();
            check(side.tables[t].name(), side.tables[t].values(), grads.tables[t].values, loss);
        }
        assertThat(touched).isPositive();
        if (side.historyTable != null) {
            check("history into " + side.historyTable.name(), side.historyTable.values(),
                    grads.history.values, loss);
        }
        List<Parameter> dense = side.denseParameters();
        assertThat(dense).isNotEmpty();
        for (Parameter p : dense) {
            check(side.prefix + " " + p.name(), p.values(), grads.dense.of(p), loss);
        }
    }

    @Test
    void userSideWithFusedMeanHistoryMatchesFiniteDifferences() {
        Seeds.forEach(6, 4711, (random, seed) -> {
            TwoTowerModel model = model(random, seed);
            int batch = 2 + random.nextInt(4);
            checkSide(model.user, userRows(model, random, batch), histories(model, random, batch), random);
        });
    }

    @Test
    void itemSideMatchesFiniteDifferences() {
        Seeds.forEach(6, 4712, (random, seed) -> {
            TwoTowerModel model = model(random, seed);
            int batch = 2 + random.nextInt(4);
            int[] catalogue = new int[batch];
            for (int j = 0; j < batch; j++) {
                catalogue[j] = random.nextInt(model.items.length);
            }
            checkSide(model.item, itemRows(model, catalogue), null, random);
        });
    }

    /**
     * The generic path (any attention plugin other than {@code mean}): a parametric softmax-gate
     * attention over the fields and over the history, so the gather, the scatter into the item id
     * table and the attention parameter gradients are all exercised.
     */
    @Test
    void userSideWithParametricAttentionsMatchesFiniteDifferences() {
        Seeds.forEach(6, 4713, (random, seed) -> {
            // The gate attention pools into the field space, so the tower must be sized for that.
            TwoTowerModel model = model(random, seed, "mean");
            Side base = model.user;
            int n = base.historyLength;
            Side side = new Side("user", base.dim, base.fields, base.tables,
                    new GateAttention(base.fieldCount(), base.dim, random), base.tower,
                    new GateAttention(n, base.dim, random), n);
            side.historyTable = base.historyTable;
            int batch = 2 + random.nextInt(4);
            checkSide(side, userRows(model, random, batch), histories(model, random, batch), random);
        });
    }

    /**
     * Rows sharing their encoded fields and history array are attended once ({@link Side#forward}):
     * the embeddings and every gradient equal those of the same batch built from equal copies, which
     * are attended row by row, up to the order in which the copies' gradients are summed.
     */
    @Test
    void duplicateRowsAreAttendedOnceWithTheSameResults() {
        Seeds.forEach(6, 4715, (random, seed) -> {
            TwoTowerModel model = model(random, seed, "mean");
            Side side = model.user;
            if (random.nextBoolean()) {
                int n = side.historyLength;
                side = new Side("user", side.dim, side.fields, side.tables,
                        new GateAttention(side.fieldCount(), side.dim, random), side.tower,
                        new GateAttention(n, side.dim, random), n);
                side.historyTable = model.user.historyTable;
            }
            int batch = 4 + random.nextInt(5);
            FieldEncoder.Encoded[] rows = userRows(model, random, batch);
            int[][] histories = histories(model, random, batch);
            for (int b = 1; b < batch; b += 2) {
                int j = random.nextInt(b);
                rows[b] = rows[j];
                histories[b] = histories[j];
            }
            FieldEncoder.Encoded[] copies = new FieldEncoder.Encoded[batch];
            int[][] historyCopies = new int[batch][];
            for (int b = 0; b < batch; b++) {
                copies[b] = new FieldEncoder.Encoded(rows[b].offsets().clone(), rows[b].rows().clone(),
                        rows[b].weights().clone());
                historyCopies[b] = histories[b].clone();
            }
            float[] probe = Seeds.floats(random, batch * side.dim, 1);
            Side.Pass shared = side.forward(rows, histories, false, null);
            Side.Pass copied = side.forward(copies, historyCopies, false, null);
            assertThat(shared.distinct).isLessThan(batch);
            assertThat(copied.distinct).isEqualTo(batch);
            assertThat(shared.embeddings).containsExactly(copied.embeddings);
            Side.Grads a = side.new Grads();
            Side.Grads b = side.new Grads();
            side.backward(shared, probe, a);
            side.backward(copied, probe, b);
            for (int t = 0; t < side.tables.length; t++) {
                assertClose(side.tables[t].name(), a.tables[t].values, b.tables[t].values);
            }
            assertClose("history", a.history.values, b.history.values);
            for (Parameter p : side.denseParameters()) {
                assertClose(p.name(), a.dense.of(p), b.dense.of(p));
            }
        });
    }

    private static void assertClose(String what, float[] actual, float[] expected) {
        for (int i = 0; i < expected.length; i++) {
            assertThat((double) actual[i]).as("%s[%d]", what, i)
                    .isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-5 * (1 + Math.abs(expected[i]))));
        }
    }

    /**
     * The training step's loss end to end: both towers, the in-batch softmax with logQ correction,
     * an accidental hit and an extra negative, and the history gradient merged into the item id
     * table's gradient as the trainer does.
     */
    @Test
    void inBatchSoftmaxThroughBothTowersMatchesFiniteDifferences() {
        Seeds.forEach(4, 4714, (random, seed) -> {
            TwoTowerModel model = model(random, seed);
            int batch = 2 + random.nextInt(4);
            int n = batch + 1;
            int[] candidates = new int[n];
            for (int j = 0; j < n; j++) {
                candidates[j] = random.nextInt(model.items.length);
            }
            candidates[0] = 0; // a trained item (the catalogue lists them first), so the id table has a gradient
            candidates[batch - 1] = candidates[0];
            float[] correction = new float[n];
            for (int j = 0; j < n; j++) {
                correction[j] = (float) Math.log(0.05 + random.nextDouble());
            }
            float scale = (float) (1 + 3 * random.nextDouble());
            int dim = model.config.dim();
            FieldEncoder.Encoded[] users = userRows(model, random, batch);
            int[][] histories = histories(model, random, batch);
            FieldEncoder.Encoded[] items = itemRows(model, candidates);
            DoubleSupplier loss = () -> InBatchSoftmaxLoss.compute(
                    model.user.forward(users, histories, false, null).embeddings, batch,
                    model.item.forward(items, null, false, null).embeddings, n, dim, candidates, correction, scale,
                    ONE).loss;

            Side.Pass up = model.user.forward(users, histories, false, null);
            Side.Pass ip = model.item.forward(items, null, false, null);
            InBatchSoftmaxLoss.Result r = InBatchSoftmaxLoss.compute(up.embeddings, batch, ip.embeddings, n, dim,
                    candidates, correction, scale, ONE);
            Side.Grads userGrads = model.user.new Grads();
            Side.Grads itemGrads = model.item.new Grads();
            model.user.backward(up, r.gradUsers, userGrads);
            model.item.backward(ip, r.gradCandidates, itemGrads);
            itemGrads.tables[0].addAll(userGrads.history);
            for (Side side : List.of(model.user, model.item)) {
                Side.Grads g = side == model.user ? userGrads : itemGrads;
                for (int t = 0; t < side.tables.length; t++) {
                    check(side.tables[t].name(), side.tables[t].values(), g.tables[t].values, loss);
                }
                for (Parameter p : side.denseParameters()) {
                    check(side.prefix + " " + p.name(), p.values(), g.dense.of(p), loss);
                }
            }
            assertThat(itemGrads.tables[0].count()).isPositive();
        });
    }

    /**
     * A test attention with parameters: weights {@code softmax_f(q . x_f)} over the present fields,
     * output {@code sum_f w_f x_f}. Stands in for the attention module's plugins, which core-model
     * must not depend on.
     */
    static final class GateAttention implements Attention {
        private final int fields;
        private final int dim;
        private final Parameter query;

        GateAttention(int fields, int dim, SplittableRandom random) {
            this.fields = fields;
            this.dim = dim;
            this.query = new Parameter("gate.query", new int[] {dim}, Seeds.floats(random, dim, 1));
        }

        @Override
        public int fieldCount() {
            return fields;
        }

        @Override
        public int dim() {
            return dim;
        }

        @Override
        public int outputDim() {
            return dim;
        }

        @Override
        public List<Parameter> parameters() {
            return List.of(query);
        }

        @Override
        public Pass forward(float[] input, float[] mask, int batch, boolean training, RandomGenerator random) {
            float[] output = new float[batch * dim];
            float[] weights = new float[batch * fields];
            float[] q = query.values();
            for (int b = 0; b < batch; b++) {
                double max = Double.NEGATIVE_INFINITY;
                double[] s = new double[fields];
                for (int f = 0; f < fields; f++) {
                    if (mask != null && mask[b * fields + f] == 0) {
                        continue;
                    }
                    s[f] = Vectors.dot(q, 0, input, (b * fields + f) * dim, dim);
                    max = Math.max(max, s[f]);
                }
                if (max == Double.NEGATIVE_INFINITY) {
                    continue;
                }
                double sum = 0;
                for (int f = 0; f < fields; f++) {
                    if (mask == null || mask[b * fields + f] != 0) {
                        s[f] = Math.exp(s[f] - max);
                        sum += s[f];
                    }
                }
                for (int f = 0; f < fields; f++) {
                    if (mask == null || mask[b * fields + f] != 0) {
                        float w = (float) (s[f] / sum);
                        weights[b * fields + f] = w;
                        Vectors.axpy(w, input, (b * fields + f) * dim, output, b * dim, dim);
                    }
                }
            }
            return new GatePass(batch, input.clone(), output, weights);
        }

        @Override
        public void backward(Pass pass, float[] gradOutput, float[] gradFields, Gradients gradients) {
            GatePass p = (GatePass) pass;
            float[] q = query.values();
            float[] gq = gradients.of(query);
            float[] weights = p.weights();
            for (int b = 0; b < p.batch(); b++) {
                double[] gx = new double[fields];
                double mean = 0;
                for (int f = 0; f < fields; f++) {
                    gx[f] = Vectors.dot(gradOutput, b * dim, p.input(), (b * fields + f) * dim, dim);
                    mean += weights[b * fields + f] * gx[f];
                }
                for (int f = 0; f < fields; f++) {
                    float w = weights[b * fields + f];
                    if (w == 0) {
                        continue;
                    }
                    float gs = (float) (w * (gx[f] - mean));
                    int in = (b * fields + f) * dim;
                    Vectors.axpy(w, gradOutput, b * dim, gradFields, in, dim);
                    Vectors.axpy(gs, q, 0, gradFields, in, dim);
                    Vectors.axpy(gs, p.input(), in, gq, 0, dim);
                }
            }
        }

        private record GatePass(int batch, float[] input, float[] output, float[] weights) implements Pass {
        }
    }
}
