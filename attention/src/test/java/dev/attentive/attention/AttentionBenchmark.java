package dev.attentive.attention;

import dev.attentive.api.Attention;
import dev.attentive.api.Gradients;
import dev.attentive.api.spi.AttentionProvider;
import dev.attentive.api.spi.AttentionShape;
import dev.attentive.kernels.Vectors;
import dev.attentive.model.ConcatMlpProvider;
import dev.attentive.model.MeanAttentionProvider;
import dev.attentive.testkit.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * Forward + backward time of each attention at the ML-100K model's shapes (batch 1024, 6 user
 * fields of dimension 64; history of 20 items, 50 for {@code self-attention}), against mean pooling written inline. Also a
 * {@link #modelProxy} step (two dense towers and in-batch logits, no attention) to put the
 * attention's cost in proportion to a whole training step. Run, from the repository root:
 * <pre>
 * mvn -q -o -pl attention -am test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/attention.cp
 * java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
 *     -cp "$(cat /tmp/attention.cp):attention/target/classes:attention/target/test-classes" \
 *     org.openjdk.jmh.Main AttentionBenchmark.forwardBackward -p plugin=mean/6,field-self-attention/6 \
 *     -f 1 -wi 3 -i 5 -w 1s -r 1s
 * </pre>
 * Add {@code -jvmArgsAppend -Dattentive.vector=false} to measure the scalar fallback of the batched
 * products, and run {@code AttentionBenchmark.modelProxy -p plugin=mean/6 -p towerInput=64} for the
 * step proxy.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class AttentionBenchmark {
    private static final int BATCH = 1024;
    private static final int DIM = 64;

    /** Which attention and how many fields: {@code name/fields}, {@code name} possibly {@code +additive}. */
    @Param({"mean/6", "concat-mlp/6", "attention-pooling/6", "attention-pooling+additive/6", "field-gating/6",
        "field-self-attention/6", "mean/20", "history-attention/20", "history-attention+additive/20", "mean/50", "self-attention/50"})
    public String plugin;

    private Attention attention;
    private float[] input;
    private float[] mask;
    private float[] gradOutput;
    private float[] gradInput;
    private Gradients gradients;
    private SplittableRandom random;

    /** For JMH. */
    public AttentionBenchmark() {
    }

    /** Creates the attention and the batch. */
    @Setup
    public void setUp() {
        String[] parts = plugin.split("/");
        int fields = Integer.parseInt(parts[1]);
        String name = parts[0].replace("+additive", "");
        Map<String, String> settings = parts[0].endsWith("+additive") ? Map.of("scoring", "additive") : Map.of();
        List<String> names = new ArrayList<>();
        for (int f = 0; f < fields; f++) {
            names.add("f" + f);
        }
        AttentionShape shape = new AttentionShape(names, DIM);
        attention = providerOf(name).create(settings, shape, 7);
        random = new SplittableRandom(3);
        input = Seeds.floats(random, BATCH * fields * DIM, 1);
        mask = new float[BATCH * fields];
        for (int i = 0; i < mask.length; i++) {
            // Histories are often short: mask the tail of some; user fields are mostly present.
            mask[i] = random.nextInt(fields > 6 ? 3 : 20) == 0 ? 0f : 1f;
        }
        gradOutput = Seeds.floats(random, BATCH * attention.outputDim(), 1);
        gradInput = new float[input.length];
        gradients = new Gradients(attention.parameters());
    }

    private static AttentionProvider<?> providerOf(String name) {
        return switch (name) {
            case AttentionPoolingProvider.NAME -> new AttentionPoolingProvider();
            case HistoryAttentionProvider.NAME -> new HistoryAttentionProvider();
            case FieldSelfAttentionProvider.NAME -> new FieldSelfAttentionProvider();
            case FieldGatingProvider.NAME -> new FieldGatingProvider();
            case SelfAttentionProvider.NAME -> new SelfAttentionProvider();
            case ConcatMlpProvider.NAME -> new ConcatMlpProvider();
            case MeanAttentionProvider.NAME -> new MeanAttentionProvider();
            default -> throw new IllegalArgumentException("unknown plugin " + name);
        };
    }

    /**
     * One training pass of the attention: forward, backward, zeroed accumulators.
     *
     * @return the gradient input array, so that nothing is dead code
     */
    @Benchmark
    public float[] forwardBackward() {
        gradients.zero();
        java.util.Arrays.fill(gradInput, 0f);
        Attention.Pass pass = attention.forward(input, mask, BATCH, true, random);
        attention.backward(pass, gradOutput, gradInput, gradients);
        return gradInput;
    }

    /** A stand-in for the rest of a training step, to put the attention's cost in proportion. */
    @State(Scope.Thread)
    public static class ModelProxy {
        /** The tower input width: 64 after pooling, 384 after concatenating 6 fields. */
        @Param({"64", "384"})
        public int towerInput;

        float[] userIn;
        float[] itemIn;
        float[] w1u;
        float[] w2u;
        float[] w1i;
        float[] w2i;

        /** For JMH. */
        public ModelProxy() {
        }

        /** Allocates the proxy's weights and inputs. */
        @Setup
        public void setUp() {
            SplittableRandom r = new SplittableRandom(5);
            userIn = Seeds.floats(r, BATCH * towerInput, 1);
            itemIn = Seeds.floats(r, BATCH * DIM, 1);
            w1u = Seeds.floats(r, 128 * towerInput, 0.1);
            w2u = Seeds.floats(r, DIM * 128, 0.1);
            w1i = Seeds.floats(r, 128 * DIM, 0.1);
            w2i = Seeds.floats(r, DIM * 128, 0.1);
        }
    }

    /**
     * Forward and backward of two towers ({@code input -> 128 -> 64}, ReLU) and of the in-batch
     * logits {@code U I^T} (1024 x 1024 x 64): a lower bound on a two-tower step without attention.
     *
     * @param p the proxy state
     * @return a checksum, so that nothing is dead code
     */
    @Benchmark
    public double modelProxy(ModelProxy p) {
        float[] u = tower(p.userIn, p.towerInput, p.w1u, p.w2u);
        float[] i = tower(p.itemIn, DIM, p.w1i, p.w2i);
        // logits and their backward: three B x B x D products
        float[] logits = new float[BATCH * BATCH];
        for (int a = 0; a < BATCH; a++) {
            for (int b = 0; b < BATCH; b++) {
                logits[a * BATCH + b] = Vectors.dotDoubleAccumulate(u, a * DIM, i, b * DIM, DIM);
            }
        }
        float[] du = new float[BATCH * DIM];
        float[] di = new float[BATCH * DIM];
        for (int a = 0; a < BATCH; a++) {
            for (int b = 0; b < BATCH; b++) {
                float g = logits[a * BATCH + b] * 1e-3f;
                Vectors.axpy(g, i, b * DIM, du, a * DIM, DIM);
                Vectors.axpy(g, u, a * DIM, di, b * DIM, DIM);
            }
        }
        return du[0] + di[0] + towerBackward(p.userIn, p.towerInput, p.w1u, p.w2u, du)
                + towerBackward(p.itemIn, DIM, p.w1i, p.w2i, di);
    }

    private static float[] tower(float[] in, int width, float[] w1, float[] w2) {
        float[] h = new float[BATCH * 128];
        float[] out = new float[BATCH * DIM];
        for (int b = 0; b < BATCH; b++) {
            DenseLayers.matVec(w1, 0, 128, width, in, b * width, h, b * 128);
            for (int j = 0; j < 128; j++) {
                h[b * 128 + j] = Math.max(0f, h[b * 128 + j]);
            }
            DenseLayers.matVec(w2, 0, DIM, 128, h, b * 128, out, b * DIM);
        }
        return out;
    }

    private static double towerBackward(float[] in, int width, float[] w1, float[] w2, float[] dOut) {
        float[] h = new float[BATCH * 128];
        float[] dh = new float[128];
        float[] dIn = new float[width];
        float[] g1 = new float[w1.length];
        float[] g2 = new float[w2.length];
        for (int b = 0; b < BATCH; b++) {
            DenseLayers.matVec(w1, 0, 128, width, in, b * width, h, b * 128); // recompute activations
            java.util.Arrays.fill(dh, 0f);
            DenseLayers.outerAdd(g2, 0, DIM, 128, dOut, b * DIM, h, b * 128);
            DenseLayers.matTVecAdd(w2, 0, DIM, 128, dOut, b * DIM, dh, 0);
            for (int j = 0; j < 128; j++) {
                if (h[b * 128 + j] <= 0) {
                    dh[j] = 0f;
                }
            }
            DenseLayers.outerAdd(g1, 0, 128, width, dh, 0, in, b * width);
            DenseLayers.matTVecAdd(w1, 0, 128, width, dh, 0, dIn, 0);
        }
        return g1[0] + g2[0] + dIn[0];
    }
}
