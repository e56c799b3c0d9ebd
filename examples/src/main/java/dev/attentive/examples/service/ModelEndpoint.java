package dev.attentive.examples.service;

import com.sun.net.httpserver.HttpExchange;
import dev.attentive.api.Recommender;
import dev.attentive.model.ModelFormatException;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /model} with {@code {"path": "models/v2"}}: swaps the served model for the one saved in
 * that directory (a relative path is resolved against the config file's folder), and answers the
 * model, the catalogue size and, for the runtime's recommender, the new generation number. Requests
 * under way finish on the old model; the catalogue changes made so far are carried over. A directory
 * without a saved model, or a model that cannot be read, is a 400 naming it; a model the catalogue
 * changes do not fit is a 409 naming the change; either way the old model keeps serving. This is an
 * operator's endpoint: keep it off networks you do not trust.
 */
final class ModelEndpoint extends JsonEndpoint {
    private static final String ENDPOINT = "POST /model";
    private static final String EXAMPLE = "{\"path\": \"models/v2\"}";

    private final Recommender recommender;
    private final ModelSwap swap;
    private final Path baseDir;

    ModelEndpoint(Recommender recommender, ModelSwap swap, Path baseDir) {
        super("/model", false, Set.of("POST"));
        this.recommender = recommender;
        this.swap = swap;
        this.baseDir = baseDir;
    }

    @Override
    Reply answer(String method, HttpExchange exchange) throws IOException {
        ObjectNode given = Json.readObject(body(exchange), ENDPOINT, EXAMPLE);
        for (Map.Entry<String, JsonNode> e : given.properties()) {
            if (!e.getKey().equals("path")) {
                throw HttpError.badRequest("Unknown key '" + e.getKey() + "' in the body of " + ENDPOINT
                        + "; it takes only \"path\", e.g. " + EXAMPLE);
            }
        }
        JsonNode path = given.get("path");
        if (path == null || !path.isString() || path.stringValue().isBlank()) {
            throw HttpError.badRequest("The body of " + ENDPOINT + " needs \"path\": the directory of a saved model, e.g. "
                    + EXAMPLE);
        }
        Path dir;
        try {
            dir = baseDir.resolve(path.stringValue()).normalize();
        } catch (InvalidPathException e) {
            throw HttpError.badRequest("\"path\" in the body of " + ENDPOINT + " is not a valid path: " + e.getMessage());
        }
        try {
            swap.swap(dir);
        } catch (IllegalArgumentException e) {
            throw HttpError.badRequest(e.getMessage() + "; the previous model is still serving");
        } catch (IllegalStateException e) {
            throw HttpError.conflict(e.getMessage() + "; the previous model is still serving");
        } catch (ModelFormatException | NoSuchFileException | NotDirectoryException e) {
            throw HttpError.badRequest("Cannot serve the model in " + dir + ": " + e.getMessage()
                    + "; the previous model is still serving");
        }
        ObjectNode body = Json.object().put("model", dir.toString());
        Catalogues.of(recommender).ifPresentOrElse(c -> body.put("catalogueSize", c.size()), () -> body.putNull("catalogueSize"));
        RecommendationService.generation(recommender).ifPresent(g -> body.put("generation", g));
        return Reply.ok(body);
    }
}
