package dev.attentive.api.spi;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The providers of one SPI found by {@link ServiceLoader}, by name. This is the one registry for
 * every extension point:
 * <ul>
 *   <li>names are validated ({@code ^[a-z][a-z0-9-]*$}) and looked up ignoring case;</li>
 *   <li>an unknown name fails with every available name and, for a name Attentive knows, the
 *       artifact that provides it;</li>
 *   <li>two providers with one name fail at discovery, naming both classes;</li>
 *   <li>a provider that cannot be loaded, or whose name is invalid, is reported (to
 *       {@link System.Logger} at WARNING and in {@link #problems()}) and skipped — never fatal to
 *       the others.</li>
 * </ul>
 * Discovery happens once, when the registry is created; keep the instance. Instances are immutable
 * and thread safe.
 *
 * @param <P> the provider type
 * @since 0.1.0
 */
public final class ProviderRegistry<P extends Provider<?>> {
    private static final Pattern NAME = Pattern.compile("^[a-z][a-z0-9-]*$");
    private static final System.Logger LOG = System.getLogger(ProviderRegistry.class.getName());

    /** Where each name Attentive knows of comes from, per kind. */
    private static final Map<String, Map<String, String>> KNOWN_ARTIFACTS = Map.of(
            "retriever", Map.of("exact", "attentive-core-model", "lucene-hnsw", "attentive-index-lucene",
                    "opensearch", "attentive-index-opensearch"),
            "attention", Map.of("mean", "attentive-core-model",
                    "concat-mlp", "attentive-core-model",
                    "field-self-attention", "attentive-attention",
                    "attention-pooling", "attentive-attention",
                    "history-attention", "attentive-attention",
                    "field-gating", "attentive-attention"),
            "tower", Map.of("mlp", "attentive-core-model"),
            "ranker", Map.of("target-attention", "attentive-attention", "mlp", "attentive-attention"),
            "model", Map.of("two-tower", "attentive-core-model",
                    "random", "attentive-eval", "pop", "attentive-eval", "itemknn", "attentive-eval",
                    "ease", "attentive-eval", "bpr", "attentive-eval", "fm", "attentive-eval",
                    "two-stage", "attentive-core-model"));

    private final String kind;
    private final Map<String, P> byName;
    private final List<String> problems;

    private ProviderRegistry(Class<P> spi, String kind, ClassLoader loader) {
        this.kind = kind;
        Map<String, P> found = new TreeMap<>();
        List<String> trouble = new ArrayList<>();
        Iterator<P> it = ServiceLoader.load(spi, loader).iterator();
        while (true) {
            P provider;
            try {
                if (!it.hasNext()) {
                    break;
                }
                provider = it.next();
            } catch (ServiceConfigurationError e) {
                String problem = "Skipped a broken " + kind + " provider: " + describe(e);
                trouble.add(problem);
                LOG.log(System.Logger.Level.WARNING, problem, e);
                continue;
            }
            String name;
            try {
                name = provider.name();
            } catch (RuntimeException e) {
                String problem = "Skipped " + kind + " provider " + provider.getClass().getName()
                        + ": name() threw " + e;
                trouble.add(problem);
                LOG.log(System.Logger.Level.WARNING, problem, e);
                continue;
            }
            if (name == null || !NAME.matcher(name).matches()) {
                String problem = "Skipped " + kind + " provider " + provider.getClass().getName()
                        + ": its name '" + name + "' does not match ^[a-z][a-z0-9-]*$";
                trouble.add(problem);
                LOG.log(System.Logger.Level.WARNING, problem);
                continue;
            }
            P previous = found.putIfAbsent(name, provider);
            if (previous != null && previous.getClass() != provider.getClass()) {
                throw new IllegalStateException("Two " + kind + " providers are named '" + name + "': "
                        + previous.getClass().getName() + " and " + provider.getClass().getName()
                        + ". Remove one of them from the class path.");
            }
        }
        this.byName = Collections.unmodifiableMap(found);
        this.problems = List.copyOf(trouble);
    }

    private static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            sb.append(" (caused by ").append(cause).append(')');
        }
        return sb.toString();
    }

    /**
     * Discovers the providers of an SPI.
     *
     * @param spi the provider interface
     * @param kind the word for this kind of provider in messages, such as {@code "retriever"}
     * @param loader the class loader to search (its parents included)
     * @param <P> the provider type
     * @return the registry
     * @throws IllegalStateException when two providers share a name
     */
    public static <P extends Provider<?>> ProviderRegistry<P> load(Class<P> spi, String kind, ClassLoader loader) {
        return new ProviderRegistry<>(spi, kind, loader);
    }

    /**
     * The attention providers visible from a class loader.
     *
     * @param loader the class loader
     * @return the registry
     */
    @SuppressWarnings("unchecked") // ServiceLoader yields raw types; each provider checks its own config type
    public static ProviderRegistry<AttentionProvider<?>> attention(ClassLoader loader) {
        return load((Class<AttentionProvider<?>>) (Class<?>) AttentionProvider.class, "attention", loader);
    }

    /**
     * The attention providers visible from this library's class loader.
     *
     * @return the registry
     */
    public static ProviderRegistry<AttentionProvider<?>> attention() {
        return attention(defaultLoader());
    }

    /**
     * The tower providers visible from a class loader.
     *
     * @param loader the class loader
     * @return the registry
     */
    @SuppressWarnings("unchecked") // ServiceLoader yields raw types; each provider checks its own config type
    public static ProviderRegistry<TowerProvider<?>> towers(ClassLoader loader) {
        return load((Class<TowerProvider<?>>) (Class<?>) TowerProvider.class, "tower", loader);
    }

    /**
     * The tower providers visible from this library's class loader.
     *
     * @return the registry
     */
    public static ProviderRegistry<TowerProvider<?>> towers() {
        return towers(defaultLoader());
    }

    /**
     * The retriever providers visible from a class loader.
     *
     * @param loader the class loader
     * @return the registry
     */
    @SuppressWarnings("unchecked") // ServiceLoader yields raw types; each provider checks its own config type
    public static ProviderRegistry<RetrieverProvider<?>> retrievers(ClassLoader loader) {
        return load((Class<RetrieverProvider<?>>) (Class<?>) RetrieverProvider.class, "retriever", loader);
    }

    /**
     * The retriever providers visible from this library's class loader.
     *
     * @return the registry
     */
    public static ProviderRegistry<RetrieverProvider<?>> retrievers() {
        return retrievers(defaultLoader());
    }

    /**
     * The model providers visible from a class loader.
     *
     * @param loader the class loader
     * @return the registry
     */
    @SuppressWarnings("unchecked") // ServiceLoader yields raw types; each provider checks its own config type
    public static ProviderRegistry<ModelProvider<?>> models(ClassLoader loader) {
        return load((Class<ModelProvider<?>>) (Class<?>) ModelProvider.class, "model", loader);
    }

    /**
     * The model providers visible from this library's class loader.
     *
     * @return the registry
     */
    public static ProviderRegistry<ModelProvider<?>> models() {
        return models(defaultLoader());
    }

    /**
     * The ranker providers visible from a class loader.
     *
     * @param loader the class loader
     * @return the registry
     * @since 0.2.0
     */
    @SuppressWarnings("unchecked") // ServiceLoader yields raw types; each provider checks its own config type
    public static ProviderRegistry<RankerProvider<?>> rankers(ClassLoader loader) {
        return load((Class<RankerProvider<?>>) (Class<?>) RankerProvider.class, "ranker", loader);
    }

    /**
     * The ranker providers visible from this library's class loader.
     *
     * @return the registry
     * @since 0.2.0
     */
    public static ProviderRegistry<RankerProvider<?>> rankers() {
        return rankers(defaultLoader());
    }

    private static ClassLoader defaultLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : ProviderRegistry.class.getClassLoader();
    }

    /**
     * The provider of a name.
     *
     * @param name the name, in any case
     * @return the provider
     * @throws UnknownProviderException naming the available providers and, for a name Attentive
     *     knows of, the artifact that provides it
     */
    public P get(String name) {
        return find(name).orElseThrow(() -> unknown(name));
    }

    /**
     * The provider of a name, if present.
     *
     * @param name the name, in any case
     * @return the provider, or empty
     */
    public Optional<P> find(String name) {
        return Optional.ofNullable(byName.get(name.toLowerCase(Locale.ROOT)));
    }

    /**
     * The names of the providers found, sorted.
     *
     * @return the names
     */
    public List<String> names() {
        return List.copyOf(byName.keySet());
    }

    /**
     * The providers found, sorted by name.
     *
     * @return the providers
     */
    public Collection<P> providers() {
        return byName.values();
    }

    /**
     * The providers that were skipped, and why.
     *
     * @return one message per skipped provider
     */
    public List<String> problems() {
        return problems;
    }

    /**
     * The kind of provider, as used in messages.
     *
     * @return the kind
     */
    public String kind() {
        return kind;
    }

    private UnknownProviderException unknown(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        String available = byName.isEmpty() ? "none" : String.join(", ", byName.keySet());
        StringBuilder message = new StringBuilder("No ").append(kind).append(" named '").append(name)
                .append("'. Available: ").append(available).append('.');
        String artifact = KNOWN_ARTIFACTS.getOrDefault(kind, Map.of()).get(key);
        if (artifact != null) {
            message.append(" Add the dependency dev.attentive:").append(artifact)
                    .append(" to the class path to get '").append(key).append("'.");
        }
        if (!problems.isEmpty()) {
            message.append(" Skipped as broken: ").append(String.join("; ", problems));
        }
        return new UnknownProviderException(message.toString(), name, List.copyOf(byName.keySet()));
    }
}
