package dev.attentive.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.attentive.testkit.Seeds;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark over given vectors (a model's embeddings): recall against the exact truth, shape checks. */
class IndexBenchmarkGivenVectorsTest {
    @TempDir
    Path tmp;

    @Test
    void measuresGivenVectorsAgainstExactSearch() {
        SplittableRandom random = new SplittableRandom(3);
        float[][] items = new float[600][];
        float[][] queries = new float[50][];
        for (int i = 0; i < items.length; i++) {
            items[i] = Seeds.unitVector(random, 16);
        }
        for (int q = 0; q < queries.length; q++) {
            queries[q] = Seeds.unitVector(random, 16);
        }
        IndexBenchmark.Options defaults = IndexBenchmark.Options.of(600, 16, 50);
        IndexBenchmark.Options options = new IndexBenchmark.Options(600, 16, 50, 10, 0, defaults.quantization(),
                defaults.maxConn(), defaults.beamWidth(), List.of(10), 0, true, defaults.bulkGraphBuild(),
                defaults.localityOrder(), 1, 1, 1, tmp);
        IndexBenchmark.Result result = IndexBenchmark.run(options, items, queries,
                new PrintStream(OutputStream.nullOutputStream()));
        assertThat(result.items()).isEqualTo(600);
        assertThat(result.recallAt10()).isBetween(0.9, 1.0);
        assertThat(result.exactQps()).isPositive();

        assertThatThrownBy(() -> IndexBenchmark.run(options, new float[599][], queries,
                new PrintStream(OutputStream.nullOutputStream())))
                .hasMessage("options say 600 items and 50 queries, the arrays hold 599 and 50");
    }
}
