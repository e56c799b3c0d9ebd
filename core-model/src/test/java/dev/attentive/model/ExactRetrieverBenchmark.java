package dev.attentive.model;

import dev.attentive.api.Features;
import dev.attentive.api.IndexedItem;
import dev.attentive.api.ItemFilter;
import dev.attentive.api.ItemId;
import dev.attentive.api.Retriever;
import dev.attentive.api.ScoredItem;
import dev.attentive.api.spi.RetrieverSpec;
import dev.attentive.kernels.PanelScorer;
import dev.attentive.testkit.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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
 * Top-10 exact search over 3,706 unit vectors of dimension 64 (the ML-1M catalogue), one query;
 * with the float panel kernel and the int8 pre-scoring kernel alone over the same number of items.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ExactRetrieverBenchmark {
    /** For JMH. */
    public ExactRetrieverBenchmark() {
    }

    /** The catalogue size (3,706: ML-1M). */
    @Param({"3706"})
    public int items;

    private Retriever retriever;
    private float[][] queries;
    private int next;

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(3);
        List<IndexedItem> catalogue = new ArrayList<>();
        for (int i = 0; i < items; i++) {
            catalogue.add(new IndexedItem(ItemId.of("i" + i), Seeds.unitVector(random, 64), Features.NONE));
        }
        retriever = new ExactRetrieverProvider().create(new ExactRetrieverProvider.Config(), RetrieverSpec.of(64));
        retriever.index(catalogue);
        int padded = (items + PanelScorer.WIDTH - 1) / PanelScorer.WIDTH * PanelScorer.WIDTH;
        panels = new float[padded * 64];
        for (int i = 0; i < items; i++) {
            float[] v = catalogue.get(i).vector();
            for (int d = 0; d < 64; d++) {
                panels[(i / PanelScorer.WIDTH) * PanelScorer.WIDTH * 64 + d * PanelScorer.WIDTH + i % PanelScorer.WIDTH] = v[d];
            }
        }
        codes = new byte[padded * 64];
        for (int i = 0; i < codes.length; i++) {
            codes[i] = (byte) (random.nextInt(255) - 127);
        }
        scales = new float[padded];
        java.util.Arrays.fill(scales, 1f / 127 / 3);
        estimates = new float[padded];
        queries = new float[64][];
        for (int i = 0; i < queries.length; i++) {
            queries[i] = Seeds.unitVector(random, 64);
        }
    }

    private float[] panels;
    private final float[] block = new float[PanelScorer.WIDTH];

    /** The panel kernel alone over the same catalogue layout (no top-k): the floor of {@link #top10}. */
    @Benchmark
    public float scoreOnly() {
        next = (next + 1) & 63;
        float m = Float.NEGATIVE_INFINITY;
        for (int off = 0; off < panels.length; off += 64 * PanelScorer.WIDTH) {
            m = Math.max(m, PanelScorer.score(queries[next], 64, panels, off, block));
        }
        return m;
    }

    private byte[] codes;
    private float[] scales;
    private float[] estimates;

    /** The int8 pre-scoring kernel alone over the same number of items. */
    @Benchmark
    public float int8Only() {
        next = (next + 1) & 63;
        float m = Float.NEGATIVE_INFINITY;
        for (int start = 0; start < scales.length; start += PanelScorer.WIDTH) {
            m = Math.max(m, PanelScorer.scoreInt8(queries[next], 64, codes, start * 64, scales, estimates, start));
        }
        return m;
    }

    @Benchmark
    public List<ScoredItem> top10() {
        next = (next + 1) & 63;
        return retriever.search(queries[next], 10, ItemFilter.all(), Set.of());
    }
}
