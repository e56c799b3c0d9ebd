package dev.attentive.eval.baselines;

import dev.attentive.api.Dataset;
import dev.attentive.api.Recommender;
import dev.attentive.api.spi.ConfigException;
import dev.attentive.api.spi.EpochStats;
import dev.attentive.api.spi.ModelInputs;
import dev.attentive.api.spi.ModelProvider;
import dev.attentive.api.spi.TrainingContext;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * {@code bpr}: matrix factorisation trained with the BPR pairwise loss (Rendle et al. 2009) by plain
 * SGD in float: for each training pair (u, i), in a seeded random order per epoch, one negative j is
 * drawn uniformly among the items u has not seen, and {@code -ln sigmoid(u . (v_i - v_j))} plus L2
 * on the touched rows is stepped down. Training runs on one thread so that a seed gives one model.
 * Every {@code evalEvery} epochs the context's validation score is read; training stops after
 * {@code patience} checks without improvement and keeps the best parameters. A user unknown in
 * training is represented by the mean of the vectors of the request's recent items. The model is
 * thread safe.
 */
public final class BprModelProvider implements ModelProvider<BprModelProvider.Config> {
    /** The provider name. */
    public static final String NAME = "bpr";

    /**
     * Settings.
     *
     * @param dim embedding dimension, at least 1 (default 64)
     * @param learningRate SGD step, positive (default 0.05)
     * @param reg L2 regularisation per step on touched rows, at least 0 (default 0.02)
     * @param epochs the most epochs, at least 1 (default 200)
     * @param evalEvery epochs between validation checks, at least 1 (default 5)
     * @param patience checks without improvement before stopping, at least 1 (default 3)
     * @param initStd standard deviation of the initial weights, positive (default 0.1)
     */
    public record Config(int dim, double learningRate, double reg, int epochs, int evalEvery, int patience,
            double initStd) {
        /** Validates, reporting every problem. */
        public Config {
            var p = new ConfigException.Problems(NAME);
            p.check(dim >= 1, "dim must be at least 1, got " + dim);
            p.check(learningRate > 0 && Double.isFinite(learningRate), "learningRate must be positive, got " + learningRate);
            p.check(reg >= 0 && Double.isFinite(reg), "reg must be at least 0, got " + reg);
            p.check(epochs >= 1, "epochs must be at least 1, got " + epochs);
            p.check(evalEvery >= 1, "evalEvery must be at least 1, got " + evalEvery);
            p.check(patience >= 1, "patience must be at least 1, got " + patience);
            p.check(initStd > 0 && Double.isFinite(initStd), "initStd must be positive, got " + initStd);
            p.throwIfAny();
        }
    }

    /** Creates the provider (ServiceLoader needs a public no-argument constructor). */
    public BprModelProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Config defaultConfig() {
        return new Config(64, 0.05, 0.02, 200, 5, 3, 0.1);
    }

    /** Reads the interactions only. */
    @Override
    public Optional<ModelInputs> inputs(Dataset data, Config config) {
        return Optional.of(ModelInputs.INTERACTIONS_ONLY);
    }

