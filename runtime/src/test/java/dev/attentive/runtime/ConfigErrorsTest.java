package dev.attentive.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.attentive.api.Dataset;
import dev.attentive.api.FeatureTable;
import dev.attentive.api.Interaction;
import dev.attentive.api.ItemId;
import dev.attentive.api.UserId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of bad input is reported before any training, all problems in one message, each with its
 * place and fix. The messages are pinned verbatim (runtime/CONFIG.md quotes them).
 */
class ConfigErrorsTest {
    @TempDir
    Path tmp;

    private Path write(String name, String text) throws IOException {
        Path file = tmp.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    private static String messageOf(Attentive.Builder builder) {
        try {
            builder.validate();
        } catch (AttentiveConfigException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected an AttentiveConfigException");
    }

    @Test
    void unknownKeysAreAllListedWithLineColumnAndTheKnownKeys() throws IOException {
        Path file = write("attentive.yaml", """
                data:
                  synthetic: {users: 50, items: 40, topics: 4, meanInteractionsPerUser: 5}
                trainig:
                  seed: 1
                model:
                  name: two-tower
                  setings: {dim: 8}
                """);
        assertThat(messageOf(Attentive.fromConfig(file))).isEqualTo("Invalid Attentive config in " + file
                + ": line 3, column 1: unknown key 'trainig'; the keys at the top level are data, model, retriever, "
                + "indexDirectory, training; line 7, column 3: unknown key 'model.setings'; the keys under 'model' are "
                + "name, settings, load");
    }

    @Test
    void wrongTypesNameLineKeyAndExpectedType() throws IOException {
        Path file = write("attentive.json", """
                {
                  "data": {"synthetic": {"users": "many"}},
                  "training": {"seed": 1.5, "threads": "two", "validation": {"holdout": "ten percent"}},
                  "indexDirectory": 7
                }
                """);
        assertThat(messageOf(Attentive.fromConfig(file))).isEqualTo("Invalid Attentive config in " + file
                + ": line 2, column 35: 'data.synthetic.users' must be an integer, got the string 'many'; "
                + "line 3, column 24: 'training.seed' must be an integer, got the number 1.5; "
                + "line 3, column 40: 'training.threads' must be an integer, got the string 'two'; "
                + "line 3, column 73: 'training.validation.holdout' must be a number, got the string 'ten percent'; "
                + "line 4, column 21: 'indexDirectory' must be a string, got the number 7");
    }

    @Test
    void aMissingConfigFileSaysSo() {
        Path file = tmp.resolve("absent.yaml");
        assertThatThrownBy(() -> Attentive.fromConfig(file).build()).isInstanceOf(AttentiveConfigException.class)
                .hasMessage("Invalid Attentive config in " + file + ": the config file does not exist; check the path "
                        + "(relative paths resolve against the working directory " + Path.of("").toAbsolutePath() + ")");
    }

    @Test
    void brokenSyntaxNamesTheLine() throws IOException {
        Path file = write("broken.json", "{\n  \"data\": {\"spec\": \"x.yaml\"\n");
        assertThat(messageOf(Attentive.fromConfig(file))).startsWith("Invalid Attentive config in " + file
                + ": line 3, column 1: not valid JSON (");
    }

    @Test
    void missingDataFilesNameThePathAndWhatItWasFor() throws IOException {
        Path file = write("attentive.yaml", "data:\n  spec: data/shop.yaml\n");
        assertThat(messageOf(Attentive.fromConfig(file))).isEqualTo("Invalid Attentive config in " + file
                + ": 'data.spec': no file " + tmp.resolve("data/shop.yaml") + " (the dataset spec that describes the "
                + "data files; a relative path resolves against the config file's folder)");

        Path spec = write("shop.yaml", """
                interactions:
                  file: events.csv
                  columns:
                    - {name: user, type: user}
                    - {name: item, type: item}
                """);
        Path config = write("shop-config.yaml", "data:\n  spec: shop.yaml\n");
        assertThat(messageOf(Attentive.fromConfig(config))).isEqualTo("Invalid Attentive config in " + config
                + ": 'data.spec': the interactions file " + tmp.resolve("events.csv") + " named by " + spec
                + " does not exist");
    }

    @Test
    void aMissingMovieLensFolderAndTwoDataSourcesAreNamed() throws IOException {
        Path file = write("attentive.yaml", "data: {movielens: ml-100k}\n");
        assertThat(messageOf(Attentive.fromConfig(file))).isEqualTo("Invalid Attentive config in " + file
                + ": 'data.movielens': no folder " + tmp.resolve("ml-100k") + " (a MovieLens release such as ml-100k, "
                + "unpacked; the fetch command downloads one)");
        Path two = write("two.yaml", "data: {movielens: ml-100k, synthetic: {}}\n");
        assertThat(messageOf(Attentive.fromConfig(two))).isEqualTo("Invalid Attentive config in " + two
                + ": line 1, column 7: 'data' names 2 sources (data.movielens, data.synthetic); keep one of spec, "
                + "movielens, synthetic");
    }

    @Test
    void aMalformedSpecFormFromCodeIsReportedWithTheOtherProblems() {
        assertThat(messageOf(Attentive.builder().data(tiny()).model("two-tower[dim=8").threads(-1)))
                .isEqualTo("Invalid Attentive config from the builder: 'model' = 'two-tower[dim=8' is not "
                        + "name[key=value,...]: Model spec 'two-tower[dim=8' must end with ']' (write e.g. "
                        + "two-tower[dim=32,epochs=20]); 'training.threads' must be at least 1, got -1");
    }

    @Test
    void aRetrieverForAModelThatRanksItselfIsRefused() {
        assertThat(messageOf(Attentive.builder().data(tiny()).model("pop").retriever("exact")))
                .isEqualTo("Invalid Attentive config from the builder: 'retriever' chooses how a two-tower model "
                        + "serves its item vectors, but model 'pop' does not serve through it (it ranks items itself); "
                        + "remove 'retriever'");
    }

    @Test
    void aMissingOrEmptyModelDirectoryIsNamed() throws IOException {
        Path file = write("attentive.yaml", "model:\n  load: models/current\n");
        assertThat(messageOf(Attentive.fromConfig(file))).isEqualTo("Invalid Attentive config in " + file
                + ": 'model.load': no directory " + tmp.resolve("models/current") + " (the saved model to serve; save "
                + "one with TwoTowerModels.save or recommend --save)");

        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertThat(messageOf(Attentive.builder().load(empty))).isEqualTo("Invalid Attentive config from the builder: "
                + "'model.load': " + empty + " is not a saved model: it has no model.json (name the directory that "
                + "TwoTowerModels.save wrote)");
    }

    @Test
    void holdoutOutOfRangeAndOrderWithoutHoldout() throws IOException {
        Path file = write("attentive.yaml", """
                data: {synthetic: {}}
                training:
                  validation: {holdout: 1.5}
                """);
        assertThat(messageOf(Attentive.fromConfig(file))).isEqualTo("Invalid Attentive config in " + file
                + ": 'training.validation.holdout' must be a fraction in (0, 1) of each user's interactions, e.g. 0.1, "
                + "got 1.5");
        assertThat(messageOf(Attentive.builder().data(tiny()).holdout(0, Attentive.HoldoutOrder.RANDOM).threads(0)))
                .isEqualTo("Invalid Attentive config from the builder: 'training.threads' must be at least 1, got 0; "
                        + "'training.validation.holdout' must be a fraction in (0, 1) of each user's interactions, "
                        + "e.g. 0.1, got 0.0");
    }

    @Test
    void dataAndASavedModelTogetherOrNeitherAreRefused() throws IOException {
        Path model = Files.createDirectories(tmp.resolve("model"));
        Files.writeString(model.resolve("model.json"), "{}");
        assertThat(messageOf(Attentive.builder().data(tiny()).load(model).model("two-tower[dim=8]")))
                .isEqualTo("Invalid Attentive config from the builder: give training data or a saved model, not both: "
                        + "remove 'data' (data) or 'model.load' (" + model + ")");
        assertThat(messageOf(Attentive.builder())).isEqualTo("Invalid Attentive config from the builder: nothing to "
                + "serve: set 'data' (training data: spec, movielens or synthetic) or 'model.load' (a directory a "
                + "model was saved to)");
    }

    @Test
    void aRetrieverPathIsRefusedInFavourOfTheIndexDirectory() {
        assertThat(messageOf(Attentive.builder().data(tiny()).retriever("lucene-hnsw[path=/tmp/x,fanout=10]")))
                .isEqualTo("Invalid Attentive config from the builder: 'retriever.settings.path': the index location "
                        + "is set by 'indexDirectory' (each model gets its own index in it); remove 'path' and set "
                        + "'indexDirectory'");
    }

    @Test
    void aRetrieverPathInTheModelSettingsIsRefusedToo() {
        assertThat(messageOf(Attentive.builder().data(tiny()).model("two-tower[retriever=lucene-hnsw[path=/tmp/x]]")))
                .isEqualTo("Invalid Attentive config from the builder: 'model.settings' of two-tower: retriever.path: "
                        + "training keeps no index on disk (each epoch's validation serves a model of its own); leave it "
                        + "out and keep the served index in a directory with TwoTowerModels.serve(model, serving), or "
                        + "with 'indexDirectory' in an Attentive config");
    }

    @Test
    void aForeignNonEmptyIndexDirectoryIsRefused() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("busy"));
        Files.writeString(dir.resolve("notes.txt"), "mine");
        assertThat(messageOf(Attentive.builder().data(tiny()).indexDirectory(dir))).isEqualTo("Invalid Attentive config "
                + "from the builder: 'indexDirectory': " + dir + " is not empty and holds no Attentive serving state "
                + "(serving.json, journal.jsonl or lock); name an empty or new directory");
    }

