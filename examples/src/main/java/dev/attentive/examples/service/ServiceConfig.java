package dev.attentive.examples.service;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What the service serves and where it listens.
 *
 * @param attentiveConfig the Attentive config file (JSON or YAML, see {@code runtime/CONFIG.md}): the
 *     data or saved model, the model, the retriever and the index directory of the served
 *     {@code ServingRecommender}
 * @param host the address to listen on: a host name or IP literal
 * @param port the port, 0 to 65535 (0 lets the system choose a free one)
 */
public record ServiceConfig(Path attentiveConfig, String host, int port) {
    /** The host listened on by default: loopback, because the service has no authentication. */
    public static final String DEFAULT_HOST = "127.0.0.1";
    /** The port listened on by default. */
    public static final int DEFAULT_PORT = 8080;

    /** Validates. */
    public ServiceConfig {
        Objects.requireNonNull(attentiveConfig, "attentiveConfig");
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("The service's host must not be blank; use " + DEFAULT_HOST
                    + " for loopback only, or 0.0.0.0 for every interface");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("The service's port must be from 0 to 65535 (0 picks a free one), got " + port);
        }
    }

    /**
     * Serves an Attentive config file on {@value #DEFAULT_HOST}:{@value #DEFAULT_PORT}.
     *
     * @param attentiveConfig the config file
     * @return the config
     */
    public static ServiceConfig of(Path attentiveConfig) {
        return new ServiceConfig(attentiveConfig, DEFAULT_HOST, DEFAULT_PORT);
    }

    /**
     * This config listening on another port.
     *
     * @param newPort the port, 0 to 65535
     * @return the changed config
     */
    public ServiceConfig withPort(int newPort) {
        return new ServiceConfig(attentiveConfig, host, newPort);
    }

    /**
     * This config listening on another address.
     *
     * @param newHost a host name or IP literal
     * @return the changed config
     */
    public ServiceConfig withHost(String newHost) {
        return new ServiceConfig(attentiveConfig, newHost, port);
    }

    /**
     * The folder relative paths are resolved against, as the Attentive config does: the config file's.
     * {@code POST /model} resolves its {@code path} against it too.
     *
     * @return the absolute folder
     */
    public Path baseDir() {
        return attentiveConfig.toAbsolutePath().getParent();
    }
}
