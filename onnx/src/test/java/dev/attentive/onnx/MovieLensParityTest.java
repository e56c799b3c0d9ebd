package dev.attentive.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.attentive.api.Dataset;
import dev.attentive.api.ItemId;
import dev.attentive.api.Recommender;
import dev.attentive.api.spi.ProviderRegistry;
import dev.attentive.api.spi.TrainingContext;
import dev.attentive.eval.data.MovieLens;
import dev.attentive.model.TwoTowerModels;
import dev.attentive.testkit.RealData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * Parity on real data: the default two-tower config ({@code concat-mlp}, mean history, dim 64,
 * widths 128) trained briefly on ML-100K, every user and every item through the exported graphs.
 * Skipped with a message when {@code ATTENTIVE_DATA_DIR} is unset.
 */
class MovieLensParityTest {
    @Test
    void theDefaultModelOnMl100kMatchesForEveryUserAndItem(@TempDir Path tmp) throws Exception {
        Dataset data = MovieLens.ml100k(RealData.require("ml-100k", "MovieLensParityTest"));
        Path modelDir = tmp.resolve("model");
        try (Recommender r = ProviderRegistry.models().get("two-tower").train(data, Map.of("epochs", "2"),
                TrainingContext.of(2020))) {
            TwoTowerModels.save(r, modelDir);
        }
        OnnxExport.Exported exported = OnnxExport.export(modelDir, tmp.resolve("onnx"));
        ManifestInputs inputs = new ManifestInputs(JsonMapper.builder().build().readTree(Files.readAllBytes(exported.manifest())));
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (Recommender loaded = TwoTowerModels.load(modelDir);
                OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            TwoTowerModels.Embeddings lib = TwoTowerModels.embeddings(loaded);
            List<ManifestInputs.Entity> users = OnnxParityTest.knownUsers(data, lib.users());
            List<ManifestInputs.Entity> items = new ArrayList<>();
            for (ItemId id : lib.items()) {
                items.add(new ManifestInputs.Entity(id.value(), data.items().get(id).values(), List.of()));
            }
            try (OrtSession userTower = env.createSession(exported.userTower().toString(), options);
                    OrtSession itemTower = env.createSession(exported.itemTower().toString(), options)) {
                double user = OnnxParityTest.maxAbsDiff(OnnxParityTest.run(env, userTower, inputs, "user", users),
                        lib.userVectors());
                double item = OnnxParityTest.maxAbsDiff(OnnxParityTest.run(env, itemTower, inputs, "item", items),
                        lib.itemVectors());
                System.out.printf(java.util.Locale.ROOT, "onnx parity ml-100k concat-mlp (defaults, 2 epochs): max abs "
                        + "diff user tower %.3g (%d users), item tower %.3g (%d items)%n", user, users.size(), item,
                        items.size());
                assertThat(user).isLessThanOrEqualTo(OnnxParityTest.TOLERANCE);
                assertThat(item).isLessThanOrEqualTo(OnnxParityTest.TOLERANCE);
            }
        }
    }
}
