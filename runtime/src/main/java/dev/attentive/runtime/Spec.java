package dev.attentive.runtime;

import dev.attentive.api.Dataset;
import dev.attentive.eval.data.SyntheticData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a builder or a config file asks for, before validation: every value may be missing or wrong.
 * Problems found while reading a file are kept here and reported by {@link Plan#check} together with
 * every other one. Messages name values by their config-file keys ({@code data.spec},
 * {@code training.validation.holdout}), which the builder's methods document. Not thread safe.
 */
final class Spec {
    /** Where the values came from, as the exception's message says it: "in FILE" or "from the builder". */
    String origin = "from the builder";
    /** The folder relative paths are resolved against: the config file's, or the working directory. */
    Path base = Path.of("").toAbsolutePath();
    /** The config file, or null. */
    Path file;

    DataChoice data;
    /** Whether the config file has a 'data' key (possibly with problems), so "no data" is not said twice. */
    boolean dataKeyGiven;
    Path load;
    String modelName;
    final Map<String, String> modelSettings = new LinkedHashMap<>();
    String retrieverName;
    final Map<String, String> retrieverSettings = new LinkedHashMap<>();
    Path indexDirectory;
    Long seed;
    Integer threads;
    Double holdout;
    String holdoutOrder;
    DataChoice validationData;

    /** Problems found while reading the config file, each with its line and column. */
    final List<String> problems = new ArrayList<>();
    /** Whether the file could not be read at all, so that nothing else is worth checking. */
    boolean unreadable;

    /** Where training or validation data comes from. */
    sealed interface DataChoice {
        /**
         * The config key that chose it, for messages.
         *
         * @return e.g. {@code data.spec}
         */
        String key();
    }

    /** A dataset given in code. */
    record InMemory(String key, Dataset dataset) implements DataChoice {
    }

    /** A dataset spec file ({@link dev.attentive.eval.data.DatasetSpec}). */
    record SpecFile(String key, Path file) implements DataChoice {
    }

    /** A MovieLens release folder. */
    record MovieLensFolder(String key, Path folder) implements DataChoice {
    }

    /** The seeded synthetic generator; {@code config} is null when its settings were invalid. */
    record Synthetic(String key, SyntheticData.Config config, long seed) implements DataChoice {
    }
}
