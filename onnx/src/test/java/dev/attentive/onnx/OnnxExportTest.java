package dev.attentive.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.attentive.api.Dataset;
import dev.attentive.api.Recommender;
import dev.attentive.api.spi.ProviderRegistry;
import dev.attentive.api.spi.TrainingContext;
import dev.attentive.eval.data.SyntheticData;
import dev.attentive.model.ModelFormatException;
import dev.attentive.model.TwoTowerModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The export's refusals, its output directory handling and the manifest's shape. */
class OnnxExportTest {
    static Dataset data;
    @TempDir
    static Path shared;
    static Path meanModel;

    @BeforeAll
    static void train() throws IOException {
        data = new SyntheticData(new SyntheticData.Config(120, 60, 4, 5, 0.8, 3, 0.3)).generate(3);
        meanModel = save(Map.of("attention", "mean"), shared.resolve("mean-model"));
    }

    static Path save(Map<String, String> settings, Path dir) throws IOException {
        Map<String, String> s = new LinkedHashMap<>(Map.of("dim", "8", "epochs", "1", "batch", "64",
                "userWidths", "8", "itemWidths", "8"));
        s.putAll(settings);
        try (Recommender r = ProviderRegistry.models().get("two-tower").train(data, s, TrainingContext.of(5))) {
            TwoTowerModels.save(r, dir);
        }
        return dir;
    }

    @Test
    void refusesAnUnsupportedFieldAttentionNamingTheSettingValueAndSupportedOnes(@TempDir Path tmp) throws IOException {
        Path model = save(Map.of("attention", "field-gating"), tmp.resolve("model"));
        assertThatThrownBy(() -> OnnxExport.export(model, tmp.resolve("out")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Cannot export " + model + " to ONNX: setting attention = 'field-gating' is not supported; "
                        + "supported: mean, concat-mlp, attention-pooling");
        assertThat(tmp.resolve("out")).doesNotExist();
    }

    @Test
    void refusesAnUnsupportedHistoryAttention(@TempDir Path tmp) throws IOException {
        Path model = save(Map.of("attention", "mean", "historyAttention", "history-attention"), tmp.resolve("model"));
        assertThatThrownBy(() -> OnnxExport.export(model, tmp.resolve("out")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Cannot export " + model + " to ONNX: setting historyAttention = 'history-attention' is not "
                        + "supported; supported: none, mean, attention-pooling");
    }

    @Test
    void exportsAModelWithoutHistory(@TempDir Path tmp) throws IOException {
        Path model = save(Map.of("attention", "concat-mlp", "historyAttention", "none"), tmp.resolve("model"));
        OnnxExport.Exported e = OnnxExport.export(model, tmp.resolve("out"));
        JsonNode m = JsonMapper.builder().build().readTree(Files.readAllBytes(e.manifest()));
        assertThat(names(m.get("towers").get("user").get("inputs"))).containsExactly("userId", "region", "age", "device",
                "interests", "height");
    }

    @Test
    void writesTwoGraphsAndAManifestThatDescribesEveryInput(@TempDir Path tmp) throws IOException {
        OnnxExport.Exported e = OnnxExport.export(meanModel, tmp.resolve("out"));
        assertThat(e.directory()).isEqualTo(tmp.resolve("out").toAbsolutePath().normalize());
        try (Stream<Path> files = Files.list(e.directory())) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted())
                    .containsExactly(OnnxExport.ITEM_TOWER_FILE, OnnxExport.MANIFEST_FILE, OnnxExport.USER_TOWER_FILE);
        }
        assertThat(e.dimension()).isEqualTo(8);
        assertThat(e.similarity()).isEqualTo("DOT_PRODUCT");
        assertThat(e.itemTowerFingerprint()).matches("[0-9a-f]{64}");
        JsonNode m = JsonMapper.builder().build().readTree(Files.readAllBytes(e.manifest()));
        assertThat(m.get("format").asString()).isEqualTo("attentive-onnx-towers");
        assertThat(m.get("itemTowerFingerprint").asString()).isEqualTo(e.itemTowerFingerprint());
        JsonNode user = m.get("towers").get("user");
        assertThat(names(user.get("inputs"))).containsExactly("userId", "region", "age", "device", "interests", "height",
                "history");
        assertThat(names(m.get("towers").get("item").get("inputs"))).containsExactly("itemId", "genre", "quality", "color",
                "tags", "weight");
        assertThat(user.get("output").get("name").asString()).isEqualTo("user_embedding");
        assertThat(user.get("output").get("shape").toString()).isEqualTo("[\"batch\",8]");
        for (JsonNode in : user.get("inputs")) {
            assertThat(in.has("dtype") && in.has("shape") && in.has("rule")).as(in.toString()).isTrue();
        }
        JsonNode interests = user.get("inputs").get(4);
        assertThat(interests.get("encoding").asString()).isEqualTo("multi");
        assertThat(interests.get("shape").toString()).isEqualTo("[\"batch\",\"interests.values\"]");
        assertThat(user.get("inputs").get(6).get("shape").toString()).isEqualTo("[\"batch\",50]");
    }

