package dev.attentive.examples.service;

import dev.attentive.api.ItemFilter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The item filter of a request, written in query parameters. Every condition must hold (they are
 * joined with AND), and each parameter may be repeated:
 * <ul>
 *   <li>{@code filter=FIELD:VALUE} keeps items whose categorical field is VALUE (or whose
 *       multi-valued field contains it); {@code filter=FIELD:V1,V2} keeps those with any of the values;</li>
 *   <li>{@code not=FIELD:VALUE} (or {@code not=FIELD:V1,V2}) drops items with any of the values;</li>
 *   <li>{@code range=FIELD:MIN:MAX} keeps items whose numeric field lies in [MIN, MAX]; leave MIN or
 *       MAX empty for no bound ({@code range=year:1990:}).</li>
 * </ul>
 * Field names cannot contain {@code :}, so everything after the first {@code :} is the value.
 * Values cannot contain {@code ,}. Whether the fields exist and have the right type is checked by
 * the catalogue ({@link ItemFilter#checkAgainst}), not here.
 */
final class FilterParameters {
    /** The parameter names this class reads. */
    static final Set<String> NAMES = Set.of("filter", "not", "range");

    private FilterParameters() {
    }

    /** The filter the parameters describe; {@link ItemFilter#all()} when they give none. */
    static ItemFilter parse(QueryParameters query) {
        List<ItemFilter> conditions = new ArrayList<>();
        for (String given : query.all("filter")) {
            conditions.add(anyOf("filter", given));
        }
        for (String given : query.all("not")) {
            conditions.add(ItemFilter.not(anyOf("not", given)));
        }
        for (String given : query.all("range")) {
            conditions.add(range(given));
        }
        return switch (conditions.size()) {
            case 0 -> ItemFilter.all();
            case 1 -> conditions.get(0);
            default -> ItemFilter.and(conditions.toArray(ItemFilter[]::new));
        };
    }

    private static ItemFilter anyOf(String parameter, String given) {
        int colon = given.indexOf(':');
        String example = parameter + "=genre:Drama or " + parameter + "=genre:Drama,Comedy";
        if (colon <= 0) {
            throw HttpError.badRequest("Query parameter " + parameter + "='" + given + "' needs FIELD:VALUE, e.g. "
                    + example);
        }
        String field = given.substring(0, colon).strip();
        Set<String> values = new LinkedHashSet<>();
        for (String v : given.substring(colon + 1).split(",")) {
            if (!v.isBlank()) {
                values.add(v.strip());
            }
        }
        if (values.isEmpty()) {
            throw HttpError.badRequest("Query parameter " + parameter + "='" + given + "' gives no value after '"
                    + field + ":', e.g. " + example);
        }
        return values.size() == 1 ? ItemFilter.equalTo(field, values.iterator().next()) : ItemFilter.in(field, values);
    }

    private static ItemFilter range(String given) {
        String[] parts = given.split(":", -1);
        if (parts.length != 3 || parts[0].isBlank()) {
            throw HttpError.badRequest("Query parameter range='" + given + "' needs FIELD:MIN:MAX, e.g. range=year:1990:2000"
                    + " (leave MIN or MAX empty for no bound: range=year:1990:)");
        }
        String field = parts[0].strip();
        double min = bound(given, parts[1], Double.NEGATIVE_INFINITY);
        double max = bound(given, parts[2], Double.POSITIVE_INFINITY);
        if (min > max) {
            throw HttpError.badRequest("Query parameter range='" + given + "' has MIN " + parts[1].strip()
                    + " above MAX " + parts[2].strip() + "; give MIN <= MAX");
        }
        return ItemFilter.range(field, min, max);
    }

    private static double bound(String given, String text, double none) {
        if (text.isBlank()) {
            return none;
        }
        try {
            double value = Double.parseDouble(text.strip());
            if (!Double.isNaN(value)) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below with the whole parameter
        }
        throw HttpError.badRequest("Query parameter range='" + given + "': '" + text + "' is not a number; "
                + "give FIELD:MIN:MAX with decimal numbers, e.g. range=year:1990:2000");
    }
}