    @Test
    void unknownModelAndRetrieverNamesAndBadSettingsAreListedTogether() throws IOException {
        Path file = write("attentive.yaml", """
                data: {synthetic: {}}
                model: tow-tower[dim=8]
                retriever: {name: hnsw, settings: {fanout: 10}}
                training: {threads: 0}
                """);
        assertThat(messageOf(Attentive.fromConfig(file))).isEqualTo("Invalid Attentive config in " + file
                + ": 'model.name': No model named 'tow-tower'. Available: bpr, ease, fm, itemknn, pop, random, "
                + "two-stage, two-tower.; 'retriever.name': No retriever named 'hnsw'. Available: exact, lucene-hnsw.; "
                + "'training.threads' must be at least 1, got 0");
    }

    @Test
    void unknownPluginNamesAndBadSettingsOfAKnownModelAreListedTogether() throws IOException {
        Path file = write("attentive.yaml", """
                data: {synthetic: {}}
                model:
                  name: two-tower
                  settings:
                    dim: -1
                    attention: field-self-atention
                    historyAttention: mean
                    historyAttention.heads: 2
                    tower: mpl
                retriever: lucene-hnsw[fanout=-3,maxConn=1]
                """);
        assertThat(messageOf(Attentive.fromConfig(file))).isEqualTo("Invalid Attentive config in " + file
                + ": 'model.settings' of two-tower: dim must be at least 1, got -1; "
                + "'model.settings' of two-tower: attention: No attention named 'field-self-atention'. Available: "
                + "attention-pooling, concat-mlp, field-gating, field-self-attention, history-attention, mean, "
                + "self-attention.; "
                + "'model.settings' of two-tower: historyAttentionSettings: Invalid config for mean: unknown setting "
                + "'heads' (valid: ); "
                + "'model.settings' of two-tower: tower: No tower named 'mpl'. Available: mlp.; "
                + "'retriever.settings' of lucene-hnsw: maxConn must be in 2..512, got 1; "
                + "'retriever.settings' of lucene-hnsw: fanout must be at least 0, got -3");
    }

    /** Three users with three items each. */
    static Dataset tiny() {
        List<Interaction> interactions = new java.util.ArrayList<>();
        for (int u = 0; u < 3; u++) {
            for (int i = 0; i < 3; i++) {
                interactions.add(new Interaction(UserId.of("u" + u), ItemId.of("i" + (u + i) % 4), 10L * i, 1f));
            }
        }
        return new Dataset("tiny", interactions, FeatureTable.empty(), FeatureTable.empty());
    }
}