    @Override
    public Recommender train(Dataset train, Config config, TrainingContext context) {
        InteractionMatrix m = new InteractionMatrix(train);
        int nu = m.users();
        int ni = m.itemCount();
        int d = config.dim();
        SplittableRandom random = new SplittableRandom(context.seed());
        float[] userVec = new float[nu * d];
        float[] itemVec = new float[ni * d];
        for (int x = 0; x < userVec.length; x++) {
            userVec[x] = (float) (gaussian(random) * config.initStd());
        }
        for (int x = 0; x < itemVec.length; x++) {
            itemVec[x] = (float) (gaussian(random) * config.initStd());
        }
        int nnz = m.nnz();
        int[] pairUser = new int[nnz];
        for (int u = 0; u < nu; u++) {
            for (int p = m.userOffsets[u]; p < m.userOffsets[u + 1]; p++) {
                pairUser[p] = u;
            }
        }
        int[] order = new int[nnz];
        for (int p = 0; p < nnz; p++) {
            order[p] = p;
        }
        float lr = (float) config.learningRate();
        float reg = (float) config.reg();
        float[] bestUser = userVec.clone();
        float[] bestItem = itemVec.clone();
        double best = Double.NEGATIVE_INFINITY;
        int badChecks = 0;
        float[] grad = new float[d];
        Model model = new Model(m, userVec, itemVec, d);
        for (int epoch = 1; epoch <= config.epochs(); epoch++) {
            long start = System.nanoTime();
            for (int p = nnz - 1; p > 0; p--) {
                int q = random.nextInt(p + 1);
                int t = order[p];
                order[p] = order[q];
                order[q] = t;
            }
            double loss = 0;
            int steps = 0;
            for (int p : order) {
                int u = pairUser[p];
                int i = m.userItems[p];
                int own = m.userOffsets[u + 1] - m.userOffsets[u];
                if (own >= ni) {
                    continue; // the user has every item: no negative exists
                }
                int j;
                do {
                    j = random.nextInt(ni);
                } while (m.has(u, j));
                int uo = u * d;
                int io = i * d;
                int jo = j * d;
                float x = 0;
                for (int f = 0; f < d; f++) {
                    x += userVec[uo + f] * (itemVec[io + f] - itemVec[jo + f]);
                }
                float sig = (float) (1 / (1 + Math.exp(x))); // sigmoid(-x) = d(-ln sigmoid(x))/dx in magnitude
                loss += Math.log1p(Math.exp(-x));
                steps++;
                for (int f = 0; f < d; f++) {
                    float uf = userVec[uo + f];
                    float diff = itemVec[io + f] - itemVec[jo + f];
                    grad[f] = uf;
                    userVec[uo + f] = uf + lr * (sig * diff - reg * uf);
                }
                for (int f = 0; f < d; f++) {
                    float uf = grad[f];
                    itemVec[io + f] += lr * (sig * uf - reg * itemVec[io + f]);
                    itemVec[jo + f] += lr * (-sig * uf - reg * itemVec[jo + f]);
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double validation = Double.NaN;
            boolean stop = false;
            if (epoch % config.evalEvery() == 0 || epoch == config.epochs()) {
                validation = context.validation().applyAsDouble(model);
                if (!Double.isNaN(validation)) {
                    if (validation > best) {
                        best = validation;
                        badChecks = 0;
                        System.arraycopy(userVec, 0, bestUser, 0, userVec.length);
                        System.arraycopy(itemVec, 0, bestItem, 0, itemVec.length);
                    } else if (++badChecks >= config.patience()) {
                        stop = true;
                    }
                }
            }
            context.progress().accept(new EpochStats(epoch, steps == 0 ? 0 : loss / steps, steps / Math.max(seconds, 1e-9), validation));
            if (stop) {
                break;
            }
        }
        if (best > Double.NEGATIVE_INFINITY) {
            System.arraycopy(bestUser, 0, userVec, 0, userVec.length);
            System.arraycopy(bestItem, 0, itemVec, 0, itemVec.length);
        }
        return model;
    }

    /** Dot-product scoring over the (shared, final after training) factor arrays. */
    private static final class Model extends ScoringRecommender {
        private final float[] userVec;
        private final float[] itemVec;
        private final int d;

        Model(InteractionMatrix m, float[] userVec, float[] itemVec, int d) {
            super(m);
            this.userVec = userVec;
            this.itemVec = itemVec;
            this.d = d;
        }

        @Override
        void score(int user, int[] history, float[] out) {
            float[] q = new float[d];
            if (user >= 0) {
                System.arraycopy(userVec, user * d, q, 0, d);
            } else if (history.length > 0) {
                for (int i : history) {
                    for (int f = 0; f < d; f++) {
                        q[f] += itemVec[i * d + f] / history.length;
                    }
                }
            }
            for (int i = 0; i < out.length; i++) {
                int o = i * d;
                float s = 0;
                for (int f = 0; f < d; f++) {
                    s += q[f] * itemVec[o + f];
                }
                out[i] = s;
            }
        }
    }

    private static double gaussian(SplittableRandom random) {
        double u = random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
    }
}
