package dev.attentive.model;

import java.io.IOException;
import java.nio.file.Path;

/** Placeholder until persistence lands. */
final class ModelFiles {
    private ModelFiles() {
    }

    static void save(TwoTowerModel model, Path directory) throws IOException {
        throw new IOException("not yet");
    }

    static TwoTowerModel load(Path directory) throws IOException {
        throw new IOException("not yet");
    }
}
