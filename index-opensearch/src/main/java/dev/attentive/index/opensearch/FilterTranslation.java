package dev.attentive.index.opensearch;

import dev.attentive.api.ItemFilter;
import dev.attentive.api.ItemId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Translates an {@link ItemFilter} and an exclusion list into the query DSL that goes into the
 * {@code filter} of the kNN query, where the engine applies it during the graph search (an efficient
 * filter: Lucene walks the graph accepting only matching documents, and scores them exactly when few
 * match), so a search returns k hits whenever k items are eligible.
 *
 * <p>The translation keeps {@link ItemFilter#matches}'s semantics: {@code equalTo}/{@code in} are
 * term(s) queries on the keyword field (any value of a multi-valued field matches), {@code range} an
 * inclusive range on the double field, a missing field matches no comparison, {@code not} is a
 * {@code must_not} (so it keeps items without the field), and exclusions are an {@code ids}
 * {@code must_not}.
 */
final class FilterTranslation {
    private FilterTranslation() {
    }

    /**
     * The filter clause, or {@code null} when every item is eligible.
     *
     * @param filter the filter
     * @param exclusions ids never returned
     * @return a JSON query object, or null
     */
    static String filter(ItemFilter filter, Set<ItemId> exclusions) {
        boolean all = filter instanceof ItemFilter.All;
        if (all && exclusions.isEmpty()) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        if (exclusions.isEmpty()) {
            return query(out, filter).toString();
        }
        out.append("{\"bool\":{");
        if (!all) {
            query(out.append("\"filter\":["), filter).append("],");
        }
        out.append("\"must_not\":[{\"ids\":{\"values\":[");
        boolean first = true;
        for (ItemId id : exclusions) {
            if (!first) {
                out.append(',');
            }
            first = false;
            JsonText.string(out, id.value());
        }
        return out.append("]}}]}}").toString();
    }

    /** Appends one filter as a query. */
    static StringBuilder query(StringBuilder out, ItemFilter filter) {
        switch (filter) {
            case ItemFilter.All a -> out.append("{\"match_all\":{}}");
            case ItemFilter.Equals e -> JsonText.string(JsonText.string(out.append("{\"term\":{"),
                    ItemDocuments.categoricalField(e.field())).append(':'), e.value()).append("}}");
            case ItemFilter.In in -> {
                JsonText.string(out.append("{\"terms\":{"), ItemDocuments.categoricalField(in.field())).append(":[");
                List<String> values = new ArrayList<>(in.values());
                values.sort(null);
                for (int i = 0; i < values.size(); i++) {
                    JsonText.string(i > 0 ? out.append(',') : out, values.get(i));
                }
                out.append("]}}");
            }
            case ItemFilter.Range r -> {
                JsonText.string(out.append("{\"range\":{"), ItemDocuments.numericField(r.field())).append(":{");
                boolean lower = Double.isFinite(r.min());
                if (lower) {
                    JsonText.number(out.append("\"gte\":"), r.min());
                }
                if (Double.isFinite(r.max())) {
                    JsonText.number(out.append(lower ? "," : "").append("\"lte\":"), r.max());
                }
                out.append("}}}");
            }
            case ItemFilter.And and -> {
                if (and.filters().isEmpty()) {
                    return out.append("{\"match_all\":{}}");
                }
                clauses(out.append("{\"bool\":{\"filter\":"), and.filters()).append("}}");
            }
            case ItemFilter.Or or -> {
                if (or.filters().isEmpty()) {
                    return out.append("{\"match_none\":{}}");
                }
                clauses(out.append("{\"bool\":{\"should\":"), or.filters()).append(",\"minimum_should_match\":1}}");
            }
            case ItemFilter.Not not -> query(out.append("{\"bool\":{\"must_not\":["), not.filter()).append("]}}");
        }
        return out;
    }

    private static StringBuilder clauses(StringBuilder out, List<ItemFilter> filters) {
        out.append('[');
        for (int i = 0; i < filters.size(); i++) {
            query(i > 0 ? out.append(',') : out, filters.get(i));
        }
        return out.append(']');
    }
}
