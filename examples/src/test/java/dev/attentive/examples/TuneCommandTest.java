package dev.attentive.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attentive.eval.runner.Datasets;
import dev.attentive.eval.runner.Experiment;
import dev.attentive.eval.runner.ModelSpec;
import dev.attentive.eval.runner.Protocol;
import dev.attentive.eval.tune.Budget;
import dev.attentive.eval.tune.SearchSpace;
import dev.attentive.eval.tune.Tuner;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The {@code tune} command end to end on synthetic data: the search and the test run in results.json and reports. */
class TuneCommandTest {
    @TempDir
    Path out;

    private static int run(ByteArrayOutputStream stdout, ByteArrayOutputStream stderr, String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        try {
            System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
            return AttentiveCli.run(args);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void writesTheSearchAndTheTestRun() throws Exception {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int status = run(stdout, stderr, "tune", "--dataset", "synthetic", "--models", "ease,itemknn[shrink=0]", "--trials", "3",
                "--tune-seeds", "5", "--seeds", "1,2", "--k-core", "5", "--threads", "2", "--param",
                "ease.lambda=loguniform(50,500)", "--out", out.toString());
        assertThat(status).as(stdout.toString(StandardCharsets.UTF_8) + stderr.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(stdout.toString(StandardCharsets.UTF_8)).contains("tuning ease: 3 trials over {lambda=loguniform(50,500)}")
                .contains("ease trial 2 (3 of 3): valid ndcg@10").contains("ease chose trial");
        JsonNode json = JsonMapper.builder().build().readTree(Files.readString(out.resolve("results.json")));
        JsonNode tuning = json.get("tuning");
        assertThat(tuning.get("tune_seeds").get(0).asLong()).isEqualTo(5);
        assertThat(tuning.get("budget").get("trials").asInt()).isEqualTo(3);
        assertThat(tuning.get("trial_zero").asString()).isEqualTo("defaults");
        for (String model : new String[] {"ease", "itemknn[shrink=0]"}) {
            JsonNode m = tuning.get("models").get(model);
            assertThat(m.get("trials")).hasSize(3);
            assertThat(m.get("trials_run").asInt()).isEqualTo(3);
            assertThat(m.get("chosen").size()).isPositive();
            assertThat(m.get("valid_ndcg@10").asDouble()).isPositive();
            assertThat(m.get("default_valid_ndcg@10").asDouble()).isPositive().isLessThanOrEqualTo(m.get("valid_ndcg@10").asDouble());
            double previous = 0;
            for (JsonNode t : m.get("trials")) {
                assertThat(t.get("settings").size()).isPositive();
                assertThat(t.get("seconds").asDouble()).isNotNegative();
                assertThat(t.get("best_so_far").asDouble()).isGreaterThanOrEqualTo(previous);
                previous = t.get("best_so_far").asDouble();
            }
            assertThat(json.get("models").get(model).get("test").get("recall@10").asDouble()).isBetween(0.0, 1.0);
            assertThat(json.get("models").get(model).get("per_seed")).hasSize(2);
        }
        JsonNode ease = tuning.get("models").get("ease");
        assertThat(ease.get("space").get("lambda").asString()).isEqualTo("loguniform(50,500)");
        double chosenLambda = Double.parseDouble(ease.get("chosen").get("lambda").asString());
        assertThat(Double.parseDouble(json.get("models").get("ease").get("params").get("lambda").asString())).isEqualTo(chosenLambda);
        assertThat(tuning.get("models").get("itemknn[shrink=0]").get("fixed").get("shrink").asString()).isEqualTo("0");
        assertThat(json.get("comparisons")).isNotEmpty();
        assertThat(Files.readString(out.resolve("report.md"))).contains("## Tuning").contains("search-curve.png")
                .contains("| ease |");
        assertThat(Files.readString(out.resolve("report.html"))).contains("<h2>Tuning</h2>").endsWith("</body></html>\n");
        assertThat(out.resolve("search-curve.png")).isNotEmptyFile();
        assertThat(out.resolve("recall-at-k.png")).isNotEmptyFile();
        assertThat(out.resolve("cleaning.json")).isNotEmptyFile();
    }

    @Test
    void badSpacesAndUnknownModelsAreOneLineErrors() {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int status = run(stdout, stderr, "tune", "--dataset", "synthetic", "--models", "ease,nope", "--param",
                "ease.lambda=loguniform(0,10)", "--out", out.toString());
        assertThat(status).isEqualTo(2);
        assertThat(stderr.toString(StandardCharsets.UTF_8)).contains("error: Cannot tune the models: ")
                .contains("Bad search space for ease: lambda=loguniform(0,10): loguniform needs low > 0")
                .contains("unknown model 'nope' (available: ");
        stderr.reset();
        status = run(stdout, stderr, "tune", "--dataset", "synthetic", "--models", "ease", "--param", "lambda=5",
                "--out", out.toString());
        assertThat(status).isEqualTo(2);
        assertThat(stderr.toString(StandardCharsets.UTF_8)).contains("--param 'lambda=5' must be written MODEL.KEY=EXPR");
        assertThat(out.resolve("results.json")).doesNotExist();
    }

    @Test
    void everyBuiltInSpaceBindsToItsProvider() {
        List<ModelSpec> specs = SearchSpace.builtInNames().stream().map(ModelSpec::parse).toList();
        Experiment.Config ec = new Experiment.Config("synthetic", Datasets.load("synthetic", null), Protocol.RECBOLE, specs,
                List.of(1L), 3, 5, 1, false);
        Map<String, SearchSpace> spaces = new Tuner(new Tuner.Config(ec, List.of(1L), Budget.ofTrials(1), 1, Map.of(), true))
                .validate();
        assertThat(spaces).containsKeys("two-tower", "ease", "itemknn", "bpr", "fm");
        assertThat(spaces.get("two-tower").describe()).containsKeys("lr", "temperature", "dim").containsEntry("logQ", "true");
    }
}
