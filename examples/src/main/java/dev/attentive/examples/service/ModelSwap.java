package dev.attentive.examples.service;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Replaces the model a running service answers from ({@code POST /model}); {@link ServiceModule}
 * binds it to the runtime's {@code ServingRecommender.swap(Path)}. The service's
 * {@link dev.attentive.api.Recommender} must be the one this swaps: requests that start after
 * {@link #swap} returns are answered by the new model, requests under way finish on the old one, and
 * no request sees a mix of the two.
 */
@FunctionalInterface
public interface ModelSwap {

    /**
     * Serves the model saved in a directory from now on. When it fails, the previous model keeps
     * serving.
     *
     * @param modelDir a directory a model was saved to ({@code TwoTowerModels.save})
     * @throws IllegalArgumentException when the directory holds no saved model (the message says so)
     * @throws IllegalStateException when the model cannot take the current one's place, e.g. the
     *     catalogue changes made so far do not fit it (the message names the change)
     * @throws IOException when the model cannot be read; the message names the file
     */
    void swap(Path modelDir) throws IOException;
}
