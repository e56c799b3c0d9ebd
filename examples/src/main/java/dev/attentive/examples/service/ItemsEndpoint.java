package dev.attentive.examples.service;

import com.sun.net.httpserver.HttpExchange;
import dev.attentive.api.Features;
import dev.attentive.api.ItemCatalogue;
import dev.attentive.api.ItemId;
import dev.attentive.api.Recommender;
import java.io.IOException;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code /items/{id}}: the living catalogue. {@code GET} answers the item's features (404 when absent);
 * {@code PUT} with a JSON object of features, typed by the catalogue's schema, adds the item (201) or
 * replaces it (200), recommendable and similar-searchable from the reply on; {@code DELETE} removes it
 * (204, or 404 when absent). The id is the rest of the path, percent-decoded ({@code %2F} for a
 * {@code /} in an id).
 */
final class ItemsEndpoint extends JsonEndpoint {
    static final String PATH = "/items/";
    private static final String EXAMPLE = "{\"genre\": \"Drama\", \"year\": 1994, \"tags\": [\"a\", \"b\"]}";

    private final Recommender recommender;

    ItemsEndpoint(Recommender recommender) {
        super(PATH, true, Set.of("GET", "PUT", "DELETE"));
        this.recommender = recommender;
    }

    @Override
    Reply answer(String method, HttpExchange exchange) throws IOException {
        String id = exchange.getRequestURI().getPath().substring(PATH.length());
        if (id.isBlank()) {
            throw HttpError.badRequest(method + " " + PATH + "{id} needs a non-blank item id after " + PATH);
        }
        ItemId item = ItemId.of(id);
        String endpoint = method + " " + PATH + id;
        ItemCatalogue catalogue = Catalogues.required(recommender, endpoint);
        return switch (method) {
            case "GET" -> {
                Features features = catalogue.features(item).orElseThrow(() -> Catalogues.unknownItem(item, catalogue));
                ObjectNode body = Json.object().put("item", id);
                body.set("features", Json.features(features));
                yield Reply.ok(body);
            }
            case "PUT" -> {
                ObjectNode given = Json.readObject(body(exchange), endpoint, EXAMPLE);
                Features features = Json.features(given, catalogue.schema(), endpoint);
                boolean added = catalogue.put(item, features);
                ObjectNode body = Json.object().put("item", id).put("added", added).put("catalogueSize", catalogue.size());
                body.set("features", Json.features(features));
                yield new Reply(added ? 201 : 200, body);
            }
            case "DELETE" -> {
                if (!catalogue.remove(item)) {
                    throw Catalogues.unknownItem(item, catalogue);
                }
                yield new Reply(204, null);
            }
            default -> throw new IllegalStateException("routed " + method);
        };
    }
}
