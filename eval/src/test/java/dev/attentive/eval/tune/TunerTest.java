package dev.attentive.eval.tune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.attentive.api.Dataset;
import dev.attentive.api.Interaction;
import dev.attentive.api.ItemId;
import dev.attentive.api.UserId;
import dev.attentive.api.spi.ModelProvider;
import dev.attentive.api.spi.ProviderRegistry;
import dev.attentive.eval.data.SyntheticData;
import dev.attentive.eval.runner.Experiment;
import dev.attentive.eval.runner.ExperimentListener;
import dev.attentive.eval.runner.ModelSpec;
import dev.attentive.eval.runner.Protocol;
import dev.attentive.eval.split.Split;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The random search: reproducible, within its budget, blind to test, and loud about bad spaces. */
class TunerTest {
    private static final Dataset DATA = new SyntheticData(SyntheticData.Config.defaults()).generate(42);

    @TempDir
    Path dir;

    private static Tuner.Config config(String models, Budget budget, long searchSeed,
            Map<String, Map<String, String>> overrides) {
        Experiment.Config ec = new Experiment.Config("synthetic", DATA, Protocol.RECBOLE, ModelSpec.parseList(models),
                List.of(1L), Double.NaN, 5, 2, false);
        return new Tuner.Config(ec, List.of(7L), budget, searchSeed, overrides, true);
    }

    private static List<Map<String, String>> settings(ModelSearch s) {
        return s.trials().stream().map(Trial::settings).toList();
    }

    @Test
    void aSeedRepeatsItsTrialsAndAnotherSeedDoesNot() {
        TuneResult a = new Tuner(config("ease,itemknn", Budget.ofTrials(4), 11, Map.of())).search(TuneListener.NONE);
        TuneResult b = new Tuner(config("ease,itemknn", Budget.ofTrials(4), 11, Map.of())).search(TuneListener.NONE);
        TuneResult c = new Tuner(config("ease,itemknn", Budget.ofTrials(4), 12, Map.of())).search(TuneListener.NONE);
        for (String model : List.of("ease", "itemknn")) {
            assertThat(settings(a.searches().get(model))).isEqualTo(settings(b.searches().get(model)));
            assertThat(a.searches().get(model).trials()).extracting(Trial::validNdcg10)
                    .isEqualTo(b.searches().get(model).trials().stream().map(Trial::validNdcg10).toList());
            assertThat(settings(a.searches().get(model)).subList(1, 4))
                    .isNotEqualTo(settings(c.searches().get(model)).subList(1, 4));
        }
        // A model's trials do not depend on which other models are tuned.
        TuneResult alone = new Tuner(config("itemknn", Budget.ofTrials(4), 11, Map.of())).search(TuneListener.NONE);
        assertThat(settings(alone.searches().get("itemknn"))).isEqualTo(settings(a.searches().get("itemknn")));
    }

    @Test
    void everyModelGetsTheSameTrialBudgetAndTheCurveNeverFalls() {
        TuneResult r = new Tuner(config("ease,itemknn,pop", Budget.ofTrials(5), 3, Map.of())).search(TuneListener.NONE);
        for (String model : List.of("ease", "itemknn")) {
            ModelSearch s = r.searches().get(model);
            assertThat(s.trials()).hasSize(5);
            assertThat(s.stoppedBy()).isEqualTo("trials");
            assertThat(s.trials().get(0).settings()).as("trial 0 runs the defaults").isEqualTo(
                    model.equals("ease") ? Map.of("lambda", "250.0") : Map.of("neighbours", "100", "shrink", "0.0"));
            double previous = Double.NEGATIVE_INFINITY;
            for (Trial t : s.trials()) {
                assertThat(t.bestSoFar()).isGreaterThanOrEqualTo(previous).isGreaterThanOrEqualTo(t.validNdcg10());
                previous = t.bestSoFar();
            }
            assertThat(s.chosenValidNdcg10()).isEqualTo(previous);
            assertThat(s.chosen()).isEqualTo(s.trials().get(s.chosenTrial()).settings());
        }
        // pop has nothing to search: its defaults run once.
        assertThat(r.searches().get("pop").trials()).hasSize(1);
        assertThat(r.searches().get("pop").stoppedBy()).isEqualTo("exhausted");
    }

