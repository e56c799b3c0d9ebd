package dev.attentive.model.nn;

import dev.attentive.kernels.Gemm;
import dev.attentive.kernels.ParallelFor;
import dev.attentive.kernels.Softmax;
import dev.attentive.kernels.Vectors;

/**
 * Sampled softmax over the batch's items (and optional extra negatives) with temperature, logQ
 * correction and removal of accidental hits.
 *
 * <p>Row {@code i} of the batch has user embedding {@code u_i} and positive candidate {@code i};
 * candidates {@code j < batch} are the batch's positives and {@code j >= batch} extra negatives.
 * The logit is {@code s * u_i.v_j - c_j} where {@code s = 1/temperature} and {@code c_j} is the
 * log of candidate j's sampling probability (the logQ correction: frequent items are sampled as
 * negatives more often, so their logits are lowered to undo that bias). A candidate that is the same
 * item as row i's positive, other than the positive itself, is an accidental hit and is left out of
 * row i's softmax. The loss is the mean over rows of {@code -log softmax_i(i)}.
 *
 * <p>Not thread safe; the row-parallel parts run on the given {@link ParallelFor} and are
 * deterministic.
 */
public final class InBatchSoftmaxLoss {
    private InBatchSoftmaxLoss() {
    }

    /**
     * Per row, the other columns holding the row's positive item (removed from its softmax), or null
     * when there are none.
     */
    static int[][] accidentalHits(int[] candidateItems, int batch, int n) {
        java.util.Map<Integer, int[]> columns = new java.util.HashMap<>();
        for (int j = 0; j < n; j++) {
            int[] list = columns.get(candidateItems[j]);
            if (list == null) {
                columns.put(candidateItems[j], new int[] {j});
            } else {
                int[] grown = java.util.Arrays.copyOf(list, list.length + 1);
                grown[list.length] = j;
                columns.put(candidateItems[j], grown);
            }
        }
        int[][] out = new int[batch][];
        for (int i = 0; i < batch; i++) {
            int[] same = columns.get(candidateItems[i]);
            if (same.length > 1) {
                int[] others = new int[same.length - 1];
                int k = 0;
                for (int j : same) {
                    if (j != i) {
                        others[k++] = j;
                    }
                }
                out[i] = others;
            }
        }
        return out;
    }

    /** The loss and its gradients. */
    public static final class Result {
        public double loss;
        public float[] gradUsers;
        public float[] gradCandidates;
        /** d loss / d log(scale), for a learned temperature. */
        public double gradLogScale;
    }

    /**
     * Computes the loss and gradients.
     *
     * @param users {@code batch x dim}
     * @param candidates {@code n x dim}, the first {@code batch} rows the positives
     * @param candidateItems the item index of each candidate (for accidental hits)
     * @param correction {@code c_j} per candidate, or null for no correction
     * @param scale {@code 1 / temperature}
     */
    public static Result compute(float[] users, int batch, float[] candidates, int n, int dim, int[] candidateItems,
            float[] correction, float scale, ParallelFor workers) {
        float[] logits = new float[batch * n];
        workers.range(batch, (from, to) -> Gemm.gemmNT(to - from, n, dim, users, from * dim, dim, candidates, 0,
                dim, logits, from * n, n, false));
        double[] rowLoss = new double[batch];
        float invBatch = 1f / batch;
        int[][] accidental = accidentalHits(candidateItems, batch, n);
        workers.range(batch, (from, to) -> {
            for (int i = from; i < to; i++) {
                int off = i * n;
                // The max includes accidental hits: it only shifts the exponent, any bound works.
                float max = Softmax.affineMax(logits, off, n, scale, correction);
                if (accidental[i] != null) {
                    for (int j : accidental[i]) {
                        logits[off + j] = Float.NEGATIVE_INFINITY;
                    }
                }
                float positiveLogit = logits[off + i];
                float sum = Softmax.expShifted(logits, off, n, max);
                rowLoss[i] = Math.log(sum) + max - positiveLogit;
                Vectors.scale(logits, off, n, invBatch / sum);
                logits[off + i] -= invBatch;
            }
        });
        Result r = new Result();
        double total = 0;
        for (double l : rowLoss) {
            total += l;
        }
        r.loss = total / batch;
        // logits now hold G = d loss / d z. d loss / d dot = scale * G.
        float[] gradUsers = new float[batch * dim];
        float[] gradCandidates = new float[n * dim];
        workers.range(batch, (from, to) -> Gemm.gemmNN(to - from, dim, n, logits, from * n, n, candidates, 0, dim,
                gradUsers, from * dim, dim, false));
        workers.range(n, (from, to) -> Gemm.gemmTN(to - from, dim, batch, logits, from, n, users, 0, dim,
                gradCandidates, from * dim, dim, false));
        // d loss / d log(scale) = sum_ij G_ij * scale * dot_ij = sum_i u_i . (scale * sum_j G_ij v_j).
        double gradLogScale = 0;
        for (int i = 0; i < batch * dim; i++) {
            gradLogScale += (double) gradUsers[i] * users[i];
        }
        r.gradLogScale = gradLogScale * scale;
        for (int i = 0; i < gradUsers.length; i++) {
            gradUsers[i] *= scale;
        }
        for (int i = 0; i < gradCandidates.length; i++) {
            gradCandidates[i] *= scale;
        }
        r.gradUsers = gradUsers;
        r.gradCandidates = gradCandidates;
        return r;
    }
}
