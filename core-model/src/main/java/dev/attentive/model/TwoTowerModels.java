package dev.attentive.model;

import dev.attentive.api.ItemId;
import dev.attentive.api.Recommender;
import dev.attentive.api.UserId;
import dev.attentive.model.rank.TwoStageRecommender;
import dev.attentive.model.serve.TwoTowerRecommender;
import dev.attentive.model.store.ModelStore;
import dev.attentive.model.store.TwoStageStore;
import dev.attentive.api.spi.Configs;
import dev.attentive.api.spi.ProviderRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

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

    /** The retriever setting that names an index directory, by the convention of {@code lucene-hnsw}. */
    private static final String INDEX_PATH = TwoTowerModelProvider.INDEX_PATH;

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
     * How a two-tower model is served: which retriever, with which settings, and whether it keeps its
     * index in a directory. For {@link #serve} and {@link #load(Path, Serving)}.
     *
     * <h2>An index kept in a directory</h2>
     * With an {@code indexDirectory} the retriever keeps its index there: the directory becomes its
     * {@code path} setting, so the retriever must have one ({@code lucene-hnsw}, from
     * {@code attentive-index-lucene}, does). The index records the fingerprint of the item tower that
     * embedded it (a SHA-256 over the item tower's parameters, field encoders and vocabularies, and
     * plugin settings). Serving a model whose item tower has the same fingerprint reopens the index as
     * it is: the catalogue is neither embedded nor indexed again. A directory holding the index of
     * another item tower (another model, or a retrained one) is refused with a message naming the
     * directory and both fingerprints; delete it to build the index again, or use another. A new or
     * empty directory gets the trained catalogue.
     *
     * <h2>Catalogue changes and commits</h2>
     * {@link Recommender#catalogue()} writes its changes to the index, visible to the next request.
     * The index is committed when the trained catalogue has been indexed into it and when the
     * recommender is closed, not after each change (a commit syncs files to disk): a change is durable
     * in the index once the recommender is closed. The catalogue's own view — the features of put
     * items and which items were removed — is kept in memory. After a restart the recommender serves
     * the trained catalogue until the changes are applied again, and answers hold only items that view
     * holds: an item put before the restart stays in the index but is not returned until it is put
     * again, and a trained item removed before stays out of answers because the index lacks it. So a
     * host that needs its changes to survive a crash records them and replays them on open
     * (Attentive's {@code runtime} journal does); {@code put} and {@code remove} are idempotent, also
     * against an index that already holds the change.
     *
     * @param retriever the retriever plugin's name, optionally with settings in brackets
     *     ({@code lucene-hnsw[fanout=50,maxConn=32]}); not blank
     * @param retrieverSettings more settings of the retriever (after those in brackets); a key may be
     *     given only once, and {@code path} not at all when {@code indexDirectory} is given; not null
     * @param indexDirectory the directory that keeps the index (created when absent), or null to keep
     *     the index in memory, as a model served by its config does
     * @since 0.2.0
     */
    public record Serving(String retriever, Map<String, String> retrieverSettings, Path indexDirectory) {
        /** Validates and copies the settings. */
        public Serving {
            if (retriever == null || retriever.isBlank()) {
                throw new IllegalArgumentException("Serving.retriever must name a retriever plugin such as exact or "
                        + "lucene-hnsw, got " + (retriever == null ? "null" : "'" + retriever + "'"));
            }
            retrieverSettings = Collections.unmodifiableMap(new LinkedHashMap<>(
                    Objects.requireNonNull(retrieverSettings, "retrieverSettings")));
            if (indexDirectory != null && retrieverSettings.containsKey(INDEX_PATH)) {
                throw new IllegalArgumentException("Serving names the index directory twice: indexDirectory "
                        + indexDirectory + " and retriever setting path=" + retrieverSettings.get(INDEX_PATH)
                        + "; give it once, as indexDirectory");
            }
        }

        /**
         * A retriever that keeps its index in memory.
         *
         * @param retriever the retriever's name, optionally with settings in brackets
         * @return the serving
         */
        public static Serving inMemory(String retriever) {
            return new Serving(retriever, Map.of(), null);
        }

        /**
         * A retriever that keeps its index in a directory.
         *
         * @param retriever the retriever's name, optionally with settings in brackets, e.g. {@code lucene-hnsw}
         * @param indexDirectory the directory, created when absent
         * @return the serving
         */
        public static Serving inDirectory(String retriever, Path indexDirectory) {
            return new Serving(retriever, Map.of(), Objects.requireNonNull(indexDirectory, "indexDirectory"));
        }
    }

    /**
     * Serves a trained or loaded two-tower model through another retriever, e.g. one that keeps its
     * index in a directory (see {@link Serving}). The new recommender shares the model and what was
     * computed for it (user embeddings, item vectors) with {@code model}; both stay open and are
     * closed on their own. It starts from the trained catalogue: changes made through
     * {@code model.catalogue()} are not carried over.
     *
     * @param model a model returned by the {@code two-tower} provider, {@link #load(Path)} or this method
     * @param serving the retriever, its settings and index directory
     * @return the recommender; closing it closes (and commits) its index
     * @throws IllegalArgumentException when {@code model} is not a two-tower model; when the retriever
     *     is unknown, refuses a setting, or has no {@code path} setting while an index directory is
     *     given; or when the directory holds an index of another item tower (naming the directory and
     *     both fingerprints)
     * @since 0.2.0
     */
    public static Recommender serve(Recommender model, Serving serving) {
        if (!(model instanceof TwoTowerRecommender r)) {
            throw new IllegalArgumentException("TwoTowerModels.serve needs a two-tower model (from the two-tower "
                    + "provider or TwoTowerModels.load), got " + (model == null ? "null" : model.getClass().getName())
                    + "; a two-stage model serves its own retrieval and its catalogue is fixed");
        }
        String[] retriever = retriever(serving);
        return r.withRetriever(retriever[0], settings(retriever, serving));
    }

    /**
     * Loads a two-tower model saved by {@link #save} and serves it as {@code serving} says, instead of
     * through the retriever its config names: with an index directory that already holds this model's
     * index, the index is reopened and the catalogue is neither embedded nor indexed again.
     *
     * @param modelDir the model directory
     * @param serving the retriever, its settings and index directory
     * @return the recommender; closing it closes (and commits) its index
     * @throws ModelFormatException as {@link #load(Path)} does, and for a two-stage model directory
     * @throws IllegalArgumentException as {@link #serve} does
     * @throws IOException when reading fails
     * @since 0.2.0
     */
    public static Recommender load(Path modelDir, Serving serving) throws IOException {
        String[] retriever = retriever(serving);
        Map<String, String> settings = settings(retriever, serving);
        return TwoTowerRecommender.serve(ModelStore.load(modelDir), retriever[0], settings);
    }

    private static String[] retriever(Serving serving) {
        Objects.requireNonNull(serving, "serving");
        return TwoTowerModelProvider.splitRetriever(serving.retriever());
    }

    /** The retriever's settings: those in brackets, then the map's, then the index directory as {@code path}. */
    private static Map<String, String> settings(String[] retriever, Serving serving) {
        Map<String, String> settings = new LinkedHashMap<>(TwoTowerModelProvider.parseSettings(retriever[1]));
        for (var e : serving.retrieverSettings().entrySet()) {
            if (settings.put(e.getKey(), e.getValue()) != null) {
                throw new IllegalArgumentException("Serving gives retriever setting '" + e.getKey() + "' twice, in "
                        + serving.retriever() + " and in retrieverSettings; give it once");
            }
        }
        if (serving.indexDirectory() != null) {
            var provider = ProviderRegistry.retrievers().get(retriever[0]);
            if (!Configs.settings(provider.defaultConfig()).containsKey(INDEX_PATH)) {
                throw new IllegalArgumentException("Retriever '" + provider.name() + "' keeps no index on disk (it has "
                        + "no 'path' setting), so it cannot keep its index in " + serving.indexDirectory()
                        + "; serve with lucene-hnsw (dev.attentive:attentive-index-lucene) or without indexDirectory");
            }
            settings.put(INDEX_PATH, serving.indexDirectory().toString());
        }
        return settings;
    }

    /**
     * The fingerprint of a two-tower model's item tower: a SHA-256 over everything that turns an item's
     * id and features into its vector (the dimension, the attention and tower plugins with their
     * settings, the item field encoders with their vocabularies and statistics, and every item-side
     * parameter). Two models with one fingerprint embed every item alike, so an index of item vectors
     * built by one serves the other; it is the fingerprint the model's retriever is opened with
     * ({@code RetrieverSpec.modelFingerprint}). For exports that index item vectors elsewhere.
     *
     * @param model a model returned by the {@code two-tower} provider or by {@link #load}
     * @return 64 lowercase hex digits
     * @throws IllegalArgumentException when {@code model} is not a two-tower model
     * @since 0.2.0
     */
    public static String itemTowerFingerprint(Recommender model) {
        if (!(model instanceof TwoTowerRecommender r)) {
            throw new IllegalArgumentException("TwoTowerModels.itemTowerFingerprint needs a two-tower model, got "
                    + (model == null ? "null" : model.getClass().getName()));
        }
        return r.itemTowerFingerprint();
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
