package dev.attentive.api.spi;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Builds a provider's config record one setting at a time, by name, so that a Java caller sets only
 * what it means to change and keeps compiling when a later release adds a setting:
 * <pre>{@code
 * TwoTowerModelProvider.Config config = provider.configBuilder()
 *         .set("dim", 32)
 *         .set("attention", "concat-mlp")
 *         .build();
 * }</pre>
 * It starts from a complete config — the provider's {@link Provider#defaultConfig()}, or any config
 * through {@link Configs#builder(String, Record)} — and {@link #build()} calls the record's canonical
 * constructor, so the record's own validation runs as usual.
 *
 * <p>Names are matched like the string form {@code two-tower[dim=32]}: ignoring case, {@code _} and
 * {@code -}. {@link #set} checks the value against the record component's type:
 * <ul>
 *   <li>numbers: the boxed type itself or one that widens to it as in Java ({@code int} to
 *       {@code long}, {@code float} or {@code double}; never narrowing);</li>
 *   <li>{@code boolean}: a {@link Boolean};</li>
 *   <li>enums: a constant of the enum, or its name in any case ({@code -} for {@code _});</li>
 *   <li>{@code List<E>}: a {@link List} whose elements each pass the check for {@code E};</li>
 *   <li>any other type: an instance of it;</li>
 *   <li>a {@link String} is also accepted for every supported type and read exactly as the string form
 *       reads it ({@code "32"}, {@code "true"}, {@code "gelu"}, {@code "256,128"});</li>
 *   <li>{@code null} only for a component of a reference type (the record may still reject it).</li>
 * </ul>
 * An unknown name or a value of the wrong type is not thrown at once: every problem is collected and
 * {@link #build()} reports them all together in one {@link ConfigException}. Setting a name again
 * replaces its value. Not thread safe; a builder may build any number of configs.
 *
 * @param <C> the config record
 * @since 0.2.0
 */
public final class ConfigBuilder<C extends Record> {
    private final String component;
    private final Class<C> type;
    private final RecordComponent[] components;
    private final Map<String, Integer> byName = new LinkedHashMap<>();
    private final Object[] values;
    private final List<String> problems = new ArrayList<>();

    ConfigBuilder(String component, C start) {
        this.component = Objects.requireNonNull(component, "component");
        Objects.requireNonNull(start, "start config");
        @SuppressWarnings("unchecked") // getClass() of a C is a Class<? extends C>; records are final
        Class<C> startType = (Class<C>) start.getClass();
        this.type = startType;
        this.components = type.getRecordComponents();
        this.values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            byName.put(components[i].getName().toLowerCase(Locale.ROOT), i);
            values[i] = Configs.read(components[i], start);
        }
    }

    /**
     * The names of the settings, in the record's component order.
     *
     * @return the setting names
     */
    public List<String> names() {
        return Arrays.stream(components).map(RecordComponent::getName).toList();
    }

    /**
     * Sets one setting. A problem (unknown name, wrong type, unreadable string) is recorded and
     * reported by {@link #build()} together with every other one.
     *
     * @param name the setting name, in any case, {@code _} and {@code -} ignored
     * @param value the value: of the component's type, of a type that widens to it, or its string form
     * @return this builder
     */
    public ConfigBuilder<C> set(String name, Object value) {
        Objects.requireNonNull(name, "name");
        Integer index = byName.get(name.toLowerCase(Locale.ROOT).replace("_", "").replace("-", ""));
        if (index == null) {
            index = byName.get(name.toLowerCase(Locale.ROOT));
        }
        if (index == null) {
            problems.add("unknown setting '" + name + "' (valid: " + String.join(", ", names()) + ")");
            return this;
        }
        RecordComponent c = components[index];
        try {
            values[index] = convert(c.getGenericType(), value);
        } catch (IllegalArgumentException e) {
            problems.add("setting '" + c.getName() + "' = " + show(value) + ": " + e.getMessage());
        }
        return this;
    }

    /**
     * Sets several settings, in the map's order, as {@link #set} does one.
     *
     * @param settings setting name to value
     * @return this builder
     */
    public ConfigBuilder<C> setAll(Map<String, ?> settings) {
        settings.forEach(this::set);
        return this;
    }

    /**
     * Builds the config through the record's canonical constructor.
     *
     * @return the config
     * @throws ConfigException listing every unknown name and ill-typed value given to this builder,
     *     or, when there is none, every problem the record's own validation reports
     */
    public C build() {
        if (!problems.isEmpty()) {
            throw new ConfigException(component, problems);
        }
        return Configs.construct(component, type, components, values.clone());
    }

    /** Shows a value as the error message quotes it: strings as written, others with their type. */
    private static String show(Object value) {
        if (value instanceof String s) {
            return "'" + s + "'";
        }
        if (value == null) {
            return "null";
        }
        // The interface, not an implementation class such as ListN, is what the caller knows.
        String kind = value instanceof List<?> ? "List" : value instanceof Map<?, ?> ? "Map" : value.getClass().getSimpleName();
        return value + " (" + kind + ")";
    }

    private static Object convert(Type type, Object value) {
        if (value instanceof String s) {
            return Configs.parse(type, s.trim());
        }
        if (type instanceof ParameterizedType p && p.getRawType() == List.class) {
            if (!(value instanceof List<?> list)) {
                throw mismatch(type);
            }
            Type element = p.getActualTypeArguments()[0];
            List<Object> out = new ArrayList<>(list.size());
            for (Object e : list) {
                if (e == null) {
                    throw new IllegalArgumentException("expected " + describe(type) + " without null elements");
                }
                try {
                    out.add(convert(element, e));
                } catch (IllegalArgumentException bad) {
                    throw new IllegalArgumentException("element " + show(e) + ": " + bad.getMessage());
                }
            }
            return Collections.unmodifiableList(out);
        }
        if (!(type instanceof Class<?> cls)) {
            throw new IllegalArgumentException("unsupported setting type " + type.getTypeName());
        }
        if (value == null) {
            if (cls.isPrimitive()) {
                throw mismatch(cls);
            }
            return null;
        }
        if (cls == int.class || cls == Integer.class) {
            if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
                return ((Number) value).intValue();
            }
        } else if (cls == long.class || cls == Long.class) {
            if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
                return ((Number) value).longValue();
            }
        } else if (cls == float.class || cls == Float.class) {
            if (value instanceof Float || value instanceof Long || value instanceof Integer || value instanceof Short
                    || value instanceof Byte) {
                return ((Number) value).floatValue();
            }
        } else if (cls == double.class || cls == Double.class) {
            if (value instanceof Double || value instanceof Float || value instanceof Long
                    || value instanceof Integer || value instanceof Short || value instanceof Byte) {
                return ((Number) value).doubleValue();
            }
        } else if (cls == boolean.class || cls == Boolean.class) {
            if (value instanceof Boolean) {
                return value;
            }
        } else if (cls.isInstance(value)) {
            return value;
        }
        throw mismatch(cls);
    }

    private static IllegalArgumentException mismatch(Type type) {
        if (type instanceof Class<?> cls && cls.isEnum()) {
            return new IllegalArgumentException("expected a constant of " + cls.getSimpleName() + " or one of "
                    + Configs.enumNames(cls));
        }
        return new IllegalArgumentException("expected " + describe(type) + " or its string form");
    }

    /** The type as a reader would write it: {@code int}, {@code List<Integer>}, {@code one of [a, b]}. */
    private static String describe(Type type) {
        if (type instanceof ParameterizedType p && p.getRawType() == List.class) {
            return "List<" + describe(p.getActualTypeArguments()[0]) + ">";
        }
        if (type instanceof Class<?> cls) {
            return cls.getSimpleName();
        }
        return type.getTypeName();
    }
}
