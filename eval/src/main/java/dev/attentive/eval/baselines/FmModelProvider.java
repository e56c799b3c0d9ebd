package dev.attentive.eval.baselines;

import dev.attentive.api.Dataset;
import dev.attentive.api.FeatureTable;
import dev.attentive.api.FeatureValue;
import dev.attentive.api.Features;
import dev.attentive.api.FieldSpec;
import dev.attentive.api.Recommender;
import dev.attentive.api.spi.ConfigException;
import dev.attentive.api.spi.ModelInputs;
import dev.attentive.api.spi.ModelProvider;
import dev.attentive.api.spi.TrainingContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.tribuo.Example;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.MutableDataset;
import org.tribuo.VariableInfo;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.fm.FMClassificationModel;
import org.tribuo.classification.sgd.fm.FMClassificationTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.la.DenseMatrix;
import org.tribuo.math.la.DenseVector;
import org.tribuo.math.la.Tensor;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * {@code fm}: a feature-aware factorisation machine (Rendle 2010) trained with Tribuo's
 * {@link FMClassificationTrainer} (log-loss over the labels "1" and "0", AdaGrad) on every training
 * interaction as a positive and {@code negatives} items per positive drawn uniformly, by seed, among
 * the items the user has not seen. An example's features are the user id, the item id and, when
 * {@code features} is on, every user and item feature field: a categorical value is one-hot
 * ({@code field=value}, weight 1), a multi-valued field is multi-hot with weights {@code 1/n}, a
 * numeric field is one feature holding its z-score over the feature table (missing values are
 * absent features, i.e. 0).
 *
 * <p>Ranking the catalogue for a user does not call Tribuo's {@code predict} per item: the trained
 * model's biases, linear weights and factors are read once and the logit difference
 * {@code s_1(x) - s_0(x)} is computed in closed form — for {@code x = x_user + x_item} the pairwise
 * term splits into a user part, an item part and the dot product of the summed user and item factor
 * vectors — so scoring a user costs one dot product of length {@code 2 * dim} per item. A test pins
 * this closed form to Tribuo's own predictions. Training is single-threaded and deterministic per
 * seed; the trained model is thread safe. A user unknown in training is scored from the request's
 * user features alone.
 */
public final class FmModelProvider implements ModelProvider<FmModelProvider.Config> {
    /** The provider name. */
    public static final String NAME = "fm";

    private static final String POSITIVE = "1";
    private static final String NEGATIVE = "0";

    /**
     * Settings.
     *
     * @param dim factor dimension, at least 1 (default 16)
     * @param epochs passes over the sampled examples, at least 1 (default 8)
     * @param learningRate AdaGrad's initial learning rate, positive (default 0.05)
     * @param negatives negatives sampled per positive, in [1, 100] (default 3)
     * @param variance variance of the initial factors, positive (default 0.01)
     * @param features whether user and item feature fields are used besides the ids (default true)
     */
    public record Config(int dim, int epochs, double learningRate, int negatives, double variance, boolean features) {
        /** Validates, reporting every problem. */
        public Config {
            var p = new ConfigException.Problems(NAME);
            p.check(dim >= 1, "dim must be at least 1, got " + dim);
            p.check(epochs >= 1, "epochs must be at least 1, got " + epochs);
            p.check(learningRate > 0 && Double.isFinite(learningRate), "learningRate must be positive, got " + learningRate);
            p.check(negatives >= 1 && negatives <= 100, "negatives must be in [1, 100], got " + negatives);
            p.check(variance > 0 && Double.isFinite(variance), "variance must be positive, got " + variance);
            p.throwIfAny();
        }
    }

    /** Creates the provider (ServiceLoader needs a public no-argument constructor). */
    public FmModelProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Config defaultConfig() {
        return new Config(16, 8, 0.05, 3, 0.01, true);
    }

    /** With {@code features} on, every user and item field of the data's schemas; else the interactions only. */
    @Override
    public Optional<ModelInputs> inputs(Dataset data, Config config) {
        if (!config.features()) {
            return Optional.of(ModelInputs.INTERACTIONS_ONLY);
        }
        return Optional.of(new ModelInputs(data.users().schema().fields().stream().map(FieldSpec::name).toList(),
                data.items().schema().fields().stream().map(FieldSpec::name).toList(), List.of()));
    }

