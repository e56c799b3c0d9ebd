package dev.attentive.api.spi;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Binds string settings onto config records, and turns configs back into settings for provenance.
 * Supported component types: {@code int}, {@code long}, {@code float}, {@code double},
 * {@code boolean}, {@link String}, enums (case-insensitive), and {@code List} of {@link Integer},
 * {@link Double} or {@link String} written comma- or {@code |}-separated. Stateless and thread safe.
 *
 * @since 0.1.0
 */
public final class Configs {
    private Configs() {
    }

    /**
     * Lays settings over a default config.
     *
     * @param component the provider name, for messages
     * @param defaults the default config
     * @param settings setting name to value
     * @param <C> the config type
     * @return a new config with the settings applied
     * @throws ConfigException listing every unknown key and unparsable value at once, and then any
     *     problem the config's own constructor reports
     */
    public static <C extends Record> C bind(String component, C defaults, Map<String, String> settings) {
        return builder(component, defaults).setAll(settings).build();
    }

    /**
     * A builder that starts from a config and sets settings one by one, type-checked against the
     * record's components; {@link Provider#configBuilder()} starts one from a provider's defaults.
     *
     * @param component the provider name, for messages
     * @param start the config whose values the builder starts from
     * @param <C> the config type
     * @return the builder
     * @since 0.2.0
     */
    public static <C extends Record> ConfigBuilder<C> builder(String component, C start) {
        return new ConfigBuilder<>(component, start);
    }

    /** Calls the canonical constructor, passing the record's own {@link ConfigException} through. */
    static <C extends Record> C construct(String component, Class<C> type, RecordComponent[] components,
            Object[] args) {
        try {
            Class<?>[] types = Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
            Constructor<C> constructor = type.getDeclaredConstructor(types);
            constructor.setAccessible(true);
            return constructor.newInstance(args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof ConfigException ce) {
                throw ce;
            }
            if (e.getCause() instanceof RuntimeException re) {
                throw new ConfigException(component, List.of(String.valueOf(re.getMessage())));
            }
            throw new IllegalStateException("Config " + type.getName() + " failed to construct", e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Config " + type.getName() + " must be an accessible record", e);
        }
    }

    /**
     * The settings of a config, in component order, formatted so that {@link #bind} reads them back.
     *
     * @param config the config
     * @return setting name to value
     */
    public static Map<String, String> settings(Record config) {
        Map<String, String> out = new LinkedHashMap<>();
        for (RecordComponent c : config.getClass().getRecordComponents()) {
            Object value = read(c, config);
            out.put(c.getName(), value instanceof List<?> list
                    ? list.stream().map(String::valueOf).collect(Collectors.joining(","))
                    : String.valueOf(value));
        }
        return out;
    }

    static Object read(RecordComponent c, Record from) {
        try {
            var accessor = c.getAccessor();
            accessor.setAccessible(true);
            return accessor.invoke(from);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot read " + c.getName() + " of " + from.getClass().getName(), e);
        }
    }

    static Object parse(Type type, String value) {
        if (type instanceof ParameterizedType p && p.getRawType() == List.class) {
            Type element = p.getActualTypeArguments()[0];
            if (value.isEmpty()) {
                return List.of();
            }
            List<Object> list = new ArrayList<>();
            for (String part : value.split("[,|]")) {
                list.add(parse(element, part.trim()));
            }
            return List.copyOf(list);
        }
        if (!(type instanceof Class<?> cls)) {
            throw new IllegalArgumentException("unsupported setting type " + type);
        }
        try {
            if (cls == int.class || cls == Integer.class) {
                return Integer.parseInt(value);
            } else if (cls == long.class || cls == Long.class) {
                return Long.parseLong(value);
            } else if (cls == float.class || cls == Float.class) {
                return Float.parseFloat(value);
            } else if (cls == double.class || cls == Double.class) {
                return Double.parseDouble(value);
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a number of type " + cls.getSimpleName());
        }
        if (cls == boolean.class || cls == Boolean.class) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "true" -> true;
                case "false" -> false;
                default -> throw new IllegalArgumentException("expected true or false");
            };
        }
        if (cls == String.class) {
            return value;
        }
        if (cls.isEnum()) {
            for (Object constant : cls.getEnumConstants()) {
                String name = ((Enum<?>) constant).name();
                if (name.equalsIgnoreCase(value) || name.replace('_', '-').equalsIgnoreCase(value)) {
                    return constant;
                }
            }
            throw new IllegalArgumentException("expected one of " + enumNames(cls));
        }
        throw new IllegalArgumentException("unsupported setting type " + cls.getName());
    }

    /** An enum's constants as settings are written: lowercase, sorted, e.g. {@code [gelu, relu]}. */
    static String enumNames(Class<?> enumType) {
        return new TreeSet<>(Arrays.stream(enumType.getEnumConstants())
                .map(e -> ((Enum<?>) e).name().toLowerCase(Locale.ROOT)).toList()).toString();
    }
}
