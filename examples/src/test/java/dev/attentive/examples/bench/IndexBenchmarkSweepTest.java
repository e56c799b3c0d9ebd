package dev.attentive.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attentive.testkit.Seeds;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The synthetic benchmark: a filtered sweep that reopens the index per fanout, and the exact ground truth. */
class IndexBenchmarkSweepTest {
    @TempDir
    Path tmp;

    @Test
    void aFilteredSweepMeasuresEveryFanoutOnOneIndexAndCleansUp() throws Exception {
        IndexBenchmark.Options d = IndexBenchmark.Options.of(800, 16, 40);
        IndexBenchmark.Options options = new IndexBenchmark.Options(800, 16, 40, 10, 0.25, d.quantization(),
                d.maxConn(), d.beamWidth(), List.of(5, 30), 0, true, d.bulkGraphBuild(), d.localityOrder(), 1, 1, 7,
                tmp);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        IndexBenchmark.Result result = IndexBenchmark.run(options, new PrintStream(log, true, StandardCharsets.UTF_8));

        assertThat(result.sweep()).extracting(IndexBenchmark.Point::fanout).containsExactly(5, 30);
        assertThat(result.recallAt10()).isEqualTo(result.sweep().get(0).recall());
        for (IndexBenchmark.Point p : result.sweep()) {
            assertThat(p.recall()).as("fanout %d", p.fanout()).isBetween(0.8, 1.0);
            assertThat(p.luceneDefaultRecall()).as("fanout %d", p.fanout()).isBetween(0.8, 1.0);
        }
        assertThat(result.indexBytes()).isPositive();
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("1 segment(s)", "fanout   5:", "fanout  30:");
        assertThat(IndexBenchmark.toJson(result)).startsWith("{\"items\":800,\"dim\":16,\"k\":10,")
                .contains("\"filter_selectivity\":0.25", "{\"fanout\":30,");
        try (var left = Files.list(tmp)) {
            assertThat(left).as("the temporary index is deleted").isEmpty();
        }
    }

    @Test
    void exactTopKAgreesWithSortingOnRandomRowsWithTies() {
        Seeds.forEach(20, 31, (random, seed) -> {
            int n = 1 + random.nextInt(300);
            int k = 1 + random.nextInt(20);
            float[][] rows = new float[n][];
            for (int r = 0; r < n; r++) {
                // few distinct rows, so that equal scores are common
                rows[r] = random.nextInt(3) == 0 ? new float[] {1, 0} : Seeds.unitVector(random, 2);
            }
            int[] bucketOf = IntStream.range(0, n).map(r -> random.nextInt(3)).toArray();
            int bucket = random.nextInt(4) - 1;
            float[] query = Seeds.unitVector(random, 2);
            int[] want = IntStream.range(0, n).filter(r -> bucket < 0 || bucketOf[r] == bucket).boxed()
                    .sorted(Comparator.comparingDouble((Integer r) -> -score(query, rows[r])).thenComparing(r -> r))
                    .limit(k).mapToInt(Integer::intValue).toArray();
            assertThat(ExactSearch.topK(rows, query, k, bucketOf, bucket)).as(Arrays.toString(want))
                    .containsExactly(want);
        });
    }

    private static float score(float[] a, float[] b) {
        return org.apache.lucene.util.VectorUtil.dotProduct(a, b);
    }
}
