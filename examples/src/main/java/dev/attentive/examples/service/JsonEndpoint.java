package dev.attentive.examples.service;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One endpoint (a path, or a path prefix such as {@code /items/}) that answers in JSON. Errors become
 * {@code {"status": 400, "error": "…"}} replies: an {@link HttpError} with its status, an
 * {@link IllegalArgumentException} from the recommender (bad input it found: an unknown feature, a
 * filter on an unknown field) as 400, an {@link UnsupportedOperationException} (the recommender
 * cannot do it) as 501, anything else as 500, logged.
 */
abstract class JsonEndpoint implements HttpHandler {
    private static final System.Logger LOG = System.getLogger(RecommendationService.class.getName());
    /** Request bodies larger than this are refused: item features and model paths are small. */
    static final int MAX_BODY_BYTES = 1 << 20;

    private final String path;
    private final boolean prefix;
    private final Set<String> methods;

    /**
     * @param path the path this endpoint answers
     * @param prefix whether paths below {@code path} are this endpoint's too (then path ends with /)
     * @param methods the methods it answers
     */
    JsonEndpoint(String path, boolean prefix, Set<String> methods) {
        this.path = path;
        this.prefix = prefix;
        this.methods = new TreeSet<>(methods);
    }

    /** What an endpoint answers: a status and a JSON body, or no body (null) for 204. */
    record Reply(int status, JsonNode body) {
        static Reply ok(JsonNode body) {
            return new Reply(200, body);
        }
    }

    /**
     * Answers a request whose method is one of this endpoint's and whose path is its own.
     *
     * @param method the request method
     * @param exchange the exchange, to read the path, query and body from (not to reply on)
     */
    abstract Reply answer(String method, HttpExchange exchange) throws IOException;

    @Override
    public final void handle(HttpExchange exchange) throws IOException {
        Reply reply;
        try {
            reply = route(exchange);
        } catch (HttpError e) {
            reply = error(e.status, e.getMessage());
        } catch (IllegalArgumentException e) {
            reply = error(400, e.getMessage());
        } catch (UnsupportedOperationException e) {
            reply = error(501, e.getMessage());
        } catch (RuntimeException | IOException e) {
            LOG.log(System.Logger.Level.ERROR, "Failed to answer " + exchange.getRequestMethod() + " "
                    + exchange.getRequestURI(), e);
            reply = error(500, "Internal error answering " + exchange.getRequestMethod() + " " + exchange.getRequestURI()
                    .getPath() + ": " + e + "; the service's log has the stack trace");
        }
        send(exchange, reply);
    }

    private Reply route(HttpExchange exchange) throws IOException {
        String requested = exchange.getRequestURI().getPath();
        boolean mine = prefix ? requested.startsWith(path) && requested.length() > path.length() : requested.equals(path);
        if (!mine) {
            throw HttpError.notFound("No endpoint at " + requested + "; " + RecommendationService.ENDPOINTS);
        }
        String method = exchange.getRequestMethod();
        if (!methods.contains(method)) {
            exchange.getResponseHeaders().set("Allow", String.join(", ", methods));
            throw HttpError.methodNotAllowed(requested + " answers " + String.join(", ", methods) + ", not " + method);
        }
        return answer(method, exchange);
    }

    /** The request body, at most {@link #MAX_BODY_BYTES}. */
    static byte[] body(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                throw HttpError.badRequest("The request body is larger than " + MAX_BODY_BYTES + " bytes; send less");
            }
            return body;
        }
    }

    static Reply error(int status, String message) {
        ObjectNode body = Json.object().put("status", status).put("error", message);
        return new Reply(status, body);
    }

    private static void send(HttpExchange exchange, Reply reply) throws IOException {
        try (exchange) {
            if (reply.body() == null) {
                exchange.sendResponseHeaders(reply.status(), -1);
                return;
            }
            byte[] bytes = Json.write(reply.body());
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            exchange.sendResponseHeaders(reply.status(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
