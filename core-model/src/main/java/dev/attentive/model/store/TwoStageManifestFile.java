package dev.attentive.model.store;

import static dev.attentive.model.store.JsonFields.JSON;
import static dev.attentive.model.store.JsonFields.array;
import static dev.attentive.model.store.JsonFields.integer;
import static dev.attentive.model.store.JsonFields.object;
import static dev.attentive.model.store.JsonFields.text;

import dev.attentive.api.spi.ConfigException;
import dev.attentive.api.spi.Configs;
import dev.attentive.api.spi.ProviderRegistry;
import dev.attentive.api.spi.RankerProvider;
import dev.attentive.api.spi.RankerShape;
import dev.attentive.api.spi.UnknownProviderException;
import dev.attentive.model.ModelFormatException;
import dev.attentive.model.TwoStageModelProvider;
import dev.attentive.model.TwoTowerModelProvider;
import dev.attentive.model.TwoTowerModels;
import dev.attentive.model.rank.TwoStageState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code model.json} of a two-stage model: the header every format shares (format, version,
 * library, Java, save time, provenance), the pipeline's full config, the ranker and retrieval
 * plugins with their format versions, the ranker's resolved settings and shape, and the size and
 * SHA-256 of every other file (the retrieval's own manifest included, which in turn checksums the
 * retrieval's files). Stateless.
 */
final class TwoStageManifestFile {
    static final String NAME = ManifestFile.NAME;

    private TwoStageManifestFile() {
    }

    /**
     * What the manifest records.
     *
     * @param config the pipeline's config, bound over the current defaults
     * @param provenance dataset, fingerprint, seed, training time and the like, in order
     * @param ranker the installed provider of the ranker the config names
     * @param rankerConfig the ranker's saved settings, every one of them
     * @param shape the ranker's shape
     */
    record Contents(TwoStageModelProvider.Config config, Map<String, String> provenance, RankerProvider<?> ranker,
            Map<String, String> rankerConfig, RankerShape shape) {
    }

    static byte[] write(TwoStageState state, Map<String, byte[]> files) {
        ObjectNode root = ManifestFile.header(TwoTowerModels.TWO_STAGE_FORMAT, TwoTowerModels.TWO_STAGE_FORMAT_VERSION,
                state.provenance());
        ObjectNode m = root.putObject("model");
        m.put("provider", TwoStageModelProvider.NAME);
        ObjectNode config = m.putObject("config");
        Configs.settings(state.config()).forEach(config::put);
        ObjectNode plugins = root.putObject("plugins");
        ManifestFile.plugin(plugins, "ranker", ProviderRegistry.rankers().get(state.config().ranker()));
        ManifestFile.plugin(plugins, "retrieval", new TwoTowerModelProvider());
        ObjectNode ranker = root.putObject("ranker");
        ObjectNode settings = ranker.putObject("config");
        state.rankerConfig().forEach(settings::put);
        RankerShape shape = state.ranker().shape();
        ranker.putObject("shape").put("itemCount", shape.itemCount()).put("valueCount", shape.valueCount())
                .put("userSlots", shape.userSlots()).put("itemSlots", shape.itemSlots());
        ArrayNode sources = ((ObjectNode) ranker.get("shape")).putArray("sources");
        shape.sources().forEach(sources::add);
        ManifestFile.files(root, files);
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
    }

    /**
     * Reads the config, the ranker plugin and its settings and shape.
     *
     * @throws ModelFormatException when the config is invalid, the ranker plugin is not installed
     *     (naming the artifact that adds it, for a ranker Attentive knows) or is older than the one that
     *     saved the model, or the ranker's settings or shape are invalid
     */
    static Contents read(JsonNode manifest, Path file) throws ModelFormatException {
        JsonNode m = object(manifest, "model", file);
        String provider = text(m, "provider", file);
        if (!TwoStageModelProvider.NAME.equals(provider)) {
            throw new ModelFormatException(file, "model.provider is '" + provider + "', expected '"
                    + TwoStageModelProvider.NAME + "'");
        }
        TwoStageModelProvider.Config config;
        try {
            config = new TwoStageModelProvider().configure(strings(object(m, "config", file)));
        } catch (ConfigException e) {
            throw new ModelFormatException(file, "model.config is invalid: " + e.getMessage());
        }
        JsonNode plugins = object(manifest, "plugins", file);
        JsonNode saved = object(plugins, "ranker", file);
        String name = text(saved, "name", file);
        if (!name.toLowerCase(Locale.ROOT).equals(config.ranker().toLowerCase(Locale.ROOT))) {
            throw new ModelFormatException(file, "plugins.ranker is '" + name + "' but model.config.ranker is '"
                    + config.ranker() + "'; the manifest was edited inconsistently");
        }
        RankerProvider<?> ranker;
        try {
            ranker = ProviderRegistry.rankers().get(name);
        } catch (UnknownProviderException e) {
            throw new ModelFormatException(file, "plugin ranker '" + name + "' is not available: " + e.getMessage());
        }
        int version = saved.path("formatVersion").asInt(1);
        if (version > ranker.formatVersion()) {
            throw new ModelFormatException(file, "plugin ranker '" + ranker.name() + "' saved format version " + version
                    + ", but the installed plugin reads up to " + ranker.formatVersion()
                    + "; install the plugin version that saved the model");
        }
        JsonNode r = object(manifest, "ranker", file);
        Map<String, String> rankerConfig = strings(object(r, "config", file));
        try {
            ranker.configure(rankerConfig);
        } catch (ConfigException e) {
            throw new ModelFormatException(file, "ranker.config is invalid for '" + ranker.name() + "': " + e.getMessage());
        }
        JsonNode s = object(r, "shape", file);
        List<String> sources = new ArrayList<>();
        for (JsonNode x : array(s, "sources", file)) {
            sources.add(x.asString());
        }
        RankerShape shape;
        try {
            shape = new RankerShape(integer(s, "itemCount", file), integer(s, "valueCount", file),
                    integer(s, "userSlots", file), integer(s, "itemSlots", file), sources);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file, "ranker.shape is invalid: " + e.getMessage());
        }
        return new Contents(config, ManifestFile.provenance(manifest), ranker, rankerConfig, shape);
    }

    private static Map<String, String> strings(JsonNode object) {
        Map<String, String> out = new LinkedHashMap<>();
        for (var e : object.properties()) {
            out.put(e.getKey(), e.getValue().asString());
        }
        return out;
    }
}
