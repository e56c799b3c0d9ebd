package dev.attentive.model.nn;

import dev.attentive.kernels.Gemm;
import dev.attentive.kernels.ParallelFor;
import dev.attentive.kernels.Softmax;
import dev.attentive.kernels.Vectors;

/**
 * Softmax over the whole catalogue with temperature ({@code softmax=full}): the loss of SASRec with
 * cross-entropy and of Mult-VAE's multinomial likelihood, where every item is a candidate of every row.
 *
 * <p>Row {@code i} of the batch has user embedding {@code u_i} and target item {@code t_i}; column
 * {@code j} is catalogue item {@code j}, with embedding {@code v_j}. The logit is {@code s * u_i.v_j}
 * with {@code s = 1/temperature}, and the loss is the mean over rows of {@code -log softmax_i(t_i)}.
 * Nothing is sampled, so there is no logQ correction, and each item is one column, so there are no
 * accidental hits; the user's other items are negatives of the row, as in the standard formulation.
 *
 * <p>Not thread safe; the row-parallel parts run on the given {@link ParallelFor} and are
 * deterministic whatever its thread count.
 */
public final class FullSoftmaxLoss {
    private FullSoftmaxLoss() {
    }

    /**
     * Computes the loss and gradients.
     *
     * @param users {@code batch x dim}
     * @param batch the rows
     * @param catalogue {@code items x dim}, row {@code j} the embedding of item {@code j}
     * @param items the catalogue's size
     * @param dim the embedding width
     * @param targets per row, its item ({@code 0 <= targets[i] < items})
     * @param scale {@code 1 / temperature}
     * @param workers the row-parallel workers
     * @return the mean loss, {@code d loss / d users} ({@code batch x dim}), {@code d loss / d catalogue}
     *     ({@code items x dim}) and {@code d loss / d log(scale)}
     * @throws IllegalArgumentException when a target is outside the catalogue
     */
    public static InBatchSoftmaxLoss.Result compute(float[] users, int batch, float[] catalogue, int items, int dim,
            int[] targets, float scale, ParallelFor workers) {
        for (int i = 0; i < batch; i++) {
            if (targets[i] < 0 || targets[i] >= items) {
                throw new IllegalArgumentException("row " + i + "'s target item " + targets[i]
                        + " is outside the catalogue of " + items + " items");
            }
        }
        float[] logits = new float[batch * items];
        workers.range(batch, (from, to) -> Gemm.gemmNT(to - from, items, dim, users, from * dim, dim, catalogue, 0,
                dim, logits, from * items, items, false));
        double[] rowLoss = new double[batch];
        float invBatch = 1f / batch;
        workers.range(batch, (from, to) -> {
            for (int i = from; i < to; i++) {
                int off = i * items;
                float max = Softmax.affineMax(logits, off, items, scale, null);
                float positiveLogit = logits[off + targets[i]];
                float sum = Softmax.expShifted(logits, off, items, max);
                rowLoss[i] = Math.log(sum) + max - positiveLogit;
                Vectors.scale(logits, off, items, invBatch / sum);
                logits[off + targets[i]] -= invBatch;
            }
        });
        InBatchSoftmaxLoss.Result r = new InBatchSoftmaxLoss.Result();
        double total = 0;
        for (double l : rowLoss) {
            total += l;
        }
        r.loss = total / batch;
        // logits now hold G = d loss / d z, and d loss / d dot = scale * G.
        float[] gradUsers = new float[batch * dim];
        float[] gradCatalogue = new float[items * dim];
        workers.range(batch, (from, to) -> Gemm.gemmNN(to - from, dim, items, logits, from * items, items, catalogue,
                0, dim, gradUsers, from * dim, dim, false));
        workers.range(items, (from, to) -> Gemm.gemmTN(to - from, dim, batch, logits, from, items, users, 0, dim,
                gradCatalogue, from * dim, dim, false));
        // d loss / d log(scale) = sum_ij G_ij * scale * dot_ij = scale * sum_i u_i . (sum_j G_ij v_j).
        double gradLogScale = 0;
        for (int i = 0; i < batch * dim; i++) {
            gradLogScale += (double) gradUsers[i] * users[i];
        }
        r.gradLogScale = gradLogScale * scale;
        Vectors.scale(gradUsers, 0, gradUsers.length, scale);
        Vectors.scale(gradCatalogue, 0, gradCatalogue.length, scale);
        r.gradUsers = gradUsers;
        r.gradCandidates = gradCatalogue;
        return r;
    }
}
