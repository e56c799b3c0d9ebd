package dev.attentive.examples.bench;

import dev.attentive.api.Dataset;
import dev.attentive.api.Interaction;
import dev.attentive.api.RecommendationRequest;
import dev.attentive.api.Recommender;
import dev.attentive.api.UserId;
import dev.attentive.api.spi.ProviderRegistry;
import dev.attentive.api.spi.TrainingContext;
import dev.attentive.eval.data.MovieLens;
import dev.attentive.eval.data.SyntheticData;
import dev.attentive.model.TwoTowerModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * End-to-end {@code recommend} latency of the {@code two-stage} pipeline with ranking, single
 * thread, on an ML-1M-sized model: {@code recommend(k=10)} for a random known user (the history of
 * their training items included), plain and with {@code explain=true}, and for comparison the plain
 * {@code two-tower} retrieval that the pipeline serves (the same retrieval model, on the same data,
 * in the same run). Sample mode, so that p50 and p99 are reported. The goal of issue 11 is p50 at
 * most 2 ms with ranking.
 *
 * <p>Data: MovieLens 1M from {@code $ATTENTIVE_DATA_DIR/ml-1m} when that variable is set (eval's
 * loader), else eval's {@link SyntheticData} of the same size (6,040 users, 3,706 items, about 1M
 * interactions, 165 per user on average, features on both sides).
 *
 * <p>Setup trains the pipeline with {@code retrieval.epochs=1} and the ranker's {@code epochs=1}
 * (about a minute or two on two cores rather than the ten of a full training): latency depends on the
 * model's shapes (catalogue, dimensions, candidates, history length), not on how well it learned.
 * The trained model is saved and the benchmark serves the <em>loaded</em> model, as a service would;
 * its {@code retrieval/} sub-directory, a complete two-tower model, is loaded as the two-tower
 * comparison. With {@code -Dattentive.bench.model=DIR} (passed to the fork with {@code -jvmArgsAppend})
 * a model already saved in {@code DIR} is loaded instead of training one, and a new one is saved there,
 * so that runs before and after a change measure the same model.
 *
 * <p>Run, from the repository root (the first command builds the jars and writes the test class
 * path; the fork gets the JVM flags from {@link Fork}):
 * <pre>
 * mvn -q -o -pl examples -am -DskipTests -Djapicmp.skip=true package dependency:build-classpath \
 *     -Dmdep.outputFile=/tmp/examples.cp -Dmdep.includeScope=test
 * ATTENTIVE_DATA_DIR=... java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
 *     -cp "$(cat /tmp/examples.cp):examples/target/classes:examples/target/test-classes" \
 *     org.openjdk.jmh.Main RecommendLatencyBenchmark -f 1 -wi 3 -w 5s -i 5 -r 5s \
 *     -jvmArgsAppend -Dattentive.bench.model=/tmp/two-stage-ml1m
 * </pre>
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class RecommendLatencyBenchmark {
    private static final System.Logger LOG = System.getLogger(RecommendLatencyBenchmark.class.getName());
    private static final int K = 10;

    /** The ranker plugin of the pipeline. */
    @Param({"target-attention"})
    public String ranker;

    private Recommender twoStage;
    private Recommender twoTower;
    private UserId[] users;
    private Path temporary;

    /** For JMH. */
    public RecommendLatencyBenchmark() {
    }

    /** The random user of each call, per thread. */
    @State(Scope.Thread)
    public static class Users {
        private final SplittableRandom random = new SplittableRandom(42);

        /** For JMH. */
        public Users() {
        }

        UserId next(UserId[] users) {
            return users[random.nextInt(users.length)];
        }
    }

    /**
     * ML-1M from {@code $ATTENTIVE_DATA_DIR/ml-1m}, else synthetic data of its size.
     *
     * @return the dataset
     */
    static Dataset data() {
        String dir = System.getenv("ATTENTIVE_DATA_DIR");
        if (dir != null && !dir.isBlank() && Files.isDirectory(Path.of(dir, "ml-1m"))) {
            return MovieLens.ml1m(Path.of(dir, "ml-1m"));
        }
        return new SyntheticData(new SyntheticData.Config(6040, 3706, 18, 165, 0.8, 3.0, 0.3)).generate(2020);
    }

    /**
     * Trains (or loads) the pipeline, saves it, and loads it and its retrieval back.
     *
     * @throws IOException when saving or loading fails
     */
    @Setup(Level.Trial)
    public void setup() throws IOException {
        Dataset data = data();
        String given = System.getProperty("attentive.bench.model");
        Path dir;
        if (given != null && Files.isRegularFile(Path.of(given, "model.json"))) {
            dir = Path.of(given);
            LOG.log(System.Logger.Level.INFO, "Loading the two-stage model saved in {0}", dir);
        } else {
            temporary = Files.createTempDirectory("attentive-bench-");
            dir = given != null ? Path.of(given) : temporary.resolve("model");
            long t0 = System.nanoTime();
            try (Recommender trained = ProviderRegistry.models().get("two-stage").train(data,
                    Map.of("ranker", ranker, "epochs", "1", "retrieval.epochs", "1"),
                    new TrainingContext(2020, Runtime.getRuntime().availableProcessors(), r -> Double.NaN, s -> { }))) {
                LOG.log(System.Logger.Level.INFO, "Trained two-stage[ranker={0}] on {1} ({2} interactions) in {3} s",
                        ranker, data.name(), data.interactions().size(), (System.nanoTime() - t0) / 1_000_000_000L);
                TwoTowerModels.save(trained, dir);
            }
        }
        twoStage = TwoTowerModels.load(dir);
        twoTower = TwoTowerModels.load(dir.resolve("retrieval"));
        users = new LinkedHashSet<>(data.interactions().stream().map(Interaction::user).toList())
                .toArray(new UserId[0]);
    }

    /**
     * Closes the models and deletes a temporary model directory.
     *
     * @throws IOException when deleting fails
     */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        twoStage.close();
        twoTower.close();
        if (temporary != null) {
            try (Stream<Path> files = Files.walk(temporary)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    /**
     * The pipeline's top 10 for a random known user.
     *
     * @param u the random users
     * @return the recommendations
     */
    @Benchmark
    public List<?> twoStage(Users u) {
        return twoStage.recommend(RecommendationRequest.forUser(u.next(users)).k(K).build());
    }

    /**
     * The same with explanations.
     *
     * @param u the random users
     * @return the recommendations
     */
    @Benchmark
    public List<?> twoStageExplained(Users u) {
        return twoStage.recommend(RecommendationRequest.forUser(u.next(users)).k(K).explain(true).build());
    }

    /**
     * The pipeline's retrieval alone, the plain two-tower model.
     *
     * @param u the random users
     * @return the recommendations
     */
    @Benchmark
    public List<?> twoTower(Users u) {
        return twoTower.recommend(RecommendationRequest.forUser(u.next(users)).k(K).build());
    }
}
