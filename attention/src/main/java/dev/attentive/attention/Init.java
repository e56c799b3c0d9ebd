package dev.attentive.attention;

import java.util.SplittableRandom;

/**
 * Deterministic parameter initialisation from one seeded stream: the same seed and the same call
 * order give the same values. Not thread safe (each attention uses its own stream while it is built).
 */
final class Init {
    private final SplittableRandom random;

    Init(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** Glorot/Xavier uniform values for a {@code fanOut x fanIn} matrix. */
    float[] xavier(int fanOut, int fanIn) {
        return uniform(fanOut * fanIn, Math.sqrt(6.0 / (fanIn + fanOut)));
    }

    /** Uniform values in {@code [-bound, bound)}. */
    float[] uniform(int n, double bound) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
        }
        return v;
    }

    /** Normal values of mean 0 and the given standard deviation. */
    float[] normal(int n, double std) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            double u = random.nextDouble();
            double w = random.nextDouble();
            v[i] = (float) (std * Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * w));
        }
        return v;
    }

    /** {@code n} copies of a value. */
    static float[] constant(int n, float value) {
        float[] v = new float[n];
        java.util.Arrays.fill(v, value);
        return v;
    }
}
