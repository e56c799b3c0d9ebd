package dev.attentive.attention;

import dev.attentive.api.Ranker;
import dev.attentive.api.RankerBatch;
import dev.attentive.api.spi.RankerShape;
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
 * Ranking one request's 200 candidates, single thread, at an ML-1M-sized shape (3,706 items, 50
 * history items, 4 user and 5 item feature slots over 3,800 values, the two-stage pipeline's 4
 * source numbers), with the default ranker settings (dim 32, hidden 64). Sample mode, for p50/p99.
 * Run, from the repository root:
 * <pre>
 * mvn -q -o -pl attention -am test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/attention.cp
 * java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
 *     -cp "$(cat /tmp/attention.cp):attention/target/classes:attention/target/test-classes" \
 *     org.openjdk.jmh.Main RankerBenchmark -f 1 -wi 3 -i 5 -w 1s -r 2s
 * </pre>
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class RankerBenchmark {
    private static final int ITEMS = 3706;
    private static final int VALUES = 3800;
    private static final int CANDIDATES = 200;
    private static final int HISTORY = 50;

    /** The ranker. */
    @Param({"target-attention", "mlp"})
    public String ranker;

    private Ranker model;
    private RankerBatch batch;

    /** For JMH. */
    public RankerBenchmark() {
    }

    /** Builds the ranker and one request's batch. */
    @Setup
    public void setup() {
        RankerShape shape = new RankerShape(ITEMS, VALUES, 4, 5, List.of("a", "b", "c", "d"));
        model = ("mlp".equals(ranker) ? new MlpRankerProvider().create(Map.of(), shape, 1)
                : new TargetAttentionRankerProvider().create(Map.of(), shape, 1));
        SplittableRandom random = new SplittableRandom(7);
        int[] history = random.ints(HISTORY, 0, ITEMS).toArray();
        int[] items = random.ints(CANDIDATES, 0, ITEMS).toArray();
        float[] scores = new float[CANDIDATES * 4];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = (float) random.nextGaussian();
        }
        int[] user = random.ints(4, 0, VALUES).toArray();
        int[] item = random.ints(CANDIDATES * 5, 0, VALUES).toArray();
        batch = new RankerBatch(1, CANDIDATES, HISTORY, history, items, scores, user, item);
    }

    /** Scores the 200 candidates. */
    @Benchmark
    public float[] rank200() {
        return model.forward(batch, false, null).scores();
    }
}
