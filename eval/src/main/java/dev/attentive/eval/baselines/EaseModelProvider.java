package dev.attentive.eval.baselines;

import dev.attentive.api.Dataset;
import dev.attentive.api.Recommender;
import dev.attentive.api.spi.ConfigException;
import dev.attentive.api.spi.ModelInputs;
import dev.attentive.api.spi.ModelProvider;
import dev.attentive.api.spi.TrainingContext;
import java.util.Optional;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * {@code ease}: Steck's EASE^R, the closed-form item-item model. With {@code G = X^T X + lambda I}
 * and {@code P = G^-1} (Cholesky inverse by EJML, in double), {@code B_ij = -P_ij / P_jj} and
 * {@code B_jj = 0}; a user's scores are the sum of B's rows over the user's items. Memory is
 * {@code O(items^2)}; training costs one dense inverse. The model is thread safe.
 */
public final class EaseModelProvider implements ModelProvider<EaseModelProvider.Config> {
    /** The provider name. */
    public static final String NAME = "ease";

    /**
     * Settings.
     *
     * @param lambda the L2 regularisation added to the Gram matrix's diagonal, positive (default 250)
     */
    public record Config(double lambda) {
        /** Validates. */
        public Config {
            var p = new ConfigException.Problems(NAME);
            p.check(lambda > 0 && Double.isFinite(lambda), "lambda must be positive and finite, got " + lambda);
            p.throwIfAny();
        }
    }

    /** Creates the provider (ServiceLoader needs a public no-argument constructor). */
    public EaseModelProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Config defaultConfig() {
        return new Config(250);
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
        DMatrixRMaj g = new DMatrixRMaj(n, n);
        double[] gd = g.data;
        for (int i = 0; i < gd.length; i++) {
            gd[i] = c[i];
        }
        for (int i = 0; i < n; i++) {
            gd[i * n + i] += config.lambda();
        }
        LinearSolverDense<DMatrixRMaj> solver = LinearSolverFactory_DDRM.symmPosDef(n);
        if (!solver.setA(g)) {
            throw new IllegalArgumentException("EASE: the Gram matrix plus lambda = " + config.lambda()
                    + " is not positive definite; use a larger lambda");
        }
        DMatrixRMaj p = new DMatrixRMaj(n, n);
        solver.invert(p);
        double[] pd = p.data;
        float[] b = new float[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                b[i * n + j] = i == j ? 0f : (float) (-pd[i * n + j] / pd[j * n + j]);
            }
        }
        return new ScoringRecommender(m) {
            @Override
            void score(int user, int[] history, float[] out) {
                for (int i : history) {
                    int row = i * n;
                    for (int j = 0; j < n; j++) {
                        out[j] += b[row + j];
                    }
                }
            }
        };
    }
}
