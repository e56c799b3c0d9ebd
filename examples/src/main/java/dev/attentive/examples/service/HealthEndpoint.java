package dev.attentive.examples.service;

import com.sun.net.httpserver.HttpExchange;
import dev.attentive.api.Recommender;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code GET /health}: {@code {"status": "ok", "catalogueSize": N}} while the service answers (the
 * size is null for a model whose catalogue is fixed and does not say).
 */
final class HealthEndpoint extends JsonEndpoint {
    private final Recommender recommender;

    HealthEndpoint(Recommender recommender) {
        super("/health", false, Set.of("GET"));
        this.recommender = recommender;
    }

    @Override
    Reply answer(String method, HttpExchange exchange) {
        ObjectNode body = Json.object().put("status", "ok");
        Catalogues.of(recommender).ifPresentOrElse(c -> body.put("catalogueSize", c.size()), () -> body.putNull("catalogueSize"));
        return Reply.ok(body);
    }
}
