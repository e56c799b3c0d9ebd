package dev.attentive.examples;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.ProvisionException;
import dev.attentive.api.Recommender;
import dev.attentive.examples.service.RecommendationService;
import dev.attentive.examples.service.ServiceConfig;
import dev.attentive.examples.service.ServiceModule;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Serves the recommender an Attentive config file describes over HTTP until Ctrl-C (or, embedded,
 * until its thread is interrupted): the service example, {@link RecommendationService}, wired by
 * Guice ({@link ServiceModule}). Prints the address it listens on once it answers; on Ctrl-C it stops
 * listening, lets requests under way finish and closes the recommender (unlocking its index
 * directory).
 *
 * <p>Unless the JVM sets it, the command sets {@value #GUICE_BYTECODE} to {@code DISABLED} before
 * Guice first loads: the service uses no method interception, and Guice 7.0.0's generated classes go
 * through {@code sun.misc.Unsafe}, which prints four "terminally deprecated" warnings on JDK 24 and
 * later. Host apps that wire the service themselves can pass {@code -Dguice_bytecode_gen_option=DISABLED}.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve recommendations, similar items, catalogue updates and model swaps over HTTP (JSON) "
                + "from an Attentive config file, until Ctrl-C.")
final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", required = true,
            description = "The Attentive config file, JSON or YAML: the data or saved model (model.load), the model, the "
                    + "retriever and the index directory (see runtime/CONFIG.md)")
    Path config;

    @Option(names = "--port", defaultValue = "8080", description = "The port to listen on (default ${DEFAULT-VALUE}; 0 picks a free one)")
    int port;

    @Option(names = "--host", defaultValue = ServiceConfig.DEFAULT_HOST,
            description = "The address to listen on (default ${DEFAULT-VALUE}: loopback only, the service has no authentication)")
    String host;

    /** Guice's switch for generated classes (read once, when Guice first loads). */
    static final String GUICE_BYTECODE = "guice_bytecode_gen_option";

    @Override
    public Integer call() {
        if (System.getProperty(GUICE_BYTECODE) == null) {
            System.setProperty(GUICE_BYTECODE, "DISABLED");
        }
        ServiceConfig settings = new ServiceConfig(config, host, port);
        Injector injector = Guice.createInjector(new ServiceModule(settings));
        Recommender recommender;
        try {
            recommender = injector.getInstance(Recommender.class);
        } catch (ProvisionException e) {
            // The config's own exception (an invalid config is an IllegalArgumentException) says it all.
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
        RecommendationService service = injector.getInstance(RecommendationService.class);
        AtomicBoolean stopped = new AtomicBoolean();
        Runnable stop = () -> {
            if (stopped.compareAndSet(false, true)) {
                try (recommender) {
                    service.close();
                }
            }
        };
        Thread stopOnSignal = new Thread(stop, "attentive-serve-shutdown");
        boolean interrupted = false;
        try {
            InetSocketAddress address;
            try {
                address = service.start();
            } catch (UncheckedIOException e) {
                throw new IllegalArgumentException(e.getMessage(), e); // the port is taken or the host unknown: bad input
            }
            Runtime.getRuntime().addShutdownHook(stopOnSignal);
            PrintWriter out = spec.commandLine().getOut();
            out.printf("Serving %s on http://%s:%d/ (GET /recommend, GET /similar, GET|PUT|DELETE /items/{id}, "
                    + "POST /model, GET /health); Ctrl-C stops.%n", config, address.getHostString(), address.getPort());
            out.flush();
            service.awaitClose();
        } catch (InterruptedException e) {
            // Interrupted (an embedding thread stopping the command): stop serving and end normally.
            interrupted = true;
        } finally {
            removeHook(stopOnSignal);
            // Closed before the interrupt is restored: NIO channels refuse an interrupted thread, and a
            // retriever may do I/O when it closes (lucene-hnsw guards its own commit; another may not).
            stop.run();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        return 0;
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is shutting down (Ctrl-C): the hook is running or has run, nothing to remove.
        }
    }
}
