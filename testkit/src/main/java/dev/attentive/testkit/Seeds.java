package dev.attentive.testkit;

import java.util.SplittableRandom;

/**
 * Seeded randomized test cases. Each case gets its own seed; a failing case is rethrown with its
 * seed and the property that replays it: {@code -Dattentive.seed=SEED} runs only that seed.
 *
 * @since 0.1.0
 */
public final class Seeds {
    /** The system property that replays one seed. */
    public static final String REPLAY_PROPERTY = "attentive.seed";

    private Seeds() {
    }

    /**
     * A test body run once per seed.
     *
     * @since 0.1.0
     */
    @FunctionalInterface
    public interface Case {
        /**
         * Runs one case.
         *
         * @param random the case's randomness
         * @param seed the case's seed
         * @throws Exception on failure
         */
        void run(SplittableRandom random, long seed) throws Exception;
    }

    /**
     * Runs {@code cases} seeded cases, seeds derived from {@code baseSeed}, or only the replayed seed
     * when {@value #REPLAY_PROPERTY} is set.
     *
     * @param cases how many cases
     * @param baseSeed the seed the case seeds derive from
     * @param body the test
     */
    public static void forEach(int cases, long baseSeed, Case body) {
        String replay = System.getProperty(REPLAY_PROPERTY);
        if (replay != null && !replay.isBlank()) {
            long seed = Long.parseLong(replay.trim());
            runOne(body, seed);
            return;
        }
        SplittableRandom seeds = new SplittableRandom(baseSeed);
        for (int i = 0; i < cases; i++) {
            runOne(body, seeds.nextLong());
        }
    }

    private static void runOne(Case body, long seed) {
        try {
            body.run(new SplittableRandom(seed), seed);
        } catch (AssertionError | Exception e) {
            AssertionError failure = new AssertionError("Failed with seed " + seed + " (replay with -D"
                    + REPLAY_PROPERTY + "=" + seed + "): " + e.getMessage(), e);
            System.err.println("[seed] failing seed " + seed + " (replay with -D" + REPLAY_PROPERTY + "=" + seed + ")");
            throw failure;
        }
    }

    /**
     * Uniform floats in {@code [-scale, scale)}.
     *
     * @param random the randomness
     * @param n how many
     * @param scale the half-width
     * @return the floats
     */
    public static float[] floats(SplittableRandom random, int n, double scale) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) ((random.nextDouble() * 2 - 1) * scale);
        }
        return out;
    }

    /**
     * A random unit vector.
     *
     * @param random the randomness
     * @param dim the dimension
     * @return the vector, of L2 norm 1
     */
    public static float[] unitVector(SplittableRandom random, int dim) {
        float[] v = new float[dim];
        double norm = 0;
        while (norm == 0) {
            norm = 0;
            for (int i = 0; i < dim; i++) {
                v[i] = (float) gaussian(random);
                norm += v[i] * v[i];
            }
        }
        float inv = (float) (1 / Math.sqrt(norm));
        for (int i = 0; i < dim; i++) {
            v[i] *= inv;
        }
        return v;
    }

    /**
     * A standard normal sample.
     *
     * @param random the randomness
     * @return the sample
     */
    public static double gaussian(SplittableRandom random) {
        double u = random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
    }
}
