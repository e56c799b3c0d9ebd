package dev.attentive.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector paths of {@link LayerNorm}. Loaded only when {@link VectorSupport#ENABLED}, like
 * {@link VectorOps}. Stateless and thread safe.
 */
final class VectorNorm {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Rotations by L/2, L/4, ..., 1 lanes: the fixed pairwise order of {@link #sum}. */
    private static final VectorShuffle<Float>[] ROTATIONS = rotations();

    private VectorNorm() {
    }

    @SuppressWarnings({"unchecked", "rawtypes"}) // a generic array
    private static VectorShuffle<Float>[] rotations() {
        int steps = Integer.numberOfTrailingZeros(L);
        VectorShuffle<Float>[] r = new VectorShuffle[steps];
        for (int s = 0, w = L / 2; s < steps; s++, w /= 2) {
            int shift = w;
            r[s] = VectorShuffle.fromOp(S, i -> (i + shift) % L);
        }
        return r;
    }

    /**
     * The lanes' sum in a fixed pairwise order (each step adds the vector rotated by half the
     * remaining width), read from lane 0: the same bits whether interpreted or compiled, unlike
     * {@code reduceLanes(ADD)}, and log2(L) dependent adds instead of L.
     */
    static float sum(FloatVector v) {
        for (VectorShuffle<Float> r : ROTATIONS) {
            v = v.add(v.rearrange(r));
        }
        return v.lane(0);
    }

    static float forward(float[] z, int zOff, int n, float eps, float[] gain, float[] shift, float[] normed, int nOff,
            float[] y, int yOff) {
        int vec = n - n % L;
        FloatVector acc = FloatVector.zero(S);
        for (int d = 0; d < vec; d += L) {
            acc = acc.add(FloatVector.fromArray(S, z, zOff + d));
        }
        float total = sum(acc);
        for (int d = vec; d < n; d++) {
            total += z[zOff + d];
        }
        float mean = total / n;
        FloatVector m = FloatVector.broadcast(S, mean);
        acc = FloatVector.zero(S);
        for (int d = 0; d < vec; d += L) {
            FloatVector c = FloatVector.fromArray(S, z, zOff + d).sub(m);
            acc = c.fma(c, acc);
        }
        float var = sum(acc);
        for (int d = vec; d < n; d++) {
            float c = z[zOff + d] - mean;
            var = Math.fma(c, c, var);
        }
        float inv = (float) (1 / Math.sqrt((double) var / n + eps));
        FloatVector iv = FloatVector.broadcast(S, inv);
        for (int d = 0; d < vec; d += L) {
            FloatVector nd = FloatVector.fromArray(S, z, zOff + d).sub(m).mul(iv);
            nd.intoArray(normed, nOff + d);
            nd.fma(FloatVector.fromArray(S, gain, d), FloatVector.fromArray(S, shift, d)).intoArray(y, yOff + d);
        }
        for (int d = vec; d < n; d++) {
            float nd = (z[zOff + d] - mean) * inv;
            normed[nOff + d] = nd;
            y[yOff + d] = Math.fma(nd, gain[d], shift[d]);
        }
        return inv;
    }

    static void backward(float[] dy, int dyOff, float[] normed, int nOff, int n, float invStd, float[] gain,
            float[] gradGain, float[] gradShift, int gradOff, float[] dz, int dzOff) {
        int vec = n - n % L;
        FloatVector sDn = FloatVector.zero(S);
        FloatVector sDnN = FloatVector.zero(S);
        for (int d = 0; d < vec; d += L) {
            FloatVector g = FloatVector.fromArray(S, dy, dyOff + d);
            FloatVector nd = FloatVector.fromArray(S, normed, nOff + d);
            g.fma(nd, FloatVector.fromArray(S, gradGain, gradOff + d)).intoArray(gradGain, gradOff + d);
            g.add(FloatVector.fromArray(S, gradShift, gradOff + d)).intoArray(gradShift, gradOff + d);
            FloatVector dn = g.mul(FloatVector.fromArray(S, gain, d));
            sDn = sDn.add(dn);
            sDnN = dn.fma(nd, sDnN);
        }
        float meanDn = sum(sDn);
        float meanDnN = sum(sDnN);
        for (int d = vec; d < n; d++) {
            float g = dy[dyOff + d];
            float nd = normed[nOff + d];
            gradGain[gradOff + d] = Math.fma(g, nd, gradGain[gradOff + d]);
            gradShift[gradOff + d] += g;
            float dn = g * gain[d];
            meanDn += dn;
            meanDnN = Math.fma(dn, nd, meanDnN);
        }
        meanDn /= n;
        meanDnN /= n;
        FloatVector mDn = FloatVector.broadcast(S, meanDn);
        FloatVector mDnN = FloatVector.broadcast(S, -meanDnN);
        FloatVector iv = FloatVector.broadcast(S, invStd);
        for (int d = 0; d < vec; d += L) {
            FloatVector dn = FloatVector.fromArray(S, dy, dyOff + d).mul(FloatVector.fromArray(S, gain, d));
            FloatVector nd = FloatVector.fromArray(S, normed, nOff + d);
            nd.fma(mDnN, dn.sub(mDn)).mul(iv).intoArray(dz, dzOff + d);
        }
        for (int d = vec; d < n; d++) {
            float dn = dy[dyOff + d] * gain[d];
            dz[dzOff + d] = Math.fma(normed[nOff + d], -meanDnN, dn - meanDn) * invStd;
        }
    }
}
