package dev.attentive.model;

import dev.attentive.api.Features;
import dev.attentive.api.IndexedItem;
import dev.attentive.api.ItemFilter;
import dev.attentive.api.ItemId;
import dev.attentive.api.Retriever;
import dev.attentive.api.ScoredItem;
import dev.attentive.api.spi.RetrieverSpec;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Top-10 exact search over 3,706 unit vectors of dimension 64 (the ML-1M catalogue), one query. */
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

    private Retriever retriever;
    private float[][] queries;
    private int next;

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(3);
        List<IndexedItem> items = new ArrayList<>();
        for (int i = 0; i < 3706; i++) {
            items.add(new IndexedItem(ItemId.of("i" + i), Seeds.unitVector(random, 64), Features.NONE));
        }
        retriever = new ExactRetrieverProvider().create(new ExactRetrieverProvider.Config(), RetrieverSpec.of(64));
        retriever.index(items);
        queries = new float[64][];
        for (int i = 0; i < queries.length; i++) {
            queries[i] = Seeds.unitVector(random, 64);
        }
    }

    @Benchmark
    public List<ScoredItem> top10() {
        next = (next + 1) & 63;
        return retriever.search(queries[next], 10, ItemFilter.all(), Set.of());
    }
}
