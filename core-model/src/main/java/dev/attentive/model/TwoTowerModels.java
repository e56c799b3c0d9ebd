package dev.attentive.model;

import dev.attentive.api.ItemId;
import dev.attentive.api.Recommender;
import dev.attentive.api.UserId;
import dev.attentive.model.serve.TwoTowerRecommender;
import dev.attentive.model.store.ModelStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Saves and loads trained {@code two-tower} models as a versioned, checksummed file set in a
 * directory (no Java serialization). The layout is documented in {@code core-model/MODEL-FORMAT.md}:
 *
 * <ul>
 *   <li>{@code model.json} — format name and version, the library and Java version, the save time,
 *       provenance (dataset name, SHA-256 fingerprint of the training data, seed, training time),
 *       the model provider's name and every hyper-parameter, each plugin's name and format version,
 *       and the size and SHA-256 of every other file;</li>
 *   <li>{@code weights.bin} — every parameter tensor, little-endian (see {@link #WEIGHTS_MAGIC});</li>
 *   <li>{@code features.json} — the feature schemas and the field encoders (vocabularies in row order,
 *       hash buckets, numeric statistics and bucket edges);</li>
 *   <li>{@code entities.json} — the catalogue (item ids, features, training counts) and the known users
 *       (ids, features, training items in time order: their history and seen items).</li>
 * </ul>
 *
 * <p>Loading re-creates the attention, tower and retriever plugins by name from the saved config,
 * copies the parameters and re-embeds the catalogue, so a loaded model scores exactly as the saved
 * one on the same JVM. Thread safe: these are stateless static methods.
 */
public final class TwoTowerModels {
    /** The format name written to {@code model.json}. */
    public static final String FORMAT = "attentive-two-tower";
    /** The format version this library writes; it reads every version from 1 to this one. */
    public static final int FORMAT_VERSION = 1;
    /**
     * The first four bytes of {@code weights.bin}, ASCII {@code ATWT}. The file continues, all
     * little-endian: int32 layout version (1); int32 tensor count; then per tensor: int32 byte length
     * of the UTF-8 name, the name, int32 rank, rank int32 dimensions, and the product of the dimensions
     * float32 values in row-major order. Nothing follows the last tensor.
     */
    public static final String WEIGHTS_MAGIC = "ATWT";

    private TwoTowerModels() {
    }

    /**
     * Saves a trained two-tower model. The files are written into a temporary sibling directory and
     * then moved into place, so {@code dir} never holds a half-written model.
     *
     * @param model a model returned by the {@code two-tower} provider or by {@link #load}, not null
     * @param dir the directory to create; it must not exist or be empty
     * @throws IllegalArgumentException when {@code model} is not a two-tower model, when a parameter is
     *     not finite (a diverged model is never written), or when {@code dir} is not empty
     * @throws IOException when writing fails (nothing is left at {@code dir} then)
     */
    public static void save(Recommender model, Path dir) throws IOException {
        if (model instanceof dev.attentive.model.rank.TwoStageRecommender) {
            throw new IllegalArgumentException("A two-stage model cannot be saved yet (its ranker and item-to-item "
                    + "source have no saved format): train it at start-up, or save a two-tower model instead");
        }
        if (!(model instanceof TwoTowerRecommender r)) {
            throw new IllegalArgumentException("TwoTowerModels.save needs a model trained by the two-tower provider "
                    + "or loaded by TwoTowerModels.load, got " + (model == null ? "null" : model.getClass().getName()));
        }
        ModelStore.save(r.model, dir);
    }

    /**
     * Loads a model saved by {@link #save}.
     *
     * @param dir the model directory
     * @return the model, serving through the retriever its config names; close it when done
     * @throws ModelFormatException when a file is missing, corrupt, truncated, of a newer or unknown
     *     version, or inconsistent with the config — the message names the file (and field or tensor)
     * @throws IOException when reading fails
     */
    public static Recommender load(Path dir) throws IOException {
        return new TwoTowerRecommender(ModelStore.load(dir));
    }

    /**
     * The vectors a two-tower model serves: one L2-normalised embedding per catalogue item and per user
     * known from training, row-major ({@code itemVectors[i * dim + d]}). For benchmarks and for host
     * apps that index or analyse the embeddings elsewhere. The arrays are copies.
     *
     * @param dim the embedding dimension
     * @param items the catalogue, in row order
     * @param itemVectors {@code items.size() * dim} values
     * @param users the known users, in row order
     * @param userVectors {@code users.size() * dim} values
     */
    public record Embeddings(int dim, List<ItemId> items, float[] itemVectors, List<UserId> users, float[] userVectors) {
        /** Validates the shapes and copies the lists. */
        public Embeddings {
            items = List.copyOf(items);
            users = List.copyOf(users);
            if (itemVectors.length != items.size() * dim || userVectors.length != users.size() * dim) {
                throw new IllegalArgumentException("Embeddings of dimension " + dim + " need " + items.size() * dim
                        + " item and " + users.size() * dim + " user values, got " + itemVectors.length + " and "
                        + userVectors.length);
            }
        }
    }

    /**
     * The item and user embeddings of a trained or loaded two-tower model.
     *
     * @param model a model returned by the {@code two-tower} provider or by {@link #load}
     * @return copies of its embeddings
     * @throws IllegalArgumentException when {@code model} is not a two-tower model
     */
    public static Embeddings embeddings(Recommender model) {
        if (!(model instanceof TwoTowerRecommender r)) {
            throw new IllegalArgumentException("TwoTowerModels.embeddings needs a two-tower model, got "
                    + (model == null ? "null" : model.getClass().getName()));
        }
        return new Embeddings(r.dim, List.of(r.model.items), r.itemEmbeddings(), List.of(r.model.users),
                r.userEmbeddings());
    }
}
