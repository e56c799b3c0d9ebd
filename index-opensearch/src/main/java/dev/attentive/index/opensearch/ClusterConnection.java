package dev.attentive.index.opensearch;

import dev.attentive.index.opensearch.OpenSearchRetrieverProvider.Config;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.message.BasicHeader;
import org.apache.hc.core5.util.Timeout;
import org.opensearch.client.opensearch.generic.Body;
import org.opensearch.client.opensearch.generic.OpenSearchGenericClient;
import org.opensearch.client.opensearch.generic.Requests;
import org.opensearch.client.opensearch.generic.Response;
import org.opensearch.client.transport.httpclient5.ApacheHttpClient5Transport;
import org.opensearch.client.transport.httpclient5.ApacheHttpClient5TransportBuilder;
import org.opensearch.client.transport.httpclient5.ResponseException;

/**
 * One HTTP(S) connection pool to the cluster, through opensearch-java's
 * {@link ApacheHttpClient5Transport}: it ships inside opensearch-java (no second client library, unlike
 * the low-level rest client), sends each request to the next live endpoint and retries on another one
 * when an endpoint refuses the connection, which is what keeps searches answered while a node is down.
 * Requests are plain JSON through the generic client, so every body the retriever sends is visible in
 * one place. Transport failures become {@link UncheckedIOException}s naming the endpoints and the
 * setting; HTTP errors are returned as {@link Reply}s for the caller to judge. Thread safe.
 */
final class ClusterConnection implements AutoCloseable {
    private static final String JSON = "application/json";
    private static final String NDJSON = "application/x-ndjson";

    private final Config config;
    private final ApacheHttpClient5Transport transport;
    private final OpenSearchGenericClient client;

    /** An HTTP answer: the status and the parsed JSON body ({@link JsonValue#EMPTY_JSON_OBJECT} when none). */
    record Reply(int status, JsonObject body) {
        boolean ok() {
            return status >= 200 && status < 300;
        }

        /** The error's type and reason as OpenSearch reports them, for messages. */
        String reason() {
            JsonValue error = body.get("error");
            if (error instanceof JsonObject e) {
                JsonValue root = e.get("root_cause");
                String type = e.getString("type", "error");
                String reason = e.getString("reason", "");
                if (root != null && root.getValueType() == JsonValue.ValueType.ARRAY && !root.asJsonArray().isEmpty()
                        && root.asJsonArray().get(0) instanceof JsonObject first && reason.isEmpty()) {
                    reason = first.getString("reason", "");
                }
                return type + (reason.isEmpty() ? "" : ": " + reason);
            }
            return error == null ? body.toString() : error.toString();
        }
    }

    ClusterConnection(Config config) {
        this.config = config;
        List<URI> uris = config.endpointList();
        HttpHost[] hosts = new HttpHost[uris.size()];
        for (int i = 0; i < hosts.length; i++) {
            URI u = uris.get(i);
            int port = u.getPort() >= 0 ? u.getPort() : ("https".equalsIgnoreCase(u.getScheme()) ? 443 : 80);
            hosts[i] = new HttpHost(u.getScheme().toLowerCase(java.util.Locale.ROOT), u.getHost(), port);
        }
        ApacheHttpClient5TransportBuilder builder = ApacheHttpClient5TransportBuilder.builder(hosts)
                .setRequestConfigCallback(b -> b.setResponseTimeout(Timeout.ofMilliseconds(config.requestTimeoutMs()))
                        .setConnectionRequestTimeout(Timeout.ofMilliseconds(config.requestTimeoutMs())))
                .setConnectionConfigCallback(b -> b.setConnectTimeout(Timeout.ofMilliseconds(config.connectTimeoutMs())));
        if (!config.username().isEmpty()) {
            String password = System.getenv(config.passwordEnv());
            if (password == null) {
                throw new IllegalStateException("opensearch: passwordEnv names the environment variable '"
                        + config.passwordEnv() + "', which is not set; export it with the password of user '"
                        + config.username() + "' before starting the application");
            }
            String token = Base64.getEncoder().encodeToString((config.username() + ":" + password)
                    .getBytes(StandardCharsets.UTF_8));
            builder.setDefaultHeaders(new Header[] {new BasicHeader("Authorization", "Basic " + token)});
        }
        this.transport = builder.build();
        this.client = new OpenSearchGenericClient(transport);
    }

