package dev.attentive.examples.service;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Replaces the model a running service answers from ({@code POST /model}). The service's
 * {@link dev.attentive.api.Recommender} must be the one this swaps: requests that start after
 * {@link #swap} returns are answered by the new model, requests under way finish on the old one, and
 * no request ever fails or sees a mix of the two.
 */
@FunctionalInterface
public interface ModelSwap {

    /**
     * Loads the model saved in a directory and serves it from now on; the previous model is closed
     * once no request uses it. When loading fails the previous model keeps serving.
     *
     * @param modelDir a directory a model was saved to ({@code TwoTowerModels.save})
     * @throws IOException when the model cannot be read; the message names the file
     * @throws IllegalArgumentException when the model cannot serve in place of the current one
     */
    void swap(Path modelDir) throws IOException;
}
