package dev.attentive.examples.service;

import com.sun.net.httpserver.HttpExchange;
import dev.attentive.api.ItemCatalogue;
import dev.attentive.api.ItemFilter;
import dev.attentive.api.ItemId;
import dev.attentive.api.Recommender;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code GET /similar}: the items most similar to an item, never the item itself. Parameters:
 * {@code item} (required), {@code k} (1 to {@value RecommendationService#MAX_K}, default 10) and the
 * filter of {@link FilterParameters}. An item the catalogue does not hold is a 404.
 */
final class SimilarEndpoint extends JsonEndpoint {
    private static final String ENDPOINT = "GET /similar";
    private static final Set<String> NAMES;

    static {
        Set<String> names = new HashSet<>(Set.of("item", "k"));
        names.addAll(FilterParameters.NAMES);
        NAMES = Set.copyOf(names);
    }

    private final Recommender recommender;

    SimilarEndpoint(Recommender recommender) {
        super("/similar", false, Set.of("GET"));
        this.recommender = recommender;
    }

    @Override
    Reply answer(String method, HttpExchange exchange) {
        QueryParameters query = QueryParameters.parse(ENDPOINT, exchange.getRequestURI().getRawQuery());
        query.requireKnown(NAMES, Set.of());
        ItemId item = ItemId.of(query.required("item", "/similar?item=42&k=10").strip());
        int k = query.integer("k", 10, 1, RecommendationService.MAX_K);
        ItemFilter filter = FilterParameters.parse(query);
        Optional<ItemCatalogue> catalogue = Catalogues.of(recommender);
        if (catalogue.isPresent()) {
            filter.checkAgainst(catalogue.get().schema());
            if (!catalogue.get().contains(item)) {
                throw Catalogues.unknownItem(item, catalogue.get());
            }
        }
        ObjectNode body = Json.object().put("item", item.value());
        body.set("items", Json.recommendations(recommender.similarItems(item, k, filter)));
        return Reply.ok(body);
    }
}
