package dev.attentive.kernels;

/**
 * Layer normalisation of one row, forward and backward: {@code normed = (z - mean) * invStd} with
 * {@code invStd = 1 / sqrt(var + eps)} (the biased variance), then {@code y = gain * normed + shift}.
 *
 * <p>Accumulation order: with the Vector API, the row's sums (mean, variance, and in backward the two
 * means of the normalised gradient) are float sums with one accumulator per lane over whole vectors,
 * the lanes then added in a fixed pairwise order (the same sum on every run, interpreted or compiled),
 * then the remaining elements in float; the elementwise parts are fused multiply-adds. Without it,
 * the sums are in double in index order. Results are reproducible for a given JDK and vector switch,
 * not between the two.
 *
 * <p>Static, stateless and thread safe; allocation-free. Arrays must not be null; {@code normed} may
 * be {@code z} itself (normalised in place).
 *
 * @since 0.2.0
 */
public final class LayerNorm {
    private LayerNorm() {
    }

    /**
     * Normalises {@code z[zOff, zOff + n)} into {@code normed} and writes {@code gain * normed + shift}
     * into {@code y}.
     *
     * @param z the row
     * @param zOff where it starts in {@code z}
     * @param n its length, at least 1
     * @param eps added to the variance, at least 0
     * @param gain the {@code n} gains, from index 0
     * @param shift the {@code n} shifts, from index 0
     * @param normed receives the normalised row (may be {@code z} with {@code nOff == zOff})
     * @param nOff where it starts in {@code normed}
     * @param y receives the output row
     * @param yOff where it starts in {@code y}
     * @return {@code invStd}, which {@link #backward} needs
     * @since 0.2.0
     */
    public static float forward(float[] z, int zOff, int n, float eps, float[] gain, float[] shift, float[] normed,
            int nOff, float[] y, int yOff) {
        if (VectorSupport.ENABLED) {
            return VectorNorm.forward(z, zOff, n, eps, gain, shift, normed, nOff, y, yOff);
        }
        double mean = 0;
        for (int d = 0; d < n; d++) {
            mean += z[zOff + d];
        }
        mean /= n;
        double var = 0;
        for (int d = 0; d < n; d++) {
            double c = z[zOff + d] - mean;
            var += c * c;
        }
        float inv = (float) (1 / Math.sqrt(var / n + eps));
        for (int d = 0; d < n; d++) {
            float nd = (float) ((z[zOff + d] - mean) * inv);
            normed[nOff + d] = nd;
            y[yOff + d] = gain[d] * nd + shift[d];
        }
        return inv;
    }

    /**
     * Back through {@link #forward}: with {@code dn = dy * gain}, writes
     * {@code dz = invStd * (dn - mean(dn) - normed * mean(dn * normed))} and adds {@code dy * normed}
     * to the gain's gradient and {@code dy} to the shift's.
     *
     * @param dy the gradient of the output row
     * @param dyOff where it starts in {@code dy}
     * @param normed the normalised row of the forward pass
     * @param nOff where it starts in {@code normed}
     * @param n the row's length, at least 1
     * @param invStd what {@link #forward} returned for the row
     * @param gain the {@code n} gains, from index 0
     * @param gradGain the gain's gradient, added to
     * @param gradShift the shift's gradient, added to
     * @param gradOff where both gradients start
     * @param dz receives the input row's gradient (may be {@code dy} with {@code dzOff == dyOff})
     * @param dzOff where it starts in {@code dz}
     * @since 0.2.0
     */
    public static void backward(float[] dy, int dyOff, float[] normed, int nOff, int n, float invStd, float[] gain,
            float[] gradGain, float[] gradShift, int gradOff, float[] dz, int dzOff) {
        if (VectorSupport.ENABLED) {
            VectorNorm.backward(dy, dyOff, normed, nOff, n, invStd, gain, gradGain, gradShift, gradOff, dz, dzOff);
            return;
        }
        double meanDn = 0;
        double meanDnN = 0;
        for (int d = 0; d < n; d++) {
            float dyd = dy[dyOff + d];
            float nd = normed[nOff + d];
            gradGain[gradOff + d] += dyd * nd;
            gradShift[gradOff + d] += dyd;
            double dn = (double) dyd * gain[d];
            meanDn += dn;
            meanDnN += dn * nd;
        }
        meanDn /= n;
        meanDnN /= n;
        for (int d = 0; d < n; d++) {
            double dn = (double) dy[dyOff + d] * gain[d];
            dz[dzOff + d] = (float) (invStd * (dn - meanDn - normed[nOff + d] * meanDnN));
        }
    }
}
