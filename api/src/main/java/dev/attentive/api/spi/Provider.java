package dev.attentive.api.spi;

import java.util.Map;

/**
 * What every plugin provider has: a stable name and a typed config record. A provider is a cheap
 * factory found by {@link java.util.ServiceLoader}; the component it makes is built only when its
 * name is chosen. Implementations need a public no-argument constructor and must be thread safe.
 *
 * @param <C> the config record; its components are the settings, its compact constructor validates
 *     them (reporting every problem at once through {@link ConfigException.Problems})
 * @since 0.1.0
 */
public interface Provider<C extends Record> {

    /**
     * The provider's name: lowercase, {@code ^[a-z][a-z0-9-]*$}, stable across releases (behaviour
     * never changes under an existing name). Implementations keep it in a {@code NAME} constant.
     *
     * @return the name
     */
    String name();

    /**
     * The config used when no setting is given.
     *
     * @return the default config
     */
    C defaultConfig();

    /**
     * Builds a config from string settings laid over {@link #defaultConfig()}, as written in a
     * model spec such as {@code two-tower[attention=mean,dim=64]} or in a JSON/YAML file.
     *
     * @param settings setting name to value; unknown names are errors
     * @return the config
     * @throws ConfigException listing every unknown key and bad value at once
     */
    default C configure(Map<String, String> settings) {
        return Configs.bind(name(), defaultConfig(), settings);
    }

    /**
     * A builder of this provider's config that starts from {@link #defaultConfig()} and sets
     * settings by name, type-checked, so that a Java caller sets only what it changes:
     * {@code provider.configBuilder().set("dim", 32).set("attention", "concat-mlp").build()}.
     * Unknown names and ill-typed values are all reported together by {@link ConfigBuilder#build()}.
     *
     * @return a new builder
     * @since 0.2.0
     */
    default ConfigBuilder<C> configBuilder() {
        return Configs.builder(name(), defaultConfig());
    }

    /**
     * The version of the state format this provider writes (its parameters' names and shapes for a
     * given config). Saved models record it; a provider bumps it when the layout changes and keeps
     * reading older versions.
     *
     * @return the format version, 1 by default
     */
    default int formatVersion() {
        return 1;
    }
}
