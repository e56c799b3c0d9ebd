package dev.attentive.eval.tune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Search spaces: the text forms, their errors, JSON overrides and seeded sampling. */
class SearchSpaceTest {
    @TempDir
    Path dir;

    @Test
    void parsesEveryFormAndDescribesItBack() {
        Map<String, String> text = new LinkedHashMap<>();
        text.put("a", "choice(x, y ,z)");
        text.put("b", "int(1,5)");
        text.put("c", "intlog(10,1000)");
        text.put("d", "uniform(0,1)");
        text.put("e", "loguniform(1e-3,5e-2)");
        text.put("f", "64");
        SearchSpace space = SearchSpace.parse("m", text);
        assertThat(space.describe()).containsExactly(Map.entry("a", "choice(x,y,z)"), Map.entry("b", "int(1,5)"),
                Map.entry("c", "intlog(10,1000)"), Map.entry("d", "uniform(0,1)"), Map.entry("e", "loguniform(0.001,0.05)"),
                Map.entry("f", "64"));
        assertThat(SearchSpace.parse("m", space.describe())).isEqualTo(space);
        assertThat(SearchSpace.parse("m", Map.of("a", "choice(1,2)", "b", "int(1,5)")).cardinality()).isEqualTo(10);
    }

    @Test
    void samplesStayInRangeAndRepeatForASeed() {
        long seed = new Random().nextLong();
        SearchSpace space = SearchSpace.parse("m", Map.of("n", "intlog(10,1000)", "k", "int(-2,2)", "lr",
                "loguniform(0.001,0.1)", "u", "uniform(-1,1)", "c", "choice(a,b)"));
        Random r1 = new Random(seed);
        Random r2 = new Random(seed);
        for (int i = 0; i < 2000; i++) {
            Map<String, String> s = space.sample(r1);
            assertThat(space.sample(r2)).as("seed %d", seed).isEqualTo(s);
            assertThat(Long.parseLong(s.get("n"))).as("seed %d", seed).isBetween(10L, 1000L);
            assertThat(Long.parseLong(s.get("k"))).as("seed %d", seed).isBetween(-2L, 2L);
            assertThat(Double.parseDouble(s.get("lr"))).as("seed %d", seed).isBetween(0.001, 0.1);
            assertThat(Double.parseDouble(s.get("u"))).as("seed %d", seed).isBetween(-1.0, 1.0);
            assertThat(s.get("c")).as("seed %d", seed).isIn("a", "b");
        }
    }

    @Test
    void badEntriesNameTheKeyAndWhatWasExpected() {
        Map<String, String> text = new LinkedHashMap<>();
        text.put("lr", "loguniform(0,1)");
        text.put("dim", "choice()");
        text.put("x", "gauss(1,2)");
        text.put("n", "int(5,2)");
        text.put("m", "int(1,two)");
        text.put("w", "uniform(1)");
        assertThatThrownBy(() -> SearchSpace.parse("two-tower", text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Bad search space for two-tower")
                .hasMessageContaining("lr=loguniform(0,1): loguniform needs low > 0, got 0.0")
                .hasMessageContaining("dim=choice(): choice values must be non-empty")
                .hasMessageContaining("x=gauss(1,2): unknown form 'gauss'; expected choice(a,b,...), int(lo,hi)")
                .hasMessageContaining("n=int(5,2): needs low <= high, got low 5 and high 2")
                .hasMessageContaining("m=int(1,two): 'two' is not an integer")
                .hasMessageContaining("w=uniform(1): uniform needs two numbers (lo,hi), got 1 arguments");
    }

    @Test
    void builtInSpacesCoverTheBaselinesAndTheTwoTower() {
        assertThat(SearchSpace.builtInNames()).contains("two-tower", "ease", "itemknn", "bpr", "fm");
        assertThat(SearchSpace.builtIn("EASE").describe()).containsEntry("lambda", "loguniform(10,5000)");
        assertThat(SearchSpace.builtIn("pop")).isEqualTo(SearchSpace.EMPTY);
        SearchSpace overridden = SearchSpace.builtIn("ease").with("ease", Map.of("lambda", "choice(100,200)", "extra", "1"));
        assertThat(overridden.describe()).containsExactly(Map.entry("lambda", "choice(100,200)"), Map.entry("extra", "1"));
    }

    @Test
    void readsOverridesFromJson() throws Exception {
        Path file = dir.resolve("space.json");
        Files.writeString(file, "{\"Two-Tower\": {\"lr\": \"loguniform(0.001,0.05)\", \"dim\": [32, 64], \"epochs\": 20,"
                + " \"logQ\": false}, \"ease\": {}}");
        Map<String, Map<String, String>> o = SearchSpace.readOverrides(file);
        assertThat(o.get("two-tower")).containsExactly(Map.entry("lr", "loguniform(0.001,0.05)"),
                Map.entry("dim", "choice(32,64)"), Map.entry("epochs", "20"), Map.entry("logQ", "false"));
        assertThat(o.get("ease")).isEmpty();
    }

    @Test
    void badJsonFilesAreClearErrors() throws Exception {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"ease\": {\"lambda\": {\"low\": 1}}, \"bpr\": 3}");
        assertThatThrownBy(() -> SearchSpace.readOverrides(bad)).hasMessageContaining("Bad search space file " + bad)
                .hasMessageContaining("ease.lambda must be a string (choice(a,b,...)")
                .hasMessageContaining("model 'bpr' must map to an object of settings");
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"ease\": ");
        assertThatThrownBy(() -> SearchSpace.readOverrides(broken)).hasMessageContaining("is not valid JSON");
        Path array = dir.resolve("array.json");
        Files.writeString(array, "[1]");
        assertThatThrownBy(() -> SearchSpace.readOverrides(array)).hasMessageContaining("must hold a JSON object of model names");
    }
}