    /** The endpoints, as the message of a transport failure names them. */
    String endpoints() {
        return config.endpoints();
    }

    Reply get(String path) {
        return send("GET", path, Map.of(), null, JSON);
    }

    Reply send(String method, String path, Map<String, String> query, String json) {
        return send(method, path, query, json, JSON);
    }

    Reply bulk(String path, Map<String, String> query, String ndjson) {
        return send("POST", path, query, ndjson, NDJSON);
    }

    /** Sends and checks: a non-2xx status becomes an {@link IllegalStateException} naming what was asked. */
    JsonObject expectOk(String method, String path, Map<String, String> query, String json, String what) {
        Reply reply = send(method, path, query, json, JSON);
        if (!reply.ok()) {
            throw new IllegalStateException("OpenSearch at " + config.endpoints() + " refused to " + what + " ("
                    + method + " " + path + " -> HTTP " + reply.status() + " " + reply.reason() + ")");
        }
        return reply.body();
    }

    private Reply send(String method, String path, Map<String, String> query, String body, String contentType) {
        var request = Requests.builder().method(method).endpoint(path).query(query);
        if (body != null) {
            request.body(Body.from(body.getBytes(StandardCharsets.UTF_8), contentType));
        }
        try (Response response = client.execute(request.build())) {
            byte[] bytes = new byte[0];
            if (response.getBody().isPresent()) {
                try (Body b = response.getBody().get()) {
                    bytes = b.bodyAsBytes();
                }
            }
            return new Reply(response.getStatus(), parse(method, path, bytes));
        } catch (ResponseException e) {
            // The transport reports some HTTP errors (409 among them) as exceptions: still an answer. Its
            // response type is not exported, but the message ends with the body.
            String message = String.valueOf(e.getMessage());
            int start = message.indexOf("\n{");
            byte[] bytes = start < 0 ? new byte[0] : message.substring(start + 1).getBytes(StandardCharsets.UTF_8);
            return new Reply(e.status(), parse(method, path, bytes));
        } catch (IOException e) {
            throw unreachable(method + " " + path, e);
        }
    }

    private JsonObject parse(String method, String path, byte[] bytes) {
        if (bytes.length == 0 || bytes[0] != '{') {
            return JsonValue.EMPTY_JSON_OBJECT;
        }
        try (JsonReader reader = Json.createReader(new ByteArrayInputStream(bytes))) {
            return reader.readObject();
        } catch (JsonException e) {
            throw new IllegalStateException("OpenSearch at " + config.endpoints() + " answered " + method + " " + path
                    + " with a body that is not JSON: " + e.getMessage(), e);
        }
    }

    private UncheckedIOException unreachable(String what, IOException e) {
        return new UncheckedIOException("Cannot reach OpenSearch at " + config.endpoints() + " (setting 'endpoints') for "
                + what + ": " + describe(e) + ". Check that the cluster is running and that 'endpoints' lists its "
                + "HTTP addresses (http(s)://host:port, comma-separated)", e);
    }

    private static String describe(Throwable e) {
        StringBuilder out = new StringBuilder();
        for (Throwable t = e; t != null && out.length() < 400; t = t.getCause()) {
            if (!out.isEmpty()) {
                out.append(" <- ");
            }
            out.append(t.getClass().getSimpleName()).append(t.getMessage() == null ? "" : ": " + t.getMessage());
        }
        return out.toString();
    }

    @Override
    public void close() {
        try {
            transport.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Closing the OpenSearch client for " + config.endpoints() + " failed", e);
        }
    }
}
