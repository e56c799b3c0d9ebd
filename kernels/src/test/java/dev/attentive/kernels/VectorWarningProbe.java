package dev.attentive.kernels;

/**
 * Run by {@link VectorWarningTest} in a JVM of its own, started with or without the Vector API
 * module: uses several kernels several times and prints the switch ({@code enabled true|false}) on
 * standard output. What the kernels log goes through System.Logger's default backend to standard
 * error, where the test reads it.
 */
final class VectorWarningProbe {
    private VectorWarningProbe() {
    }

    public static void main(String[] args) {
        float[] a = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        float[] b = {9, 8, 7, 6, 5, 4, 3, 2, 1};
        double sum = 0;
        for (int i = 0; i < 3; i++) {
            sum += Vectors.dotLanes(a, 0, b, 0, a.length);
            float[] c = new float[9];
            Gemm.gemm(3, 3, 3, a, 0, 3, 1, b, 0, 3, c, 0, 3, false, Gemm.ScalarOrder.values()[0]);
            sum += c[4];
            sum += VectorSupport.enabled() ? 1 : 0;
        }
        System.out.println("enabled " + VectorSupport.enabled());
        System.out.println("checksum " + sum);
    }
}
