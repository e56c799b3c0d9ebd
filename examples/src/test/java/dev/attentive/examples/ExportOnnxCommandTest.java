package dev.attentive.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attentive.api.Recommender;
import dev.attentive.api.spi.ProviderRegistry;
import dev.attentive.api.spi.TrainingContext;
import dev.attentive.eval.data.SyntheticData;
import dev.attentive.model.TwoTowerModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code attentive export-onnx}: what it writes and prints, and its one-line errors with exit 2. */
class ExportOnnxCommandTest {
    @TempDir
    static Path shared;
    static Path model;

    @TempDir
    Path dir;

    @BeforeAll
    static void saveAModel() throws IOException {
        model = save(Map.of("attention", "attention-pooling"), shared.resolve("model"));
    }

    static Path save(Map<String, String> settings, Path to) throws IOException {
        var data = new SyntheticData(new SyntheticData.Config(100, 50, 4, 5, 0.8, 3, 0.3)).generate(1);
        var all = new java.util.LinkedHashMap<>(Map.of("dim", "8", "epochs", "1", "batch", "64", "userWidths", "8",
                "itemWidths", "8"));
        all.putAll(settings);
        try (Recommender r = ProviderRegistry.models().get("two-tower").train(data, all, TrainingContext.of(3))) {
            TwoTowerModels.save(r, to);
        }
        return to;
    }

    @Test
    void writesTheTwoTowersAndTheManifestAndSaysWhere() throws IOException {
        Path out = dir.resolve("onnx");
        var r = AttentiveCliTest.run("export-onnx", "--model", model.toString(), "--out", out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        Path abs = out.toAbsolutePath().normalize();
        assertThat(r.out().lines().toList()).containsExactly(
                "Exporting " + model + " to ONNX",
                "user tower: " + abs.resolve("user_tower.onnx"),
                "item tower: " + abs.resolve("item_tower.onnx"),
                "manifest:   " + abs.resolve("manifest.json"),
                "dimension 8, similarity DOT_PRODUCT, item tower fingerprint " + fingerprint());
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted())
                    .containsExactly("item_tower.onnx", "manifest.json", "user_tower.onnx");
        }
    }

    @Test
    void refusesANonEmptyOutputUnlessForcedAndKeepsItIntact() throws IOException {
        Path out = Files.createDirectories(dir.resolve("busy"));
        Files.writeString(out.resolve("notes.txt"), "keep me");
        var refused = AttentiveCliTest.run("export-onnx", "--model", model.toString(), "--out", out.toString());
        assertThat(refused.status()).isEqualTo(2);
        assertThat(refused.errLines()).containsExactly("error: Cannot export to " + out.toAbsolutePath().normalize()
                + ": the directory is not empty; name a new directory, or replace its content (--force)");
        assertThat(out.resolve("notes.txt")).hasContent("keep me");
        var forced = AttentiveCliTest.run("-q", "export-onnx", "--model", model.toString(), "--out", out.toString(),
                "--force");
        assertThat(forced.status()).as(forced.err()).isZero();
        assertThat(out.resolve("notes.txt")).doesNotExist();
        assertThat(out.resolve("manifest.json")).exists();
    }

    @Test
    void aMissingModelIsOneLineAndExitTwo() {
        Path missing = dir.resolve("no-model");
        var r = AttentiveCliTest.run("export-onnx", "--model", missing.toString(), "--out", dir.resolve("o").toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.errLines().get(0)).startsWith("error: " + missing.toAbsolutePath().normalize().resolve("model.json"))
                .contains("is missing");
        assertThat(dir.resolve("o")).doesNotExist();
    }

    @Test
    void anUnsupportedAttentionIsOneLineNamingTheSetting() throws IOException {
        Path gated = save(Map.of("attention", "field-self-attention"), dir.resolve("gated"));
        var r = AttentiveCliTest.run("export-onnx", "--model", gated.toString(), "--out", dir.resolve("o").toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly("error: Cannot export " + gated.toAbsolutePath().normalize()
                + " to ONNX: setting attention = 'field-self-attention' is not supported; supported: mean, concat-mlp, "
                + "attention-pooling");
    }

    private static String fingerprint() throws IOException {
        try (Recommender r = TwoTowerModels.load(model)) {
            return TwoTowerModels.itemTowerFingerprint(r);
        }
    }
}
