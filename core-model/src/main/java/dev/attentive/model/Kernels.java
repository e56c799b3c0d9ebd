package dev.attentive.model;

/**
 * Float kernels on arrays with explicit offsets. Allocation-free. (The blocked and vectorised
 * kernels of the two-tower model live here too as they land.)
 */
final class Kernels {
    private Kernels() {
    }

    /** The dot product of {@code a[aOff..aOff+n)} and {@code b[bOff..bOff+n)}, four accumulators. */
    static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += a[aOff + i] * b[bOff + i];
            s1 += a[aOff + i + 1] * b[bOff + i + 1];
            s2 += a[aOff + i + 2] * b[bOff + i + 2];
            s3 += a[aOff + i + 3] * b[bOff + i + 3];
        }
        for (; i < n; i++) {
            s0 += a[aOff + i] * b[bOff + i];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