    @Override
    public Recommender train(Dataset train, Config config, TrainingContext context) {
        // Tribuo trains all epochs in one call and exposes no per-epoch loss, so no EpochStats are sent.
        return fit(train, config, context.seed()).recommender();
    }

    /** What {@link #fit} produces; the Tribuo model and encoded rows are kept for tests. */
    record Fitted(FmRecommender recommender, FMClassificationModel model, SparseRow[] userRows, SparseRow[] itemRows,
            int examples) {
    }

    Fitted fit(Dataset train, Config config, long seed) {
        InteractionMatrix m = new InteractionMatrix(train);
        int nu = m.users();
        int ni = m.itemCount();
        Encoder userEncoder = new Encoder("u", train.users(), config.features());
        Encoder itemEncoder = new Encoder("i", train.items(), config.features());
        SparseRow[] userRows = new SparseRow[nu];
        for (var e : m.userIndex.entrySet()) {
            userRows[e.getValue()] = userEncoder.encode(e.getKey().value(), train.users().get(e.getKey()));
        }
        SparseRow[] itemRows = new SparseRow[ni];
        for (int i = 0; i < ni; i++) {
            itemRows[i] = itemEncoder.encode(m.items[i].value(), train.items().get(m.items[i]));
        }
        LabelFactory labels = new LabelFactory();
        Label pos = new Label(POSITIVE);
        Label neg = new Label(NEGATIVE);
        MutableDataset<Label> examples = new MutableDataset<>(
                new SimpleDataSourceProvenance("attentive fm: positives and sampled negatives of " + train.name(), labels),
                labels);
        SplittableRandom random = new SplittableRandom(seed);
        int positives = 0;
        for (int u = 0; u < nu; u++) {
            int own = m.userOffsets[u + 1] - m.userOffsets[u];
            for (int p = m.userOffsets[u]; p < m.userOffsets[u + 1]; p++) {
                examples.add(example(pos, userRows[u], itemRows[m.userItems[p]]));
                positives++;
                if (own >= ni) {
                    continue; // the user has every item: no negative exists
                }
                for (int n = 0; n < config.negatives(); n++) {
                    int j;
                    do {
                        j = random.nextInt(ni);
                    } while (m.has(u, j));
                    examples.add(example(neg, userRows[u], itemRows[j]));
                }
            }
        }
        if (positives == 0) {
            throw new IllegalArgumentException("fm: the training data of '" + train.name() + "' has no interactions");
        }
        // A new trainer per call: Tribuo derives each call's randomness from its invocation count.
        FMClassificationTrainer trainer = new FMClassificationTrainer(new LogMulticlass(),
                new AdaGrad(config.learningRate(), 0.1), config.epochs(), -1, 1, seed, config.dim(),
                config.variance());
        FMClassificationModel model = trainer.train(examples);
        Scorer scorer = new Scorer(model, config.dim());
        float[][] itemQ = new float[ni][];
        float[] itemConst = new float[ni];
        for (int i = 0; i < ni; i++) {
            itemQ[i] = scorer.factors(itemRows[i]);
            itemConst[i] = (float) scorer.selfTerm(itemRows[i], itemQ[i]);
        }
        float[][] userQ = new float[nu][];
        float[] userConst = new float[nu];
        for (int u = 0; u < nu; u++) {
            userQ[u] = scorer.factors(userRows[u]);
            userConst[u] = (float) scorer.selfTerm(userRows[u], userQ[u]);
        }
        FmRecommender recommender = new FmRecommender(m, scorer, userEncoder, userQ, userConst, itemQ, itemConst,
                (float) scorer.biasDifference());
        return new Fitted(recommender, model, userRows, itemRows, examples.size());
    }

    static Example<Label> example(Label label, SparseRow user, SparseRow item) {
        String[] names = new String[user.names.length + item.names.length];
        double[] values = new double[names.length];
        System.arraycopy(user.names, 0, names, 0, user.names.length);
        System.arraycopy(item.names, 0, names, user.names.length, item.names.length);
        System.arraycopy(user.values, 0, values, 0, user.values.length);
        System.arraycopy(item.values, 0, values, user.values.length, item.values.length);
        return new ArrayExample<>(label, names, values);
    }

    /** The Tribuo feature names and values of one user or item. */
    record SparseRow(String[] names, double[] values) {
    }

