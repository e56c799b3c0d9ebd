package dev.attentive.model;

import dev.attentive.api.ItemId;
import dev.attentive.api.Recommender;
import dev.attentive.api.UserId;
import dev.attentive.model.rank.TwoStageRecommender;
import dev.attentive.model.serve.TwoTowerRecommender;
import dev.attentive.model.store.ModelStore;
import dev.attentive.model.store.TwoStageStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Saves and loads trained {@code two-tower} and {@code two-stage} models as a versioned, checksummed
 * file set in a directory (no Java serialization). The layouts are documented in
 * {@code core-model/MODEL-FORMAT.md}.
 *
 * <h2>A two-tower model (format {@value #FORMAT})</h2>
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
 * Loading re-creates the attention, tower and retriever plugins by name from the saved config,
 * copies the parameters and re-embeds the catalogue.
 *
 * <h2>A two-stage model (format {@value #TWO_STAGE_FORMAT})</h2>
 * <ul>
 *   <li>{@code model.json} — the same header and provenance; the pipeline's full config (every
 *       setting, {@code candidates}, {@code historyLength} and {@code sourceScale} included); the
 *       {@code ranker} and {@code retrieval} plugins with their format versions; the ranker's
 *       resolved settings (every one, not only those given) and its shape; the size and SHA-256 of
 *       the files below, {@code retrieval/model.json} standing for the retrieval's files, which it
 *       checksums in turn;</li>
 *   <li>{@code weights.bin} — the ranker's parameters as tensors {@code ranker/<name>} and the item
 *       regression's weights {@code itemRegression.weights [items, items]}, in the layout of
 *       {@link #WEIGHTS_MAGIC};</li>
 *   <li>{@code slots.json} — the ranker's feature-value slots: per side the fields (name, type, slot
 *       count, numeric bucket edges) and the {@code field=value} vocabulary in index order;</li>
 *   <li>{@code catalogue.json} — the catalogue in the ranker's index order with its features, the user
 *       feature table, and each known user's training items, most recent first;</li>
 *   <li>{@code retrieval/} — the served retrieval, a complete two-tower directory as above.</li>
 * </ul>
 * Loading re-creates the ranker through its provider, found by name, with the saved settings and
 * shape and copies its parameters in (a ranker that is not installed is a
 * {@link ModelFormatException} naming it and, for one Attentive knows, the artifact that adds it);
 * the retrieval loads as a two-tower model. Nothing is re-fitted, and no current default is read
 * for a saved setting.
 *
 * <p>A loaded model scores exactly as the saved one on the same JVM. Thread safe: these are
 * stateless static methods.
 */
public final class TwoTowerModels {
    /** The format name of a saved two-tower model, written to {@code model.json}. */
    public static final String FORMAT = "attentive-two-tower";
    /** The two-tower format version this library writes; it reads every version from 1 to this one. */
    public static final int FORMAT_VERSION = 1;
    /**
     * The format name of a saved two-stage model, written to {@code model.json}.
     *
     * @since 0.2.0
     */
    public static final String TWO_STAGE_FORMAT = "attentive-two-stage";
    /**
     * The two-stage format version this library writes; it reads every version from 1 to this one.
     *
     * @since 0.2.0
     */
    public static final int TWO_STAGE_FORMAT_VERSION = 1;
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
     * Saves a trained {@code two-tower} or {@code two-stage} model. The files are written into a
     * temporary sibling directory and then moved into place, so {@code dir} never holds a
     * half-written model.
     *
     * @param model a model returned by the {@code two-tower} or {@code two-stage} provider or by
     *     {@link #load}, not null
     * @param dir the directory to create; it must not exist or be empty
     * @throws IllegalArgumentException when {@code model} is neither, when a parameter is not finite
     *     (a diverged model is never written), or when {@code dir} is not empty
     * @throws IOException when writing fails (nothing is left at {@code dir} then)
     */
    public static void save(Recommender model, Path dir) throws IOException {
        if (model instanceof TwoStageRecommender r) {
            TwoStageStore.save(r, dir);
            return;
        }
        if (!(model instanceof TwoTowerRecommender r)) {
            throw new IllegalArgumentException("TwoTowerModels.save needs a model trained by the two-tower or two-stage "
                    + "provider or loaded by TwoTowerModels.load, got " + (model == null ? "null" : model.getClass().getName()));
        }
        ModelStore.save(r.model, dir);
    }

    /**
     * Loads a model saved by {@link #save}, of either format.
     *
     * @param dir the model directory
     * @return the model, serving as the saved one did (a two-tower model through the retriever its
     *     config names); close it when done
     * @throws ModelFormatException when a file is missing, corrupt, truncated, of a newer or unknown
     *     version, or inconsistent with the config, or a plugin the model needs is not installed — the
     *     message names the file (and field, tensor or plugin)
     * @throws IOException when reading fails
     */
    public static Recommender load(Path dir) throws IOException {
        return ModelStore.loadAny(dir);
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