    @Test
    void refusesANonEmptyOutputDirectoryAndReplacesItOnlyWhenTold(@TempDir Path tmp) throws IOException {
        Path out = Files.createDirectories(tmp.resolve("out"));
        Files.writeString(out.resolve("keep.txt"), "mine");
        assertThatThrownBy(() -> OnnxExport.export(meanModel, out))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the directory is not empty");
        assertThat(out.resolve("keep.txt")).hasContent("mine");
        OnnxExport.export(meanModel, out, true);
        assertThat(out.resolve("keep.txt")).doesNotExist();
        assertThat(out.resolve(OnnxExport.MANIFEST_FILE)).exists();
        try (Stream<Path> siblings = Files.list(tmp)) {
            assertThat(siblings.map(p -> p.getFileName().toString())).containsExactly("out");
        }
    }

    @Test
    void refusesATwoStageModelAndPointsToItsRetrieval(@TempDir Path tmp) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("two-stage"));
        Files.writeString(dir.resolve("model.json"), "{\"format\": \"attentive-two-stage\", \"formatVersion\": 1}");
        assertThatThrownBy(() -> OnnxExport.export(dir, tmp.resolve("out")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("it is a two-stage model")
                .hasMessageContaining("--model " + dir.resolve("retrieval"));
    }

    @Test
    void refusesAMissingOrCorruptModelNamingTheFile(@TempDir Path tmp) throws IOException {
        assertThatThrownBy(() -> OnnxExport.export(tmp.resolve("nothing"), tmp.resolve("out")))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("model.json");
        Path copy = Files.createDirectories(tmp.resolve("corrupt"));
        try (Stream<Path> files = Files.list(meanModel)) {
            for (Path f : files.toList()) {
                Files.copy(f, copy.resolve(f.getFileName()));
            }
        }
        byte[] weights = Files.readAllBytes(copy.resolve("weights.bin"));
        weights[weights.length - 1] ^= 0x55;
        Files.write(copy.resolve("weights.bin"), weights);
        assertThatThrownBy(() -> OnnxExport.export(copy, tmp.resolve("out")))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("weights.bin").hasMessageContaining("checksum");
        assertThat(tmp.resolve("out")).doesNotExist();
    }

    @Test
    void refusesAnOutputDirectoryInsideTheModel() {
        assertThatThrownBy(() -> OnnxExport.export(meanModel, meanModel.resolve("onnx")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("one directory lies inside the other");
    }

    private static java.util.List<String> names(JsonNode inputs) {
        java.util.List<String> out = new java.util.ArrayList<>();
        inputs.forEach(i -> out.add(i.get("name").asString()));
        return out;
    }
}