    /**
     * Turns a feature row into Tribuo feature names ({@code prefix:id=…}, {@code prefix:field=value},
     * {@code prefix:field}) and values; numeric fields are z-scored by the table's mean and
     * standard deviation. Feature name strings are shared between rows to keep the sampled data small.
     */
    static final class Encoder {
        private final String prefix;
        private final boolean useFields;
        private final FeatureTable<?> table;
        private final Map<String, double[]> numericStats = new HashMap<>();
        private final Map<String, String> names = new HashMap<>();

        Encoder(String prefix, FeatureTable<?> table, boolean useFields) {
            this.prefix = prefix;
            this.table = table;
            this.useFields = useFields;
            for (FieldSpec field : table.schema().fields()) {
                if (field.type() != dev.attentive.api.FeatureType.NUMERIC) {
                    continue;
                }
                double sum = 0;
                double sq = 0;
                int n = 0;
                for (Features row : table.rows().values()) {
                    if (row.get(field.name()).orElse(null) instanceof FeatureValue.Numeric num) {
                        sum += num.value();
                        sq += num.value() * num.value();
                        n++;
                    }
                }
                double mean = n == 0 ? 0 : sum / n;
                double var = n == 0 ? 0 : Math.max(0, sq / n - mean * mean);
                numericStats.put(field.name(), new double[] {mean, Math.sqrt(var)});
            }
        }

        private String intern(String name) {
            return names.computeIfAbsent(name, k -> k);
        }

        SparseRow encode(String id, Features features) {
            Set<String> seen = new LinkedHashSet<>();
            List<String> n = new ArrayList<>();
            List<Double> v = new ArrayList<>();
            if (id != null) {
                n.add(intern(prefix + ":id=" + id));
                v.add(1.0);
            }
            if (useFields) {
                for (var e : features.values().entrySet()) {
                    if (table.schema().field(e.getKey()).isEmpty()) {
                        continue; // request context the model was not trained on
                    }
                    switch (e.getValue()) {
                        case FeatureValue.Categorical c -> {
                            n.add(intern(prefix + ":" + e.getKey() + "=" + c.value()));
                            v.add(1.0);
                        }
                        case FeatureValue.MultiCategorical mc -> {
                            seen.clear();
                            seen.addAll(mc.values());
                            for (String value : seen) {
                                n.add(intern(prefix + ":" + e.getKey() + "=" + value));
                                v.add(1.0 / seen.size());
                            }
                        }
                        case FeatureValue.Numeric num -> {
                            double[] stats = numericStats.get(e.getKey());
                            if (stats != null && stats[1] > 0) {
                                n.add(intern(prefix + ":" + e.getKey()));
                                v.add((num.value() - stats[0]) / stats[1]);
                            }
                        }
                    }
                }
            }
            double[] values = new double[v.size()];
            for (int x = 0; x < values.length; x++) {
                values[x] = v.get(x);
            }
            return new SparseRow(n.toArray(String[]::new), values);
        }
    }

    /**
     * The trained FM's parameters for the two labels, read once from Tribuo's model, and the closed
     * form of the logit difference. Immutable after construction.
     */
    static final class Scorer {
        private final ImmutableFeatureMap featureMap;
        private final int dim;
        private final double[] linearDiff;
        private final double[][] factorsPos;
        private final double[][] factorsNeg;
        private final double biasDiff;

        Scorer(FMClassificationModel model, int dim) {
            this.featureMap = model.getFeatureIDMap();
            this.dim = dim;
            int posId = model.getOutputIDInfo().getID(new Label(POSITIVE));
            int negId = model.getOutputIDInfo().getID(new Label(NEGATIVE));
            DenseMatrix linear = model.getLinearWeightsCopy();
            DenseVector biases = model.getBiasesCopy();
            Tensor[] factors = model.getFactorsCopy();
            int features = featureMap.size();
            linearDiff = new double[features];
            for (int f = 0; f < features; f++) {
                linearDiff[f] = linear.get(posId, f) - linear.get(negId, f);
            }
            biasDiff = biases.get(posId) - biases.get(negId);
            factorsPos = perFeature((DenseMatrix) factors[posId], features, dim);
            factorsNeg = perFeature((DenseMatrix) factors[negId], features, dim);
        }

