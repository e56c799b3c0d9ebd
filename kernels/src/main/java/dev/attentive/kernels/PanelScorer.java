package dev.attentive.kernels;

import java.util.Arrays;

/**
 * Exact-retrieval scoring of a query against item vectors stored in panels: blocks of
 * {@link #WIDTH} items laid out dimension-major ({@code dim x WIDTH} floats, item {@code j}'s
 * component {@code p} at {@code off + p * WIDTH + j}), in float or as int8 codes with a per-item scale.
 *
 * <p>Each score is one chain of float fused multiply-adds in order of the dimension, on both paths,
 * so the vector and scalar paths give the same bits. Static, stateless, allocation-free and thread
 * safe; arrays must not be null and must hold the panel.
 *
 * @since 0.2.0
 */
public final class PanelScorer {
    /**
     * The width of a panel, in items. With the Vector API it is eight vectors ({@code 8 * lanes}, at
     * least 64): the kernel keeps eight independent FMA accumulators in registers, enough to cover the
     * FMA latency on cores with two FMA pipes (four left the 512-bit kernel latency-bound). 64 on the
     * scalar path. Fixed for the life of the JVM; data laid out for one width must not be read with
     * another (do not persist it).
     *
     * @since 0.2.0
     */
    public static final int WIDTH = VectorSupport.ENABLED ? Math.max(64, VectorOps.panelWidth()) : 64;

    private PanelScorer() {
    }

    /**
     * Scores one panel: {@code out[j] = sum_p q[p] * panel[off + p * WIDTH + j]} for {@code j < WIDTH}.
     *
     * @param q the query, at least {@code dim} values
     * @param dim the vector dimension
     * @param panel the panel storage
     * @param off where this panel starts in {@code panel}
     * @param out receives the {@link #WIDTH} scores from index 0
     * @return the largest of the scores (NaN scores are ignored by the scalar path and may be returned
     *     by the vector path; callers must not rely on either)
     * @since 0.2.0
     */
    public static float score(float[] q, int dim, float[] panel, int off, float[] out) {
        if (VectorSupport.ENABLED) {
            return VectorOps.scorePanel(q, dim, panel, off, out);
        }
        return scoreScalar(q, dim, panel, off, out);
    }

    /** The scalar path of {@link #score} (tests compare the two). */
    static float scoreScalar(float[] q, int dim, float[] panel, int off, float[] out) {
        Arrays.fill(out, 0, WIDTH, 0f);
        for (int p = 0; p < dim; p++) {
            float qp = q[p];
            int row = off + p * WIDTH;
            for (int j = 0; j < WIDTH; j++) {
                out[j] = Math.fma(qp, panel[row + j], out[j]);
            }
        }
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < WIDTH; j++) {
            max = Math.max(max, out[j]);
        }
        return max;
    }

    /**
     * Scores one panel of int8-coded items: {@code out[base + j] = scales[base + j] * sum_p q[p] *
     * codes[off + p * WIDTH + j]} for {@code j < WIDTH} (the sum a chain of float FMAs in order of
     * {@code p}, then one multiplication).
     *
     * @param q the query, at least {@code dim} values
     * @param dim the vector dimension
     * @param codes the panel storage
     * @param off where this panel starts in {@code codes}
     * @param scales the per-item scales, indexed like {@code out}
     * @param out receives the {@link #WIDTH} scores from {@code base}
     * @param base where this panel's items start in {@code scales} and {@code out}
     * @return the largest of the scores
     * @since 0.2.0
     */
    public static float scoreInt8(float[] q, int dim, byte[] codes, int off, float[] scales, float[] out, int base) {
        if (VectorSupport.ENABLED) {
            return VectorOps.scorePanelInt8(q, dim, codes, off, scales, out, base);
        }
        return scoreInt8Scalar(q, dim, codes, off, scales, out, base);
    }

    /** The scalar path of {@link #scoreInt8} (tests compare the two). */
    static float scoreInt8Scalar(float[] q, int dim, byte[] codes, int off, float[] scales, float[] out, int base) {
        Arrays.fill(out, base, base + WIDTH, 0f);
        for (int p = 0; p < dim; p++) {
            float qp = q[p];
            int row = off + p * WIDTH;
            for (int j = 0; j < WIDTH; j++) {
                out[base + j] = Math.fma(qp, codes[row + j], out[base + j]);
            }
        }
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < WIDTH; j++) {
            out[base + j] *= scales[base + j];
            max = Math.max(max, out[base + j]);
        }
        return max;
    }
}
