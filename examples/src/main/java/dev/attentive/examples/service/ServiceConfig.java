package dev.attentive.examples.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * What the service serves and where it listens, read from a JSON file:
 *
 * <pre>{@code
 * {
 *   "model": "models/current",   // a saved model directory, relative to this file's folder
 *   "host": "127.0.0.1",         // default 127.0.0.1 (loopback only)
 *   "port": 8080                 // default 8080; 0 picks a free port
 * }
 * }</pre>
 *
 * @param model the directory of the saved model served at start
 * @param host the address to listen on: a host name or IP literal
 * @param port the port, 0 to 65535 (0 lets the system choose)
 * @param baseDir the folder relative paths are resolved against: the config file's folder (also for
 *     {@code POST /model})
 */
public record ServiceConfig(Path model, String host, int port, Path baseDir) {
    /** The host listened on when the config names none: loopback, since the service has no authentication. */
    public static final String DEFAULT_HOST = "127.0.0.1";
    /** The port listened on when the config names none. */
    public static final int DEFAULT_PORT = 8080;
    private static final Set<String> KEYS = Set.of("model", "host", "port");

    /** Validates. */
    public ServiceConfig {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(baseDir, "baseDir");
        if (host.isBlank()) {
            throw new IllegalArgumentException("The service's host must not be blank; use " + DEFAULT_HOST
                    + " for loopback or 0.0.0.0 for every interface");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("The service's port must be from 0 to 65535 (0 picks a free one), got " + port);
        }
    }

    /**
     * Reads a config file, reporting every problem in it at once.
     *
     * @param file the JSON file
     * @return the config, with relative paths resolved against the file's folder
     * @throws IllegalArgumentException naming the file, the key and the fix when the file is missing,
     *     not JSON or not a valid config
     * @throws IOException when the file cannot be read
     */
    public static ServiceConfig read(Path file) throws IOException {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("Service config " + file + " does not exist; write one such as "
                    + "{\"model\": \"models/current\", \"port\": 8080}");
        } catch (JacksonException e) {
            throw new IllegalArgumentException("Service config " + file + " is not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("Service config " + file + " must be a JSON object such as "
                    + "{\"model\": \"models/current\", \"port\": 8080}");
        }
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            if (!KEYS.contains(e.getKey())) {
                problems.add("unknown key '" + e.getKey() + "' (the keys are host, model, port)");
            }
        }
        JsonNode model = root.get("model");
        if (model == null || !model.isString() || model.stringValue().isBlank()) {
            problems.add("\"model\" must name the directory of a saved model, e.g. \"model\": \"models/current\"");
        }
        JsonNode host = root.get("host");
        if (host != null && (!host.isString() || host.stringValue().isBlank())) {
            problems.add("\"host\" must be a host name or IP address, e.g. \"host\": \"127.0.0.1\"");
        }
        JsonNode port = root.get("port");
        if (port != null && (!port.isIntegralNumber() || port.asLong() < 0 || port.asLong() > 65535)) {
            problems.add("\"port\" must be a whole number from 0 to 65535, got " + port);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Service config " + file + ": " + String.join("; ", problems));
        }
        Path baseDir = file.toAbsolutePath().getParent();
        return new ServiceConfig(baseDir.resolve(model.stringValue()).normalize(),
                host == null ? DEFAULT_HOST : host.stringValue(),
                port == null ? DEFAULT_PORT : port.intValue(), baseDir);
    }

    /**
     * This config listening on another port.
     *
     * @param newPort the port, 0 to 65535
     * @return the changed config
     */
    public ServiceConfig withPort(int newPort) {
        return new ServiceConfig(model, host, newPort, baseDir);
    }

    /**
     * This config listening on another address.
     *
     * @param newHost a host name or IP literal
     * @return the changed config
     */
    public ServiceConfig withHost(String newHost) {
        return new ServiceConfig(model, newHost, port, baseDir);
    }
}