        /** The factor matrix as one {@code dim}-vector per feature, whichever way Tribuo lays it out. */
        private static double[][] perFeature(DenseMatrix v, int features, int dim) {
            boolean featureRows = v.getDimension1Size() == features && v.getDimension2Size() == dim;
            if (!featureRows && !(v.getDimension1Size() == dim && v.getDimension2Size() == features)) {
                throw new IllegalStateException("Unexpected FM factor shape " + v.getDimension1Size() + " x "
                        + v.getDimension2Size() + " for " + features + " features and dim " + dim);
            }
            double[][] out = new double[features][dim];
            for (int f = 0; f < features; f++) {
                for (int k = 0; k < dim; k++) {
                    out[f][k] = featureRows ? v.get(f, k) : v.get(k, f);
                }
            }
            return out;
        }

        double biasDifference() {
            return biasDiff;
        }

        /** {@code [V_1 x, V_0 x]}: the summed factors of a row for each label ({@code 2 * dim} floats). */
        float[] factors(SparseRow row) {
            float[] q = new float[2 * dim];
            for (int x = 0; x < row.names.length; x++) {
                VariableInfo info = featureMap.get(row.names[x]);
                if (info == null) {
                    continue; // a feature never seen in training has zero weight
                }
                int f = featureMap.getID(row.names[x]);
                for (int k = 0; k < dim; k++) {
                    q[k] += (float) (factorsPos[f][k] * row.values[x]);
                    q[dim + k] += (float) (factorsNeg[f][k] * row.values[x]);
                }
            }
            return q;
        }

        /** The row's own share of the logit difference: its linear term and the pairwise terms within it. */
        double selfTerm(SparseRow row, float[] q) {
            double linearTerm = 0;
            double squaresPos = 0;
            double squaresNeg = 0;
            for (int x = 0; x < row.names.length; x++) {
                if (featureMap.get(row.names[x]) == null) {
                    continue;
                }
                int f = featureMap.getID(row.names[x]);
                double value = row.values[x];
                linearTerm += linearDiff[f] * value;
                for (int k = 0; k < dim; k++) {
                    squaresPos += factorsPos[f][k] * factorsPos[f][k] * value * value;
                    squaresNeg += factorsNeg[f][k] * factorsNeg[f][k] * value * value;
                }
            }
            double sumPos = 0;
            double sumNeg = 0;
            for (int k = 0; k < dim; k++) {
                sumPos += (double) q[k] * q[k];
                sumNeg += (double) q[dim + k] * q[dim + k];
            }
            return linearTerm + 0.5 * (sumPos - squaresPos) - 0.5 * (sumNeg - squaresNeg);
        }
    }

    /** Scores every item for a user from precomputed item factor sums. */
    static final class FmRecommender extends ScoringRecommender {
        private final Scorer scorer;
        private final Encoder userEncoder;
        private final float[][] userQ;
        private final float[] userConst;
        private final float[][] itemQ;
        private final float[] itemConst;
        private final float bias;
        private final int dim;

        FmRecommender(InteractionMatrix m, Scorer scorer, Encoder userEncoder, float[][] userQ, float[] userConst,
                float[][] itemQ, float[] itemConst, float bias) {
            super(m);
            this.scorer = scorer;
            this.userEncoder = userEncoder;
            this.userQ = userQ;
            this.userConst = userConst;
            this.itemQ = itemQ;
            this.itemConst = itemConst;
            this.bias = bias;
            this.dim = scorer.dim;
        }

        @Override
        void score(int user, int[] history, float[] out) {
            score(user, history, Features.NONE, out);
        }

        @Override
        void score(int user, int[] history, Features userFeatures, float[] out) {
            float[] q;
            float c;
            if (user >= 0) {
                q = userQ[user];
                c = userConst[user];
            } else {
                SparseRow row = userEncoder.encode(null, userFeatures);
                q = scorer.factors(row);
                c = (float) scorer.selfTerm(row, q);
            }
            for (int i = 0; i < out.length; i++) {
                float[] p = itemQ[i];
                float s = 0;
                for (int k = 0; k < dim; k++) {
                    s += q[k] * p[k];
                }
                for (int k = dim; k < 2 * dim; k++) {
                    s -= q[k] * p[k];
                }
                out[i] = bias + c + itemConst[i] + s;
            }
        }

        /** The logit difference of one known user and item, for tests. */
        double logit(int user, int item) {
            float[] out = new float[itemQ.length];
            score(user, new int[0], out);
            return out[item];
        }
    }
}
