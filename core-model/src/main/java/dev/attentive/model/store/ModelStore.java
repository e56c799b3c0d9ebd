package dev.attentive.model.store;

import dev.attentive.api.Parameter;
import dev.attentive.api.Recommender;
import dev.attentive.api.spi.ConfigException;
import dev.attentive.api.spi.UnknownProviderException;
import dev.attentive.kernels.Vectors;
import dev.attentive.model.ModelFormatException;
import dev.attentive.model.TwoTowerModels;
import dev.attentive.model.nn.TwoTowerModel;
import dev.attentive.model.serve.TwoTowerRecommender;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Writes and reads the two-tower file set described in {@link dev.attentive.model.TwoTowerModels}:
 * the coordinator over {@link ManifestFile}, {@link WeightsFile}, {@link FeaturesFile},
 * {@link EntitiesFile} and the atomic, checksummed {@link ModelDirectory}. {@link TwoStageStore}
 * nests this file set for a two-stage model's retrieval. Stateless.
 */
public final class ModelStore {
    /** The data files the manifest lists, in the order it lists them. */
    private static final List<String> DATA_FILES = List.of(WeightsFile.NAME, FeaturesFile.NAME, EntitiesFile.NAME);

    private ModelStore() {
    }

    /**
     * Saves a model into a new or empty directory, atomically.
     *
     * @param model the trained model
     * @param dir the directory to create
     * @throws IllegalArgumentException when a parameter is not finite or {@code dir} is not empty
     * @throws IOException when writing fails (nothing is left at {@code dir} then)
     */
    public static void save(TwoTowerModel model, Path dir) throws IOException {
        Path target = ModelDirectory.checkWritable(dir);
        ModelDirectory.writeAtomically(target, files(model));
    }

    /**
     * The files of a saved model, the manifest last.
     *
     * @throws IllegalArgumentException when a parameter is not finite
     */
    static Map<String, byte[]> files(TwoTowerModel model) {
        Map<String, Parameter> params = model.namedParameters();
        checkFinite(params);
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(WeightsFile.NAME, WeightsFile.write(params));
        files.put(FeaturesFile.NAME, FeaturesFile.write(model));
        files.put(EntitiesFile.NAME, EntitiesFile.write(model));
        files.put(ManifestFile.NAME, ManifestFile.write(model, files));
        return files;
    }

    /** A diverged model is never written. */
    static void checkFinite(Map<String, Parameter> params) {
        for (var e : params.entrySet()) {
            if (!Vectors.allFinite(e.getValue().values(), e.getValue().size())) {
                throw new IllegalArgumentException("Parameter " + e.getKey() + " is not finite: the model diverged "
                        + "and is not written");
            }
        }
    }

    /**
     * Loads a saved model of either format: a {@code two-tower} model or a {@code two-stage} pipeline.
     *
     * @param dir the model directory
     * @return the model, ready to serve
     * @throws ModelFormatException when the format is neither, or as {@link #load} and
     *     {@link TwoStageStore#load} do
     * @throws IOException when reading fails
     */
    public static Recommender loadAny(Path dir) throws IOException {
        Path manifestFile = dir.resolve(ManifestFile.NAME);
        String format = JsonFields.text(ManifestFile.readAny(dir), "format", manifestFile);
        if (TwoTowerModels.FORMAT.equals(format)) {
            return new TwoTowerRecommender(load(dir));
        }
        if (TwoTowerModels.TWO_STAGE_FORMAT.equals(format)) {
            return TwoStageStore.load(dir);
        }
        throw new ModelFormatException(manifestFile, "format is '" + format + "', expected '" + TwoTowerModels.FORMAT
                + "' or '" + TwoTowerModels.TWO_STAGE_FORMAT + "'");
    }

    /**
     * Loads a model saved by {@link #save}.
     *
     * @param dir the model directory
     * @return the model
     * @throws ModelFormatException when a file is missing, corrupt, truncated, of a newer or unknown
     *     version, or inconsistent with the config; the message names the file
     * @throws IOException when reading fails
     */
    public static TwoTowerModel load(Path dir) throws IOException {
        Path manifestFile = dir.resolve(ManifestFile.NAME);
        JsonNode manifest = ManifestFile.read(dir);
        Map<String, byte[]> files = ModelDirectory.readVerified(dir, manifestFile,
                JsonFields.object(manifest, "files", manifestFile), DATA_FILES);
        ManifestFile.Model m = ManifestFile.model(manifest, manifestFile);
        FeaturesFile.Contents f = FeaturesFile.read(dir.resolve(FeaturesFile.NAME), files.get(FeaturesFile.NAME),
                m.config());
        EntitiesFile.Contents e = EntitiesFile.read(dir.resolve(EntitiesFile.NAME), files.get(EntitiesFile.NAME),
                f.userSchema(), f.itemSchema());
        TwoTowerModel model;
        try {
            model = new TwoTowerModel(m.config(), f.userSchema(), f.itemSchema(), f.userFields(), f.itemFields(),
                    e.items(), e.itemFeatures(), e.users(), e.userFeatures(), e.userItems(), e.counts(), 0,
                    m.provenance());
        } catch (UnknownProviderException | ConfigException ex) {
            throw new ModelFormatException(manifestFile, "cannot re-create a plugin: " + ex.getMessage());
        }
        WeightsFile.read(dir.resolve(WeightsFile.NAME), files.get(WeightsFile.NAME), model.namedParameters());
        return model;
    }
}
