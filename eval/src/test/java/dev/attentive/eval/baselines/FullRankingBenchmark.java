package dev.attentive.eval.baselines;

import dev.attentive.api.Dataset;
import dev.attentive.api.FeatureTable;
import dev.attentive.api.Interaction;
import dev.attentive.api.ItemId;
import dev.attentive.api.Recommender;
import dev.attentive.api.UserId;
import dev.attentive.api.spi.TrainingContext;
import dev.attentive.eval.metrics.Evaluator;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Full-catalogue ranking evaluation at ML-1M's size: 6,040 users x 3,706 items, about 140 training
 * and 20 test items per user (Zipf-skewed), every metric at K = 1..50 as the runner computes them,
 * training items masked. Models: {@code pop} and a random-embedding dot-product model (dim 64, the
 * cost of scoring a two-tower or BPR model). Run with
 * {@code java -cp <test classpath> org.openjdk.jmh.Main FullRankingBenchmark -t 1}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g", "--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 2)
@Measurement(iterations = 5)
public class FullRankingBenchmark {
    @Param({"pop", "dot64"})
    public String model;

    @Param({"2"})
    public int threads;

    private Evaluator evaluator;
    private Dataset test;
    private Recommender recommender;

    /** JMH instantiates the state. */
    public FullRankingBenchmark() {
    }

    /** Builds the data, the evaluator and the model. */
    @Setup(Level.Trial)
    public void setUp() {
        int users = 6040;
        int items = 3706;
        SplittableRandom random = new SplittableRandom(42);
        double[] cdf = new double[items];
        double sum = 0;
        for (int i = 0; i < items; i++) {
            sum += 1 / Math.pow(i + 1, 0.8);
            cdf[i] = sum;
        }
        List<Interaction> train = new ArrayList<>();
        List<Interaction> target = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            int n = 20 + random.nextInt(260);
            java.util.Set<Integer> seen = new java.util.HashSet<>();
            while (seen.size() < n) {
                double x = random.nextDouble() * sum;
                int lo = java.util.Arrays.binarySearch(cdf, x);
                seen.add(Math.min(items - 1, lo >= 0 ? lo : -lo - 1));
            }
            int k = 0;
            for (int i : seen) {
                Interaction in = Interaction.of("u" + u, "i" + i);
                (k++ % 8 == 0 ? target : train).add(in);
            }
        }
        // Every item is in the catalogue even if only a test user has it.
        for (int i = 0; i < items; i++) {
            train.add(Interaction.of("anchor", "i" + i));
        }
        Dataset trainSet = new Dataset("bench", train, FeatureTable.empty(), FeatureTable.empty());
        test = trainSet.withInteractions(target);
        evaluator = new Evaluator(trainSet, IntStream.rangeClosed(1, 50).toArray(), threads);
        InteractionMatrix m = new InteractionMatrix(trainSet);
        recommender = switch (model) {
            case "pop" -> new PopModelProvider().train(trainSet, new PopModelProvider.Config(), TrainingContext.of(1));
            case "dot64" -> dot(m, 64, random);
            default -> throw new IllegalArgumentException(model);
        };
    }

    private static Recommender dot(InteractionMatrix m, int d, SplittableRandom random) {
        float[] user = new float[m.users() * d];
        float[] item = new float[m.itemCount() * d];
        for (int x = 0; x < user.length; x++) {
            user[x] = (float) random.nextGaussian();
        }
        for (int x = 0; x < item.length; x++) {
            item[x] = (float) random.nextGaussian();
        }
        return new ScoringRecommender(m) {
            @Override
            void score(int u, int[] history, float[] out) {
                int uo = u * d;
                for (int i = 0; i < out.length; i++) {
                    int io = i * d;
                    float s = 0;
                    for (int f = 0; f < d; f++) {
                        s += user[uo + f] * item[io + f];
                    }
                    out[i] = s;
                }
            }
        };
    }

    /**
     * One full evaluation of every user.
     *
     * @return the NDCG@10, so that the work is not eliminated
     */
    @Benchmark
    public double evaluateAllUsers() {
        return evaluator.evaluate(recommender, test, null).get("ndcg@10");
    }
}
