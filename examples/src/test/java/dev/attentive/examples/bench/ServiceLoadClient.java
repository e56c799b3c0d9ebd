package dev.attentive.examples.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Measures a running {@code attentive serve} over loopback HTTP: for each kind of request, a warm-up
 * of 3,000 requests, then N requests from T client threads (each sending one after another over
 * keep-alive connections); prints p50, p90 and p99 latency and the throughput. Every reply must be a
 * 200. Not a test: latency is measured, never asserted. The requests assume the default synthetic
 * data (users {@code u0..u999}, items {@code i0..i499} in genres {@code g0..g7}, regions
 * {@code r0..r7}).
 *
 * <pre>{@code
 * java examples/src/test/java/dev/attentive/examples/bench/ServiceLoadClient.java http://127.0.0.1:8080/ 4000 1
 * }</pre>
 */
public final class ServiceLoadClient {
    private static final String[][] CASES = {
        {"recommend k=10", "recommend?user=u%d&k=10"},
        {"recommend k=10 filter+range", "recommend?user=u%d&k=10&filter=genre:g1&range=quality:0.5:"},
        {"recommend k=10 explain", "recommend?user=u%d&k=10&explain=true"},
        {"recommend anonymous", "recommend?features.region=r%d&features.age=30&recent=i1,i2&k=10"},
        {"similar k=10", "similar?item=i%d&k=10"},
        {"health", "health"}};

    private ServiceLoadClient() {
    }

    /**
     * Runs the measurement.
     *
     * @param args the service's base URL, the number of requests per kind, the number of client threads
     * @throws Exception when a request fails or a reply is not a 200
     */
    public static void main(String[] args) throws Exception {
        String base = args[0];
        int n = Integer.parseInt(args[1]);
        int threads = Integer.parseInt(args[2]);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        for (String[] c : CASES) {
            for (int w = 0; w < 3000; w++) {
                get(http, base, c[1], w);
            }
            int per = n / threads;
            long[] latency = new long[per * threads];
            List<Future<?>> running = new ArrayList<>();
            long start = System.nanoTime();
            try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
                for (int t = 0; t < threads; t++) {
                    int from = t * per;
                    running.add(pool.submit(() -> {
                        for (int i = from; i < from + per; i++) {
                            long s = System.nanoTime();
                            get(http, base, c[1], i);
                            latency[i] = System.nanoTime() - s;
                        }
                        return null;
                    }));
                }
                for (Future<?> f : running) {
                    f.get();
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            Arrays.sort(latency);
            System.out.printf(Locale.ROOT, "%-28s n=%d threads=%d  p50 %.2f ms  p90 %.2f ms  p99 %.2f ms  %.0f req/s%n",
                    c[0], latency.length, threads, latency[latency.length / 2] / 1e6,
                    latency[(int) (latency.length * 0.9)] / 1e6, latency[(int) (latency.length * 0.99)] / 1e6,
                    latency.length / seconds);
        }
    }

    private static void get(HttpClient http, String base, String template, int i) throws Exception {
        int arg = template.startsWith("similar") ? i % 500 : template.contains("region") ? i % 8 : i % 1000;
        String path = template.contains("%d") ? String.format(Locale.ROOT, template, arg) : template;
        HttpResponse<String> reply = http.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (reply.statusCode() != 200) {
            throw new IllegalStateException(path + " answered " + reply.statusCode() + ": " + reply.body());
        }
    }
}
