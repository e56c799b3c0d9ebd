package dev.attentive.eval.baselines;

import dev.attentive.api.Dataset;
import dev.attentive.api.Recommender;
import dev.attentive.api.spi.ConfigException;
import dev.attentive.api.spi.ModelInputs;
import dev.attentive.api.spi.ModelProvider;
import dev.attentive.api.spi.TrainingContext;
import dev.attentive.kernels.ParallelFor;
import java.util.Optional;

/**
 * {@code itemknn}: item-based neighbourhood model as RecBole's ItemKNN. Similarity is the cosine of
 * binary item columns with shrinkage, {@code sim(i,j) = c_ij / (|i| |j| + shrink + 1e-6)} with
 * {@code c_ij} the co-occurrence count and {@code |i|} the column norm; each target item keeps its
 * {@code neighbours} most similar items (not itself); a user's score for item j sums the similarities
 * of j's neighbours the user has. Training is parallel over items; the model is thread safe.
 */
public final class ItemKnnModelProvider implements ModelProvider<ItemKnnModelProvider.Config> {
    /** The provider name. */
    public static final String NAME = "itemknn";

    /**
     * Settings.
     *
     * @param neighbours neighbours kept per item, at least 1 (default 100)
     * @param shrink shrinkage added to the cosine's denominator, at least 0 (default 0)
     */
    public record Config(int neighbours, double shrink) {
        /** Validates. */
        public Config {
            var p = new ConfigException.Problems(NAME);
            p.check(neighbours >= 1, "neighbours must be at least 1, got " + neighbours);
            p.check(shrink >= 0 && Double.isFinite(shrink), "shrink must be finite and at least 0, got " + shrink);
            p.throwIfAny();
        }
    }

    /** Creates the provider (ServiceLoader needs a public no-argument constructor). */
    public ItemKnnModelProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Config defaultConfig() {
        return new Config(100, 0);
    }

    /** Reads the interactions only. */
    @Override
    public Optional<ModelInputs> inputs(Dataset data, Config config) {
        return Optional.of(ModelInputs.INTERACTIONS_ONLY);
    }

    @Override
    public Recommender train(Dataset train, Config config, TrainingContext context) {
        InteractionMatrix m = new InteractionMatrix(train);
        int n = m.itemCount();
        float[] c = m.cooccurrence(context.threads());
        double[] norm = new double[n];
        for (int i = 0; i < n; i++) {
            norm[i] = Math.sqrt(m.itemCounts[i]);
        }
        int k = Math.min(config.neighbours(), Math.max(1, n - 1));
        int[][] nbr = new int[n][];
        float[][] weight = new float[n][];
        ParallelFor.forEach(n, context.threads(), j -> {
            // Top-k of column j by similarity, ties to the lower index.
            int[] idx = new int[k];
            float[] val = new float[k];
            int size = 0;
            for (int i = 0; i < n; i++) {
                if (i == j) {
                    continue;
                }
                float co = c[i * n + j];
                if (co == 0) {
                    continue;
                }
                float sim = (float) (co / (norm[i] * norm[j] + config.shrink() + 1e-6));
                if (size < k) {
                    int pos = size++;
                    while (pos > 0 && val[pos - 1] < sim) {
                        val[pos] = val[pos - 1];
                        idx[pos] = idx[pos - 1];
                        pos--;
                    }
                    val[pos] = sim;
                    idx[pos] = i;
                } else if (sim > val[k - 1]) {
                    int pos = k - 1;
                    while (pos > 0 && val[pos - 1] < sim) {
                        val[pos] = val[pos - 1];
                        idx[pos] = idx[pos - 1];
                        pos--;
                    }
                    val[pos] = sim;
                    idx[pos] = i;
                }
            }
            nbr[j] = java.util.Arrays.copyOf(idx, size);
            weight[j] = java.util.Arrays.copyOf(val, size);
        });
        // Invert to source -> (target, weight) lists, so that scoring a user walks only their items.
        int[] outDegree = new int[n];
        for (int j = 0; j < n; j++) {
            for (int i : nbr[j]) {
                outDegree[i]++;
            }
        }
        int[] offsets = new int[n + 1];
        for (int i = 0; i < n; i++) {
            offsets[i + 1] = offsets[i] + outDegree[i];
        }
        int[] targets = new int[offsets[n]];
        float[] weights = new float[offsets[n]];
        int[] fill = new int[n];
        for (int j = 0; j < n; j++) {
            for (int p = 0; p < nbr[j].length; p++) {
                int i = nbr[j][p];
                int at = offsets[i] + fill[i]++;
                targets[at] = j;
                weights[at] = weight[j][p];
            }
        }
        return new ScoringRecommender(m) {
            @Override
            void score(int user, int[] history, float[] out) {
                for (int i : history) {
                    for (int p = offsets[i]; p < offsets[i + 1]; p++) {
                        out[targets[p]] += weights[p];
                    }
                }
            }
        };
    }
}
