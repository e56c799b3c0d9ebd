package dev.attentive.model.store;

import dev.attentive.api.FeatureSchema;
import dev.attentive.api.Parameter;
import dev.attentive.api.Ranker;
import dev.attentive.model.ModelFormatException;
import dev.attentive.model.TwoTowerModels;
import dev.attentive.model.nn.TwoTowerModel;
import dev.attentive.model.rank.TwoStageRecommender;
import dev.attentive.model.rank.TwoStageState;
import dev.attentive.model.serve.TwoTowerRecommender;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Writes and reads the two-stage file set described in {@link dev.attentive.model.TwoTowerModels}:
 * {@link TwoStageManifestFile}, {@link WeightsFile} (the ranker's parameters and the item
 * regression), {@link SlotsFile}, {@link CatalogueFile}, and the served retrieval as a complete
 * two-tower directory ({@link ModelStore}) under {@code retrieval/}, all written in one atomic,
 * checksummed {@link ModelDirectory}. Stateless.
 */
public final class TwoStageStore {
    /** The sub-directory holding the retrieval's two-tower file set. */
    static final String RETRIEVAL = "retrieval";
    /** The prefix of the ranker's tensors in {@code weights.bin}. */
    static final String RANKER_PREFIX = "ranker/";
    /** The item regression's tensor in {@code weights.bin}, {@code [items, items]}. */
    static final String REGRESSION = "itemRegression.weights";
    /** The data files the manifest lists, in order. */
    private static final List<String> DATA_FILES = List.of(WeightsFile.NAME, SlotsFile.NAME, CatalogueFile.NAME,
            RETRIEVAL + "/" + ManifestFile.NAME);

    private TwoStageStore() {
    }

    /**
     * Saves a two-stage model into a new or empty directory, atomically.
     *
     * @param model the trained or loaded model
     * @param dir the directory to create
     * @throws IllegalArgumentException when a parameter is not finite or {@code dir} is not empty
     * @throws IOException when writing fails (nothing is left at {@code dir} then)
     */
    public static void save(TwoStageRecommender model, Path dir) throws IOException {
        TwoStageState state = model.state();
        Map<String, Parameter> params = weights(state.ranker(), state.items().size(), state.itemRegression());
        ModelStore.checkFinite(params);
        Path target = ModelDirectory.checkWritable(dir);
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(WeightsFile.NAME, WeightsFile.write(params));
        files.put(SlotsFile.NAME, SlotsFile.write(state.slots()));
        files.put(CatalogueFile.NAME, CatalogueFile.write(state));
        Map<String, byte[]> retrieval = ModelStore.files(state.retrieval().model);
        // The retrieval's manifest (which checksums its own files) is the one of its files this manifest lists.
        Map<String, byte[]> listed = new LinkedHashMap<>(files);
        listed.put(RETRIEVAL + "/" + ManifestFile.NAME, retrieval.get(ManifestFile.NAME));
        retrieval.forEach((name, bytes) -> files.put(RETRIEVAL + "/" + name, bytes));
        files.put(TwoStageManifestFile.NAME, TwoStageManifestFile.write(state, listed));
        ModelDirectory.writeAtomically(target, files);
    }

    /** The tensors of {@code weights.bin}: the ranker's, prefixed, then the item regression. */
    private static Map<String, Parameter> weights(Ranker ranker, int items, float[] regression) {
        Map<String, Parameter> params = new LinkedHashMap<>();
        for (Parameter p : ranker.parameters()) {
            params.put(RANKER_PREFIX + p.name(), p);
        }
        params.put(REGRESSION, new Parameter(REGRESSION, new int[] {items, items}, regression));
        return params;
    }

    /**
     * Loads a model saved by {@link #save}: re-creates the ranker through its provider, by name, with
     * the saved settings and shape, and copies its parameters in; loads the retrieval from its
     * sub-directory.
     *
     * @param dir the model directory
     * @return the model
     * @throws ModelFormatException when a file is missing, corrupt, truncated, of a newer or unknown
     *     version, or inconsistent with the others, or the ranker plugin is not installed; the message
     *     names the file (and the plugin, and the artifact that adds it)
     * @throws IOException when reading fails
     */
    public static TwoStageRecommender load(Path dir) throws IOException {
        Path manifestFile = dir.resolve(TwoStageManifestFile.NAME);
        JsonNode manifest = ManifestFile.read(dir, TwoTowerModels.TWO_STAGE_FORMAT,
                TwoTowerModels.TWO_STAGE_FORMAT_VERSION);
        TwoStageManifestFile.Contents m = TwoStageManifestFile.read(manifest, manifestFile);
        Map<String, byte[]> files = ModelDirectory.readVerified(dir, manifestFile,
                JsonFields.object(manifest, "files", manifestFile), DATA_FILES);
        Path slotsFile = dir.resolve(SlotsFile.NAME);
        TwoStageState.SlotLayout slots = SlotsFile.read(slotsFile, files.get(SlotsFile.NAME));
        FeatureSchema userSchema;
        FeatureSchema itemSchema;
        try {
            userSchema = SlotsFile.schema(slots.user());
            itemSchema = SlotsFile.schema(slots.item());
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(slotsFile, e.getMessage());
        }
        CatalogueFile.Contents c = CatalogueFile.read(dir.resolve(CatalogueFile.NAME), files.get(CatalogueFile.NAME),
                userSchema, itemSchema);
        Ranker ranker;
        try {
            ranker = m.ranker().create(m.rankerConfig(), m.shape(), 0);
        } catch (IllegalArgumentException e) { // ConfigException included
            throw new ModelFormatException(manifestFile, "cannot re-create ranker '" + m.ranker().name()
                    + "' with its saved settings and shape: " + e.getMessage());
        }
        float[] regression = new float[Math.multiplyExact(c.items().size(), c.items().size())];
        WeightsFile.read(dir.resolve(WeightsFile.NAME), files.get(WeightsFile.NAME),
                weights(ranker, c.items().size(), regression));
        TwoTowerModel retrievalModel = ModelStore.load(dir.resolve(RETRIEVAL));
        TwoTowerRecommender retrieval = new TwoTowerRecommender(retrievalModel);
        try {
            return TwoStageRecommender.restore(new TwoStageState(m.config(), m.provenance(), retrieval, ranker,
                    m.rankerConfig(), c.items(), c.itemFeatures(), c.users(), slots, c.userItems(), regression));
        } catch (IllegalArgumentException e) {
            retrieval.close();
            throw new ModelFormatException(dir, "the saved parts do not fit together: " + e.getMessage()
                    + "; the directory mixes files of different models");
        }
    }
}
