package dev.attentive.examples.service;

import com.sun.net.httpserver.HttpExchange;
import java.util.Set;

/** {@code GET /}: the list of endpoints; every path no endpoint has is a 404 that lists them. */
final class IndexEndpoint extends JsonEndpoint {
    IndexEndpoint() {
        super("/", false, Set.of("GET"));
    }

    @Override
    Reply answer(String method, HttpExchange exchange) {
        return Reply.ok(Json.object().put("service", "attentive").put("endpoints", RecommendationService.ENDPOINTS));
    }
}