    @Test
    void aTimeBudgetStopsBeforeTheNextTrialAndAFiniteSpaceStopsWhenExhausted() {
        TuneResult timed = new Tuner(config("ease", new Budget(50, 1e-9), 3, Map.of())).search(TuneListener.NONE);
        assertThat(timed.searches().get("ease").trials()).hasSize(1);
        assertThat(timed.searches().get("ease").stoppedBy()).isEqualTo("seconds");
        TuneResult finite = new Tuner(config("itemknn[shrink=0]", Budget.ofTrials(10), 3,
                Map.of("itemknn", Map.of("neighbours", "choice(10,20,100)")))).search(TuneListener.NONE);
        ModelSearch s = finite.searches().get("itemknn[shrink=0]");
        assertThat(s.trials()).as("defaults (neighbours 100) plus 10 and 20").hasSize(3);
        assertThat(s.stoppedBy()).isEqualTo("exhausted");
        assertThat(s.fixed()).containsExactly(Map.entry("shrink", "0"));
        assertThat(s.trials()).allSatisfy(t -> assertThat(t.settings()).containsEntry("shrink", "0"));
    }

    @Test
    void theSearchChoosesOnValidationAndNeverOnTest() throws Exception {
        // The oracle is perfect on validation with target=valid and perfect on test with target=test; a
        // search that read test would choose test.
        Tuner.Config cfg = config("oracle[target=valid/test]", Budget.ofTrials(5), 3, Map.of());
        Dataset prepared = new Experiment(cfg.experiment()).prepare();
        for (long seed : List.of(7L, 1L)) {
            Split split = Protocol.RECBOLE.split(prepared, seed);
            OracleModelProvider.TARGETS.put("valid@" + seed, byUser(split.valid()));
            OracleModelProvider.TARGETS.put("test@" + seed, byUser(split.test()));
        }
        Path services = dir.resolve("META-INF/services");
        Files.createDirectories(services);
        Files.writeString(services.resolve(ModelProvider.class.getName()), OracleModelProvider.class.getName() + "\n");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            ProviderRegistry<ModelProvider<?>> registry = ProviderRegistry.models(loader);
            TuneResult r = new Tuner(cfg, registry).run(TuneListener.NONE, ExperimentListener.NONE);
            ModelSearch s = r.searches().get("oracle[target=valid/test]");
            assertThat(s.trials()).hasSize(2);
            assertThat(s.chosen()).containsEntry("target", "valid");
            assertThat(s.chosenValidNdcg10()).isEqualTo(1.0);
            assertThat(s.trials()).filteredOn(t -> t.settings().get("target").equals("test"))
                    .allSatisfy(t -> assertThat(t.validNdcg10()).isZero());
            // The chosen setting is worthless on test, where target=test would have been perfect.
            assertThat(r.test().meanTest("oracle[target=valid/test]", "recall@10")).isZero();
            JsonNode json = JsonMapper.builder().build().readTree(r.toJson());
            for (JsonNode trial : json.get("tuning").get("models").get("oracle[target=valid/test]").get("trials")) {
                List<String> keys = new ArrayList<>(trial.propertyNames());
                assertThat(keys).containsExactly("trial", "settings", "valid_ndcg@10", "seconds", "best_so_far");
            }
        } finally {
            OracleModelProvider.TARGETS.clear();
        }
    }

    @Test
    void unknownModelsAndBadSpaceEntriesAreReportedTogetherBeforeTraining() {
        Map<String, Map<String, String>> overrides = new LinkedHashMap<>();
        overrides.put("ease", Map.of("colour", "choice(red,blue)"));
        overrides.put("itemknn", Map.of("neighbours", "int(0,10)"));
        overrides.put("fm", Map.of("dim", "choice(8)"));
        assertThatThrownBy(() -> new Tuner(config("ease,itemknn,nope", Budget.ofTrials(2), 1, overrides)).validate())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown model 'nope' (available: bpr, ease, fm, itemknn, pop, random")
                .hasMessageContaining("ease search space entry colour=choice(red,blue) (value red): unknown setting "
                        + "'colour' (valid: lambda")
                .hasMessageContaining("itemknn search space entry neighbours=int(0,10) (value 0): neighbours must be")
                .hasMessageContaining("the search space names model 'fm', which is not among the models tuned");
        assertThatThrownBy(() -> new Tuner(config("ease", Budget.ofTrials(2), 1,
                Map.of("ease", Map.of("lambda", "loguniform(-1,5)")))).validate())
                .hasMessageContaining("Bad search space for ease: lambda=loguniform(-1,5): loguniform needs low > 0");
        assertThatThrownBy(() -> new Budget(0, 0)).hasMessage("The budget needs at least 1 trial, got 0");
    }

    private static Map<UserId, List<ItemId>> byUser(Dataset part) {
        Map<UserId, List<ItemId>> out = new LinkedHashMap<>();
        for (Interaction i : part.interactions()) {
            out.computeIfAbsent(i.user(), u -> new ArrayList<>()).add(i.item());
        }
        return out;
    }
}
