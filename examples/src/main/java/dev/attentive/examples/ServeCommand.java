package dev.attentive.examples;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.ProvisionException;
import dev.attentive.api.Recommender;
import dev.attentive.examples.service.RecommendationService;
import dev.attentive.examples.service.ServiceConfig;
import dev.attentive.examples.service.ServiceModule;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Serves a saved model over HTTP until Ctrl-C (or, embedded, until its thread is interrupted): the
 * service example, {@link RecommendationService}, wired by Guice from a config file. Prints the
 * address it listens on once it answers.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve recommendations, similar items, catalogue updates and model swaps over HTTP (JSON) "
                + "until Ctrl-C.")
final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", required = true,
            description = "The service config, JSON: {\"model\": \"DIR\", \"host\": \"127.0.0.1\", \"port\": 8080}")
    Path config;

    @Option(names = "--port", description = "Listen on this port instead of the config's (0 picks a free one)")
    Integer port;

    @Option(names = "--host", description = "Listen on this address instead of the config's (default 127.0.0.1)")
    String host;

    @Override
    public Integer call() throws IOException, InterruptedException {
        ServiceConfig settings = ServiceConfig.read(config);
        if (port != null) {
            settings = settings.withPort(port);
        }
        if (host != null) {
            settings = settings.withHost(host);
        }
        Injector injector = Guice.createInjector(new ServiceModule(settings));
        Recommender recommender;
        try {
            recommender = injector.getInstance(Recommender.class);
        } catch (ProvisionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IllegalArgumentException(cause.getMessage() + " (config " + config + ")", cause);
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
        try {
            InetSocketAddress address = service.start();
            Runtime.getRuntime().addShutdownHook(stopOnSignal);
            PrintWriter out = spec.commandLine().getOut();
            out.printf("Serving %s on http://%s:%d/ (GET /recommend, GET /similar, GET|PUT|DELETE /items/{id}, "
                    + "POST /model, GET /health); Ctrl-C stops.%n", settings.model(), address.getHostString(), address.getPort());
            out.flush();
            service.awaitClose();
        } catch (InterruptedException e) {
            // Interrupted (an embedding thread stopping the command): stop serving and end normally.
            Thread.currentThread().interrupt();
        } finally {
            removeHook(stopOnSignal);
            stop.run();
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
