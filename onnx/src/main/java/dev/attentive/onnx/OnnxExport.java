package dev.attentive.onnx;

import dev.attentive.api.Recommender;
import dev.attentive.model.ModelFormatException;
import dev.attentive.model.TwoTowerModelProvider;
import dev.attentive.model.TwoTowerModels;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * Exports the user and item towers of a saved two-tower model as two ONNX graphs (opset 13) with
 * their feature encoding inside, and a {@code manifest.json} beside them:
 * <ul>
 *   <li>{@value #USER_TOWER_FILE} — inputs: one per user field (the id, the schema fields, the
 *       context fields) and {@code history}; output {@code user_embedding [batch, dim]};</li>
 *   <li>{@value #ITEM_TOWER_FILE} — inputs: one per item field; output {@code item_embedding [batch, dim]};</li>
 *   <li>{@value #MANIFEST_FILE} — per graph its inputs' names, dtypes and shapes and how a raw feature
 *       value becomes each (vocabularies with the out-of-vocabulary rule, hashing, numeric statistics,
 *       history length and padding), the outputs, the similarity and the item tower's fingerprint.</li>
 * </ul>
 * Inside the graphs: embedding tables as {@code Gather}, multi-valued fields and the history pooled,
 * the field attention, the MLP and the L2 normalisation. The graphs compute the library's embeddings
 * up to float rounding. Supported: field attention {@code mean}, {@code concat-mlp} (the default) and
 * {@code attention-pooling}; history attention {@code none}, {@code mean} (the default) and
 * {@code attention-pooling}; tower {@code mlp} without layer norm. Anything else is refused with a
 * message naming the setting, its value and the supported values.
 *
 * <p>Output is written atomically: into a temporary sibling directory that is then moved into place,
 * so the target never holds a half-written export. Stateless and thread safe (two exports to one
 * target race for the final move; one of them fails).
 */
public final class OnnxExport {
    /** The user tower's file name. */
    public static final String USER_TOWER_FILE = "user_tower.onnx";
    /** The item tower's file name. */
    public static final String ITEM_TOWER_FILE = "item_tower.onnx";
    /** The manifest's file name. */
    public static final String MANIFEST_FILE = "manifest.json";

    static final String MEAN = "mean";
    static final String CONCAT_MLP = "concat-mlp";
    static final String ATTENTION_POOLING = "attention-pooling";
    static final List<String> FIELD_ATTENTIONS = List.of(MEAN, CONCAT_MLP, ATTENTION_POOLING);
    static final List<String> HISTORY_ATTENTIONS = List.of("none", MEAN, ATTENTION_POOLING);

    private OnnxExport() {
    }

    /**
     * What an export wrote.
     *
     * @param directory the output directory, absolute
     * @param userTower the user tower's graph
     * @param itemTower the item tower's graph
     * @param manifest the manifest
     * @param dimension the embedding dimension of both outputs
     * @param similarity how the vectors are compared: {@code DOT_PRODUCT} of unit vectors
     * @param itemTowerFingerprint the item tower's fingerprint (64 hex digits), as the library's
     *     retrievers record it
     */
    public record Exported(Path directory, Path userTower, Path itemTower, Path manifest, int dimension,
            String similarity, String itemTowerFingerprint) {
        /** Checks that nothing is null. */
        public Exported {
            Objects.requireNonNull(directory, "directory");
            Objects.requireNonNull(userTower, "userTower");
            Objects.requireNonNull(itemTower, "itemTower");
            Objects.requireNonNull(manifest, "manifest");
            Objects.requireNonNull(similarity, "similarity");
            Objects.requireNonNull(itemTowerFingerprint, "itemTowerFingerprint");
        }
    }

    /**
     * Exports a saved two-tower model into a new or empty directory.
     *
     * @param modelDir a directory written by {@link TwoTowerModels#save} holding a two-tower model
     * @param outDir the directory to create; it must not exist or be empty
     * @return what was written
     * @throws IllegalArgumentException when {@code outDir} is a file or not empty, when the model is a
     *     two-stage model, or when it uses a setting the export does not support (naming the setting,
     *     its value and the supported values)
     * @throws ModelFormatException when the model directory is missing, corrupt or incomplete (naming the file)
     * @throws IOException when reading or writing fails; nothing is left at {@code outDir} then
     */
    public static Exported export(Path modelDir, Path outDir) throws IOException {
        return export(modelDir, outDir, false);
    }

    /**
     * Exports a saved two-tower model, optionally replacing what {@code outDir} holds.
     *
     * @param modelDir a directory written by {@link TwoTowerModels#save} holding a two-tower model
     * @param outDir the output directory
     * @param replace whether a non-empty {@code outDir} is replaced (its whole content, once the new
     *     export is complete); when false it is refused
     * @return what was written
     * @throws IllegalArgumentException as {@link #export(Path, Path)}, and when one of the two
     *     directories lies inside the other
     * @throws ModelFormatException when the model directory is missing, corrupt or incomplete
     * @throws IOException when reading or writing fails; {@code outDir} is then as it was
     */
    public static Exported export(Path modelDir, Path outDir, boolean replace) throws IOException {
        Path model = Objects.requireNonNull(modelDir, "modelDir").toAbsolutePath().normalize();
        Path target = Objects.requireNonNull(outDir, "outDir").toAbsolutePath().normalize();
        if (target.startsWith(model) || model.startsWith(target)) {
            throw new IllegalArgumentException("Cannot export " + model + " to " + target + ": one directory lies "
                    + "inside the other; choose an output directory outside the model");
        }
        boolean nonEmpty = checkTarget(target, replace);
        String format = SavedTwoTower.format(model);
        if (format.equals(TwoTowerModels.TWO_STAGE_FORMAT)) {
            throw new IllegalArgumentException("Cannot export " + model + " to ONNX: it is a two-stage model, whose "
                    + "ranker has no ONNX export; export its retrieval towers instead: --model " + model.resolve("retrieval"));
        }
        if (!format.equals(TwoTowerModels.FORMAT)) {
            throw new ModelFormatException(model.resolve(SavedTwoTower.MANIFEST), "has format '" + format
                    + "', but the export reads " + TwoTowerModels.FORMAT);
        }
        SavedTwoTower saved = SavedTwoTower.read(model);
        checkSupported(saved);
        String fingerprint;
        // Loading checks every file's size and checksum and the plugins, as serving the model would.
        try (Recommender loaded = TwoTowerModels.load(model)) {
            fingerprint = TwoTowerModels.itemTowerFingerprint(loaded);
        }
        String version = version();
        TowerGraph.Built user = TowerGraph.build(saved, "user", version);
        TowerGraph.Built item = TowerGraph.build(saved, "item", version);
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(USER_TOWER_FILE, user.model().toByteArray());
        files.put(ITEM_TOWER_FILE, item.model().toByteArray());
        files.put(MANIFEST_FILE, ManifestWriter.write(saved, fingerprint, version, user, item));
        writeAtomically(target, files, nonEmpty);
        return new Exported(target, target.resolve(USER_TOWER_FILE), target.resolve(ITEM_TOWER_FILE),
                target.resolve(MANIFEST_FILE), saved.config().dim(), "DOT_PRODUCT", fingerprint);
    }

    /** Refuses what cannot be exported, naming the setting, its value and what is supported. */
    static void checkSupported(SavedTwoTower saved) {
        TwoTowerModelProvider.Config c = saved.config();
        String where = "Cannot export " + saved.dir() + " to ONNX: ";
        if (!FIELD_ATTENTIONS.contains(c.attention().toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException(where + "setting attention = '" + c.attention()
                    + "' is not supported; supported: " + String.join(", ", FIELD_ATTENTIONS));
        }
        if (!HISTORY_ATTENTIONS.contains(c.historyAttention().toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException(where + "setting historyAttention = '" + c.historyAttention()
                    + "' is not supported; supported: " + String.join(", ", HISTORY_ATTENTIONS));
        }
        if (!c.tower().equalsIgnoreCase("mlp")) {
            throw new IllegalArgumentException(where + "setting tower = '" + c.tower() + "' is not supported; "
                    + "supported: mlp");
        }
        for (String side : List.of("user", "item")) {
            if (saved.tensors().containsKey(side + ".tower/layer0.gain")) {
                throw new IllegalArgumentException(where + "the " + side + " tower's mlp has layer norm "
                        + "(setting layerNorm = true), which is not supported; supported: layerNorm = false");
            }
        }
        List<SavedField> user = saved.userFields();
        for (SavedField f : user) {
            if (f.name().equals(TowerGraph.HISTORY) && c.hasHistory()) {
                throw new IllegalArgumentException(where + "user field '" + f.name() + "' has the name of the history "
                        + "input; rename the field");
            }
        }
    }

    /** Whether the target holds anything; refuses a file, and a non-empty directory unless replacing. */
    private static boolean checkTarget(Path target, boolean replace) throws IOException {
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalArgumentException("Cannot export to " + target + ": it is a file; name a directory");
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(target)) {
            boolean nonEmpty = entries.iterator().hasNext();
            if (nonEmpty && !replace) {
                throw new IllegalArgumentException("Cannot export to " + target + ": the directory is not empty; "
                        + "name a new directory, or replace its content (--force)");
            }
            return nonEmpty;
        }
    }

    /**
     * Writes the files into a temporary sibling and moves it into place; a replaced directory is
     * first moved aside and deleted only once the new one is in place.
     */
    private static void writeAtomically(Path target, Map<String, byte[]> files, boolean replace) throws IOException {
        Path parent = target.getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempDirectory(parent, "." + target.getFileName() + ".tmp-");
        Path old = null;
        try {
            for (var f : files.entrySet()) {
                Files.write(tmp.resolve(f.getKey()), f.getValue());
            }
            if (Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
                // createTempDirectory makes it owner-only; an export is ordinary data.
                Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            if (replace) {
                old = parent.resolve("." + target.getFileName() + ".old-" + tmp.getFileName().toString()
                        .substring(target.getFileName().toString().length() + 6));
                Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
            } else if (Files.exists(target)) {
                Files.delete(target); // checked empty
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                if (old != null) {
                    Files.move(old, target, StandardCopyOption.ATOMIC_MOVE);
                    old = null;
                }
                throw e;
            }
        } finally {
            if (Files.exists(tmp)) {
                deleteTree(tmp);
            }
            if (old != null && Files.exists(old)) {
                deleteTree(old);
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    deleteTree(p);
                } else {
                    Files.deleteIfExists(p);
                }
            }
        }
        Files.deleteIfExists(dir);
    }

    private static String version() {
        try (InputStream in = OnnxExport.class.getResourceAsStream("attentive-onnx.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
