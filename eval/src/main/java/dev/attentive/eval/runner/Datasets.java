package dev.attentive.eval.runner;

import dev.attentive.api.Dataset;
import dev.attentive.eval.data.DatasetSpec;
import dev.attentive.eval.data.MovieLens;
import dev.attentive.eval.data.SyntheticData;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resolves a dataset name from the command line to a loaded dataset. Stateless and thread safe. */
public final class Datasets {
    /** The names {@link #load} accepts besides {@code spec:FILE}. */
    public static final String VALID = "ml-100k, ml-1m, ml-latest-small (or another ml-* CSV release), synthetic, spec:FILE";

    private Datasets() {
    }

    /**
     * A name for an output folder: the dataset name, or for {@code spec:FILE} the file's name without
     * its extension.
     *
     * @param name the dataset as given on the command line
     * @return a name without path separators
     */
    public static String folderName(String name) {
        if (name.startsWith("spec:")) {
            String file = Path.of(name.substring(5)).getFileName().toString();
            int dot = file.lastIndexOf('.');
            return dot > 0 ? file.substring(0, dot) : file;
        }
        return name;
    }

    /**
     * Loads a dataset.
     *
     * @param name {@code ml-100k}, {@code ml-1m}, {@code ml-latest-small}, another {@code ml-*} CSV
     *     release, {@code synthetic} (the default synthetic config, seed 42), or {@code spec:FILE} (a JSON or
     *     YAML {@link DatasetSpec}; a relative FILE that does not exist is looked up in {@code dataDir})
     * @param dataDir the folder holding one sub-folder per release (e.g. {@code ml-100k/}); may be
     *     null for {@code synthetic}
     * @return the dataset
     * @throws IllegalArgumentException for an unknown name or a missing folder, saying what is valid
     */
    public static Dataset load(String name, Path dataDir) {
        if (name.startsWith("spec:")) {
            Path spec = Path.of(name.substring(5));
            if (!spec.isAbsolute() && dataDir != null && !Files.exists(spec)) {
                spec = dataDir.resolve(spec);
            }
            return DatasetSpec.load(spec);
        }
        if (name.equals("synthetic")) {
            return new SyntheticData(SyntheticData.Config.defaults()).generate(42);
        }
        if (!name.startsWith("ml-")) {
            throw new IllegalArgumentException("Unknown dataset '" + name + "'; valid: " + VALID);
        }
        if (dataDir == null) {
            String env = System.getenv("ATTENTIVE_DATA_DIR");
            if (env == null || env.isBlank()) {
                throw new IllegalArgumentException("Dataset '" + name + "' needs --data-dir DIR (or ATTENTIVE_DATA_DIR)"
                        + " naming the folder that holds " + name + "/");
            }
            dataDir = Path.of(env);
        }
        Path folder = dataDir.resolve(name);
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("No folder " + folder + " for dataset '" + name
                    + "'; --data-dir must name the folder that holds " + name + "/ (fetch it with the fetch command)");
        }
        return MovieLens.load(name, folder);
    }
}
