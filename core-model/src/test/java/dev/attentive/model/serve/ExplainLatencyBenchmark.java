package dev.attentive.model.serve;

import dev.attentive.api.Dataset;
import dev.attentive.api.Interaction;
import dev.attentive.api.Recommendation;
import dev.attentive.api.RecommendationRequest;
import dev.attentive.api.UserId;
import dev.attentive.api.spi.ProviderRegistry;
import dev.attentive.api.spi.TrainingContext;
import dev.attentive.eval.data.MovieLens;
import dev.attentive.eval.data.SyntheticData;
import dev.attentive.testkit.RealData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What {@code explain=true} costs: {@code recommend(k=10)} of the {@code two-tower} model in its
 * default configuration ({@code concat-mlp} field attention, {@code mlp} towers, mean history), for a
 * random known user, plain and explained, in the same run and on the same model; and explained with
 * the explainer's item cache emptied before each call. Sample mode, so that p50 is reported; the goal
 * is an explained request at most 3x a plain one.
 *
 * <p>Data: MovieLens 100K from {@code $ATTENTIVE_DATA_DIR/ml-100k} when that variable names a folder
 * holding it; otherwise the benchmark says so in its log and uses eval's {@link SyntheticData} with
 * its defaults (1,000 users, 500 items, features on both sides). Setup trains one epoch: latency
 * depends on the model's shapes, not on how well it learned.
 *
 * <p>Run, from the repository root (the first command compiles and writes the test class path):
 * <pre>
 * mvn -q -B -o -pl core-model -am -DskipTests -Djapicmp.skip=true test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=/tmp/core-model.cp -Dmdep.includeScope=test
 * ATTENTIVE_DATA_DIR=... java --add-modules jdk.incubator.vector \
 *     -cp "$(cat /tmp/core-model.cp):core-model/target/classes:core-model/target/test-classes" \
 *     org.openjdk.jmh.Main ExplainLatencyBenchmark
 * </pre>
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Benchmark)
public class ExplainLatencyBenchmark {
    private static final System.Logger LOG = System.getLogger(ExplainLatencyBenchmark.class.getName());
    private static final int K = 10;

    private TwoTowerRecommender model;
    private UserId[] users;

    /** For JMH. */
    public ExplainLatencyBenchmark() {
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
     * ML-100K from {@code $ATTENTIVE_DATA_DIR/ml-100k}, else eval's default synthetic data.
     *
     * @return the dataset
     */
    static Dataset data() {
        String dir = System.getenv(RealData.ENV);
        if (dir != null && !dir.isBlank() && Files.isDirectory(Path.of(dir, "ml-100k"))) {
            return MovieLens.ml100k(Path.of(dir, "ml-100k"));
        }
        LOG.log(System.Logger.Level.WARNING, "{0} does not name a folder holding ml-100k/: measuring on eval''s "
                + "default synthetic data instead", RealData.ENV);
        return new SyntheticData(SyntheticData.Config.defaults()).generate(2020);
    }

    /** Trains the default two-tower model for one epoch. */
    @Setup(Level.Trial)
    public void setup() {
        Dataset data = data();
        long t0 = System.nanoTime();
        model = (TwoTowerRecommender) ProviderRegistry.models().get("two-tower").train(data, Map.of("epochs", "1"),
                new TrainingContext(2020, Runtime.getRuntime().availableProcessors(), r -> Double.NaN, s -> { }));
        LOG.log(System.Logger.Level.INFO, "Trained two-tower on {0} ({1} interactions) in {2} ms", data.name(),
                data.interactions().size(), (System.nanoTime() - t0) / 1_000_000L);
        users = new LinkedHashSet<>(data.interactions().stream().map(Interaction::user).toList())
                .toArray(new UserId[0]);
    }

    /** Closes the model. */
    @TearDown(Level.Trial)
    public void tearDown() {
        model.close();
    }

    /**
     * The top 10 for a random known user.
     *
     * @param u the random users
     * @return the recommendations
     */
    @Benchmark
    public List<Recommendation> plain(Users u) {
        return model.recommend(RecommendationRequest.forUser(u.next(users)).k(K).build());
    }

    /**
     * The same with explanations.
     *
     * @param u the random users
     * @return the recommendations
     */
    @Benchmark
    public List<Recommendation> explained(Users u) {
        return model.recommend(RecommendationRequest.forUser(u.next(users)).k(K).explain(true).build());
    }

    /**
     * The same with the explainer's item cache emptied first, so that all ten items are linearised
     * (one batched item-tower pass): the cost of a request whose items were never explained before.
     *
     * @param u the random users
     * @return the recommendations
     */
    @Benchmark
    public List<Recommendation> explainedUncached(Users u) {
        model.explainer.forgetItems();
        return model.recommend(RecommendationRequest.forUser(u.next(users)).k(K).explain(true).build());
    }
}
