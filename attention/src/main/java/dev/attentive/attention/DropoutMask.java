package dev.attentive.attention;

import dev.attentive.kernels.Vectors;
import java.util.random.RandomGenerator;

/**
 * An inverted-dropout draw over chosen rows of a {@code rows x dim} activation, kept as one bit per
 * element rather than a float scale per element: for a batch of history rows ({@code 1,024 x 50 x 64}
 * elements) that is 400 KB instead of 13 MB, and it is drawn 16 bits of one {@code nextLong()} per
 * element instead of one {@code nextFloat()}. An element is kept when its 16-bit draw is at least
 * {@code round(rate * 65536)}, so the rate is applied to within 2^-17; kept elements are scaled by
 * the inverse of the exact keep probability of that threshold, which keeps the expectation
 * unchanged. Not thread safe; read-only once drawn.
 */
final class DropoutMask {
    private final int dim;
    private final long[] bits;
    private final float kept;

    private DropoutMask(int rows, int dim, float kept) {
        this.dim = dim;
        this.bits = new long[(int) (((long) rows * dim + 63) >>> 6)];
        this.kept = kept;
    }

    /**
     * Draws a mask for the rows {@code r} of {@code [0, rows)} with {@code present(r)}; the other
     * rows stay all dropped (nothing reads them).
     *
     * @return the mask, or null when {@code rate <= 0} (nothing dropped)
     */
    static DropoutMask draw(int rows, int dim, float rate, float[] mask, RandomGenerator random) {
        if (rate <= 0) {
            return null;
        }
        int threshold = (int) Math.round(rate * 65536.0);
        DropoutMask m = new DropoutMask(rows, dim, (float) (65536.0 / (65536 - threshold)));
        if (dim % 4 == 0) {
            drawQuads(m, rows, dim, threshold, mask, random);
            return m;
        }
        for (int r = 0; r < rows; r++) {
            if (!DenseLayers.present(mask, r)) {
                continue;
            }
            long at = (long) r * dim;
            long word = 0; // the bits of the current mask word, stored when it is complete or the row ends
            for (int d = 0; d < dim; d += 4) {
                long draw = random.nextLong();
                for (int k = 0; k < 4 && d + k < dim; k++) {
                    // Kept when the draw is at least the threshold: the sign of threshold - 1 - draw.
                    long keep = ((threshold - 1 - (int) (draw >>> 16 * k & 0xFFFF)) >>> 31) & 1L;
                    long bit = at + d + k;
                    word |= keep << bit;
                    if ((bit & 63) == 63 || d + k == dim - 1) {
                        m.bits[(int) (bit >>> 6)] |= word;
                        word = 0;
                    }
                }
            }
        }
        return m;
    }

    /**
     * The same bits as the per-element loop of {@link #draw} when {@code dim} is a multiple of 4, four
     * elements per draw at once: each 16-bit lane goes into its own 32-bit slot above a guard bit
     * (bit 16), the threshold is subtracted from both slots of a word, and the guard survives exactly
     * when the lane is at least the threshold. No slot borrows from the next, since
     * {@code 0x10000 + lane - threshold >= 0}. A row's quads start at multiples of 4 bits, so each
     * quad's 4 bits sit in one mask word.
     */
    private static void drawQuads(DropoutMask m, int rows, int dim, int threshold, float[] mask,
            RandomGenerator random) {
        final long lanes = 0x0000FFFF0000FFFFL;
        final long guards = 0x0001000000010000L;
        final long thresholds = ((long) threshold << 32) | threshold;
        long[] bits = m.bits;
        for (int r = 0; r < rows; r++) {
            if (!DenseLayers.present(mask, r)) {
                continue;
            }
            long at = (long) r * dim;
            for (int d = 0; d < dim; d += 4) {
                long draw = random.nextLong();
                long even = ((draw & lanes) | guards) - thresholds; // lanes 0 and 2
                long odd = (((draw >>> 16) & lanes) | guards) - thresholds; // lanes 1 and 3
                long quad = ((even >>> 16) & 1) | ((odd >>> 15) & 2) | ((even >>> 46) & 4) | ((odd >>> 45) & 8);
                long bit = at + d;
                bits[(int) (bit >>> 6)] |= quad << bit;
            }
        }
    }

    /** Applies the mask of row {@code r} to {@code x[off .. off + dim)} in place. */
    void apply(int r, float[] x, int off) {
        Vectors.keepMasked(x, off, dim, bits, (long) r * dim, kept);
    }

    /**
     * Adds the gradient {@code g[gOff .. gOff + dim)} of row {@code r}'s output through the mask into
     * {@code a[aOff ..)} and {@code b[bOff ..)}.
     */
    void addThrough(int r, float[] g, int gOff, float[] a, int aOff, float[] b, int bOff) {
        Vectors.axpyMasked(kept, g, gOff, a, aOff, dim, bits, (long) r * dim);
        Vectors.axpyMasked(kept, g, gOff, b, bOff, dim, bits, (long) r * dim);
    }
}
