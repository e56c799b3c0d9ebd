package dev.attentive.runtime;

import dev.attentive.api.Recommender;
import dev.attentive.api.spi.Configs;
import dev.attentive.api.spi.ProviderRegistry;
import dev.attentive.model.TwoTowerModels;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The one place where the runtime calls core-model to save, load and serve a model with a chosen
 * retriever and index directory ({@link TwoTowerModels#serve}, {@link TwoTowerModels#load(Path,
 * TwoTowerModels.Serving)}). Stateless.
 */
final class ModelWiring {
    /** The retriever setting that places an index on disk (lucene-hnsw's convention, and core-model's). */
    private static final String PATH = "path";

    private ModelWiring() {
    }

    /**
     * Serves a trained model through the plan's retriever.
     *
     * @param trained a trained model; the returned recommender owns it from now on
     * @param retrieval the retriever, or null for the model's own (its index in memory)
     * @param indexDirectory where the retriever keeps its index, or null for memory; ignored for a
     *     retriever that cannot keep one on disk (such as {@code exact})
     * @return the serving recommender
     */
    static Recommender serve(Recommender trained, Plan.Retrieval retrieval, Path indexDirectory) {
        if (retrieval == null) {
            return trained;
        }
        try {
            return TwoTowerModels.serve(trained, serving(retrieval, indexDirectory));
        } finally {
            // The served recommender shares the model; the trained one's own retriever is not needed.
            trained.close();
        }
    }

    /**
     * Loads a saved model and serves it through the plan's retriever.
     *
     * @param dir the saved model
     * @param retrieval the retriever, or null for the one the model was saved with (its index in memory)
     * @param indexDirectory where the retriever keeps its index (reopened when it holds this model's), or
     *     null for memory
     * @return the serving recommender
     * @throws IOException when the files cannot be read
     */
    static Recommender load(Path dir, Plan.Retrieval retrieval, Path indexDirectory) throws IOException {
        return retrieval == null ? TwoTowerModels.load(dir) : TwoTowerModels.load(dir, serving(retrieval, indexDirectory));
    }

    private static TwoTowerModels.Serving serving(Plan.Retrieval retrieval, Path indexDirectory) {
        return new TwoTowerModels.Serving(retrieval.name(), retrieval.settings(),
                keepsAnIndexOnDisk(retrieval.name()) ? indexDirectory : null);
    }

    /** Whether a retriever has a {@code path} setting, so that it can keep its index in a directory. */
    static boolean keepsAnIndexOnDisk(String retriever) {
        return ProviderRegistry.retrievers().find(retriever)
                .map(p -> Configs.settings(p.defaultConfig()).containsKey(PATH)).orElse(false);
    }

    /**
     * Saves a model (into a temporary sibling first, then moved into place).
     *
     * @param model the model
     * @param dir the new directory
     * @throws IllegalArgumentException when the model cannot be saved (not two-tower or two-stage)
     * @throws IOException when writing fails
     */
    static void save(Recommender model, Path dir) throws IOException {
        try {
            TwoTowerModels.save(model, dir);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("With an indexDirectory every served model is saved there so that it "
                    + "comes back after a restart, and this one cannot be: " + e.getMessage(), e);
        }
    }

    /** Saves a trained model as a generation (with a directory) and serves it through the retriever. */
    static Recommender adopt(Recommender trained, ServingDirectory directory, long generation,
            Plan.Retrieval retrieval) throws IOException {
        Path index = null;
        if (directory != null) {
            try {
                Path dir = directory.model(generation);
                ModelWiring.save(trained, dir);
                directory.syncModel(dir);
                index = directory.index(generation);
            } catch (IOException | RuntimeException e) {
                trained.close();
                directory.deleteGeneration(generation);
                throw e;
            }
        }
        return ModelWiring.serve(trained, retrieval, index); // which owns (and on failure closes) trained
    }
}
