package dev.attentive.examples.service;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The query parameters of one request, decoded ({@code application/x-www-form-urlencoded}: {@code +}
 * is a space, {@code %XX} a UTF-8 byte), in order, each name with all its values. Every accessor
 * fails with a {@link HttpError#badRequest 400} that names the parameter and says what to give.
 */
final class QueryParameters {
    private final String endpoint;
    private final Map<String, List<String>> values;

    private QueryParameters(String endpoint, Map<String, List<String>> values) {
        this.endpoint = endpoint;
        this.values = values;
    }

    /**
     * Parses a raw (still encoded) query string.
     *
     * @param endpoint the endpoint, for messages (e.g. {@code GET /recommend})
     * @param rawQuery the query string without {@code ?}, or null for none
     */
    static QueryParameters parse(String endpoint, String rawQuery) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = decode(endpoint, eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(endpoint, pair.substring(eq + 1));
                values.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
            }
        }
        return new QueryParameters(endpoint, values);
    }

    private static String decode(String endpoint, String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw HttpError.badRequest("The query of " + endpoint + " is not URL-encoded correctly near '" + s
                    + "' (" + e.getMessage() + "); encode '%' as %25");
        }
    }

    /**
     * Fails unless every parameter is one of {@code names} or starts with one of {@code prefixes}.
     *
     * @param names the parameters the endpoint knows
     * @param prefixes name prefixes the endpoint knows, such as {@code features.}
     */
    void requireKnown(Set<String> names, Set<String> prefixes) {
        for (String name : values.keySet()) {
            if (!names.contains(name) && prefixes.stream().noneMatch(name::startsWith)) {
                Set<String> known = new TreeSet<>(names);
                prefixes.forEach(p -> known.add(p + "NAME"));
                throw HttpError.badRequest("Unknown query parameter '" + name + "' for " + endpoint
                        + "; its parameters are " + known);
            }
        }
    }

    /** The one value of a parameter; empty when absent, an error when repeated. */
    Optional<String> single(String name) {
        List<String> given = values.get(name);
        if (given == null) {
            return Optional.empty();
        }
        if (given.size() > 1) {
            throw HttpError.badRequest("Query parameter '" + name + "' is given " + given.size() + " times in "
                    + endpoint + " " + given + "; give it once");
        }
        return Optional.of(given.get(0));
    }

    /** The one non-blank value of a required parameter. */
    String required(String name, String example) {
        String value = single(name).orElseThrow(() -> HttpError.badRequest(endpoint + " needs the query parameter '"
                + name + "', e.g. " + example));
        if (value.isBlank()) {
            throw HttpError.badRequest("Query parameter '" + name + "' of " + endpoint + " is empty; give a value, e.g. "
                    + example);
        }
        return value;
    }

    /** Every value of a parameter, in order; empty when absent. */
    List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    /** Every parameter whose name starts with the prefix, by the rest of its name, each given once. */
    Map<String, String> withPrefix(String prefix) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : values.keySet()) {
            if (name.startsWith(prefix)) {
                out.put(name.substring(prefix.length()), single(name).orElseThrow());
            }
        }
        return out;
    }

    /** An integer parameter within {@code [min, max]}, or the default when absent. */
    int integer(String name, int defaultValue, int min, int max) {
        Optional<String> given = single(name);
        if (given.isEmpty()) {
            return defaultValue;
        }
        int value;
        try {
            value = Integer.parseInt(given.get().strip());
        } catch (NumberFormatException e) {
            throw HttpError.badRequest("Query parameter '" + name + "' of " + endpoint + " must be a whole number from "
                    + min + " to " + max + ", got '" + given.get() + "'");
        }
        if (value < min || value > max) {
            throw HttpError.badRequest("Query parameter '" + name + "' of " + endpoint + " must be from " + min + " to "
                    + max + ", got " + value);
        }
        return value;
    }

    /** A boolean parameter ({@code true} or {@code false}, any case), or the default when absent. */
    boolean flag(String name, boolean defaultValue) {
        Optional<String> given = single(name);
        if (given.isEmpty()) {
            return defaultValue;
        }
        String v = given.get().strip();
        if (v.equalsIgnoreCase("true")) {
            return true;
        }
        if (v.equalsIgnoreCase("false")) {
            return false;
        }
        throw HttpError.badRequest("Query parameter '" + name + "' of " + endpoint + " must be true or false, got '"
                + given.get() + "'");
    }

    /** A comma-separated list parameter (values stripped, empty ones dropped); empty when absent. */
    List<String> list(String name) {
        List<String> out = new ArrayList<>();
        for (String value : all(name)) {
            for (String part : value.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.strip());
                }
            }
        }
        return out;
    }
}
