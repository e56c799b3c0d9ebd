package dev.attentive.examples.service;

import com.sun.net.httpserver.HttpExchange;
import dev.attentive.api.Recommender;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code GET /health}: {@code {"status": "ok", "catalogueSize": N, "generation": G}} while the service
 * answers. The size is null for a model whose catalogue is fixed; the generation (1 for the first
 * model, one more after each swap) is there when the runtime's recommender is served.
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
        RecommendationService.generation(recommender).ifPresent(g -> body.put("generation", g));
        return Reply.ok(body);
    }
}
