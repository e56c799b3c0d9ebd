package dev.attentive.examples.service;

import com.sun.net.httpserver.HttpServer;
import dev.attentive.api.Recommender;
import dev.attentive.runtime.ServingRecommender;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A recommender served over HTTP with JSON replies, on the JDK's {@code com.sun.net.httpserver}; each
 * request runs on its own virtual thread. The endpoints:
 * <ul>
 *   <li>{@code GET /recommend?user=42&k=10} — recommendations with their {@code basis}
 *       ({@code KNOWN_USER}, {@code REQUEST_CONTEXT}, {@code FALLBACK} or {@code UNREPORTED}),
 *       {@code fallback} and {@code unknownRecentItems}; also {@code recent=ID,ID},
 *       {@code features.NAME=VALUE}, {@code exclude=ID,ID}, {@code excludeSeen=false},
 *       {@code explain=true} and the filters {@code filter=FIELD:VALUE[,VALUE]},
 *       {@code not=FIELD:VALUE[,VALUE]}, {@code range=FIELD:MIN:MAX} (see {@link RecommendEndpoint});</li>
 *   <li>{@code GET /similar?item=7&k=10} — similar items, with the same filters;</li>
 *   <li>{@code GET|PUT|DELETE /items/{id}} — read, add or replace (a JSON object of features), remove
 *       an item of the living catalogue;</li>
 *   <li>{@code POST /model} with {@code {"path": "models/v2"}} — swap the served model;</li>
 *   <li>{@code GET /health} — liveness, catalogue size and model generation.</li>
 * </ul>
 * Errors are {@code {"status": N, "error": "…"}} with a message that says what to send instead: 400
 * for bad input (including the recommender's own, such as a filter on an unknown field), 404 for an
 * unknown path or item, 405 for a wrong method, 409 for a model swap the catalogue changes do not
 * fit, 501 for what the served model cannot do (a fixed catalogue), 500 for a failure of the service
 * (logged through {@link System.Logger}).
 *
 * <p>Replies go out with TCP_NODELAY: loading this class sets the JDK server's
 * {@code sun.net.httpserver.nodelay} property unless it is set already, which takes effect when it
 * comes before the JVM's first {@code HttpServer} (as in {@code attentive serve}); a host that starts
 * another JDK HTTP server first passes {@code -Dsun.net.httpserver.nodelay=true} itself, or large
 * replies (explanations) wait about 40 ms each for the client's delayed acknowledgement.
 *
 * <p>Thread safe. The service does not own the recommender: whoever created it closes it after
 * {@link #close()}.
 */
public final class RecommendationService implements AutoCloseable {
    /** The largest {@code k} a request may ask for. */
    public static final int MAX_K = 1000;
    private static final String NO_DELAY = "sun.net.httpserver.nodelay";
    static final String ENDPOINTS = "the endpoints are GET /recommend, GET /similar, GET|PUT|DELETE /items/{id}, "
            + "POST /model and GET /health";
    private static final System.Logger LOG = System.getLogger(RecommendationService.class.getName());

    static {
        // The JDK server writes a reply's headers and body separately and leaves Nagle's algorithm on
        // by default, so a large body waits for the client's delayed ACK of the headers: an explained
        // /recommend (k=10) took 44 ms at p50 on loopback, 0.45 ms with TCP_NODELAY.
        // The JDK reads this property once, when the first HttpServer of the JVM starts.
        if (System.getProperty(NO_DELAY) == null) {
            System.setProperty(NO_DELAY, "true");
        }
    }

    private final Recommender recommender;
    private final ModelSwap swap;
    private final ServiceConfig config;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private HttpServer server;
    private ExecutorService executor;

    /**
     * A service, not yet listening.
     *
     * @param recommender the recommender to serve, which {@code swap} replaces the model of
     * @param swap what {@code POST /model} calls
     * @param config where to listen, and the folder {@code POST /model} resolves relative paths against
     */
    public RecommendationService(Recommender recommender, ModelSwap swap, ServiceConfig config) {
        this.recommender = Objects.requireNonNull(recommender, "recommender");
        this.swap = Objects.requireNonNull(swap, "swap");
        this.config = Objects.requireNonNull(config, "config");
    }

    /** The serving generation of the runtime's recommender; empty for any other. */
    static OptionalLong generation(Recommender recommender) {
        return recommender instanceof ServingRecommender serving ? OptionalLong.of(serving.generation()) : OptionalLong.empty();
    }

    /**
     * Starts listening on the config's host and port.
     *
     * @return the address bound, with the actual port when the config's is 0
     * @throws UncheckedIOException when the address cannot be bound (the message names it)
     * @throws IllegalStateException when the service was started before
     */
    public synchronized InetSocketAddress start() {
        if (server != null || stopped.getCount() == 0) {
            throw new IllegalStateException("The service was started before; create another one to serve again");
        }
        InetSocketAddress address = new InetSocketAddress(config.host(), config.port());
        HttpServer created;
        try {
            created = HttpServer.create(address, 0);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot listen on " + config.host() + ":" + config.port() + " (" + e.getMessage()
                    + "); choose another port (attentive serve --port; 0 picks a free one) or host", e);
        }
        created.createContext("/", new IndexEndpoint());
        created.createContext("/recommend", new RecommendEndpoint(recommender));
        created.createContext("/similar", new SimilarEndpoint(recommender));
        created.createContext(ItemsEndpoint.PATH, new ItemsEndpoint(recommender));
        created.createContext("/model", new ModelEndpoint(recommender, swap, config.baseDir()));
        created.createContext("/health", new HealthEndpoint(recommender));
        executor = Executors.newVirtualThreadPerTaskExecutor();
        created.setExecutor(executor);
        created.start();
        server = created;
        LOG.log(System.Logger.Level.INFO, "Serving recommendations on {0}", created.getAddress());
        return created.getAddress();
    }

    /**
     * The address the service listens on.
     *
     * @return the bound address
     * @throws IllegalStateException before {@link #start()}
     */
    public synchronized InetSocketAddress address() {
        if (server == null) {
            throw new IllegalStateException("The service is not started; call start() first");
        }
        return server.getAddress();
    }

    /**
     * Waits until {@link #close()} has stopped the service.
     *
     * @throws InterruptedException when the waiting thread is interrupted
     */
    public void awaitClose() throws InterruptedException {
        stopped.await();
    }

    /**
     * Stops listening, lets the requests under way finish (for up to a second) and releases the threads.
     * Idempotent; does not close the recommender.
     */
    @Override
    public synchronized void close() {
        if (stopped.getCount() == 0) {
            return;
        }
        try {
            if (server != null) {
                InetSocketAddress address = server.getAddress();
                server.stop(1);
                executor.close();
                LOG.log(System.Logger.Level.INFO, "Stopped serving on {0}", address);
            }
        } finally {
            stopped.countDown();
        }
    }
}
