package dev.attentive.kernels;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Single-threaded GEMM throughput for the two-tower model's shapes. GFLOP/s = 2*m*n*k / time.
 * {@code shape} is {@code m x k . k x n}: 1024x64.64x1024 (in-batch logits) and 1024x384.384x128
 * (a concat MLP layer). Run with {@code -jvmArgsAppend -Dattentive.vector=false} for the scalar path.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class GemmBenchmark {
    /** For JMH. */
    public GemmBenchmark() {
    }

    @Param({"1024x64x1024", "1024x384x128"})
    public String shape;

    private int m;
    private int k;
    private int n;
    private float[] a;
    private float[] b;
    private float[] bt;
    private float[] at;
    private float[] c;

    @Setup
    public void setUp() {
        String[] parts = shape.split("x");
        m = Integer.parseInt(parts[0]);
        k = Integer.parseInt(parts[1]);
        n = Integer.parseInt(parts[2]);
        SplittableRandom random = new SplittableRandom(1);
        a = fill(random, m * k);
        at = fill(random, k * m);
        b = fill(random, k * n);
        bt = fill(random, n * k);
        c = new float[m * n];
    }

    private static float[] fill(SplittableRandom random, int size) {
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            v[i] = (float) random.nextDouble(-1, 1);
        }
        return v;
    }

    @Benchmark
    public float[] nn() {
        Gemm.gemmNN(m, n, k, a, 0, k, b, 0, n, c, 0, n, false);
        return c;
    }

    @Benchmark
    public float[] nt() {
        Gemm.gemmNT(m, n, k, a, 0, k, bt, 0, k, c, 0, n, false);
        return c;
    }

    @Benchmark
    public float[] tn() {
        Gemm.gemmTN(m, n, k, at, 0, m, b, 0, n, c, 0, n, false);
        return c;
    }
}
