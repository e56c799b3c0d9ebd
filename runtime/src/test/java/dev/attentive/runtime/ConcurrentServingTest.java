package dev.attentive.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attentive.api.Dataset;
import dev.attentive.api.Features;
import dev.attentive.api.ItemId;
import dev.attentive.api.Recommendation;
import dev.attentive.api.RecommendationRequest;
import dev.attentive.api.Recommender;
import dev.attentive.api.UserId;
import dev.attentive.api.spi.ProviderRegistry;
import dev.attentive.api.spi.TrainingContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Eight threads ask for recommendations for 30 s (system property {@code attentive.stress.seconds})
 * while another thread puts, updates and removes items and the model is swapped twice, on a
 * persistent index directory with the {@code lucene-hnsw} retriever. Three models are trained on the
 * same users but disjoint item ids ({@code g1-…}, {@code g2-…}, {@code g3-…}); items put while serving
 * ({@code new-…}) are in every model (the swap replays them). Checked on every answer:
 * <ul>
 *   <li>no request fails;</li>
 *   <li>no answer mixes models: its trained items all carry one generation's prefix;</li>
 *   <li>an answer that started after a swap returned comes from the new model (or a later one);</li>
 *   <li>no answer that started after an item's removal returned holds that item.</li>
 * </ul>
 * Removal targets are drawn from recent answers, so that removed items are ones requests return.
 * Throughput and latency percentiles are printed, not asserted.
 */
class ConcurrentServingTest {
    private static final int READERS = 8;

    @TempDir
    Path tmp;

    private static Recommender train(Dataset data) {
        return ProviderRegistry.models().get("two-tower").train(data, Fixtures.SMALL_MODEL,
                new TrainingContext(7, 1, r -> Double.NaN, s -> { }));
    }

    private static Features features(SplittableRandom random) {
        return Features.builder().categorical("genre", "g" + random.nextInt(4)).numeric("quality", random.nextDouble())
                .categorical("color", "c" + random.nextInt(6)).multi("tags", List.of("tag" + random.nextInt(20)))
                .numeric("weight", random.nextInt(100) / 10.0).build();
    }

    /** The generation prefix of a trained item, or null for an item put while serving. */
    private static String prefix(ItemId item) {
        String v = item.value();
        return v.startsWith("new-") ? null : v.substring(0, v.indexOf('-'));
    }

    @Test
    void eightReadersOneWriterTwoSwapsNoErrorNoMixNoRemovedItem() throws Exception {
        long seconds = Long.getLong("attentive.stress.seconds", 30);
        // 0 (the default): the writer changes the catalogue as fast as it can, the harshest case for races.
        long changesPerSecond = Long.getLong("attentive.stress.changesPerSecond", 0);
        Dataset g1 = Fixtures.prefixItems(Fixtures.small(11), "g1-");
        Recommender m2 = train(Fixtures.prefixItems(Fixtures.small(12), "g2-"));
        Recommender m3 = train(Fixtures.prefixItems(Fixtures.small(13), "g3-"));

        Map<ItemId, Long> removedAt = new ConcurrentHashMap<>();
        AtomicReferenceArray<ItemId> recent = new AtomicReferenceArray<>(256);
        AtomicLong recentCursor = new AtomicLong();
        Errors errors = new Errors();
        AtomicLongArray swapDoneAt = new AtomicLongArray(4); // by generation: when its swap returned
        for (int g = 0; g < 4; g++) {
            swapDoneAt.set(g, Long.MAX_VALUE);
        }
        AtomicLong requests = new AtomicLong();
        List<long[]> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicLong puts = new AtomicLong();
        AtomicLong updates = new AtomicLong();
        AtomicLong removes = new AtomicLong();

        try (ServingRecommender served = Fixtures.builder(g1).retriever("lucene-hnsw[fanout=20]")
                .indexDirectory(tmp.resolve("serving")).build()) {
            long start = System.nanoTime();
            long end = start + TimeUnit.SECONDS.toNanos(seconds);
            CountDownLatch done = new CountDownLatch(READERS + 1);
            for (int t = 0; t < READERS; t++) {
                long seed = t;
                Thread.ofPlatform().name("reader-" + t).start(() -> {
                    SplittableRandom random = new SplittableRandom(seed);
                    long[] own = new long[1 << 18];
                    int n = 0;
                    try {
                        while (System.nanoTime() < end) {
                            UserId user = UserId.of("u" + random.nextInt(80));
                            long t0 = System.nanoTime();
                            List<Recommendation> answer;
                            try {
                                answer = served.recommend(RecommendationRequest.forUser(user).k(10).build());
                            } catch (RuntimeException e) {
                                errors.add("request failed: " + e);
                                continue;
                            }
                            long t1 = System.nanoTime();
                            if (n < own.length) {
                                own[n++] = t1 - t0;
                            }
                            requests.incrementAndGet();
                            Set<String> prefixes = new HashSet<>();
                            for (Recommendation r : answer) {
                                String p = prefix(r.item());
                                if (p != null) {
                                    prefixes.add(p);
                                }
                                Long gone = removedAt.get(r.item());
                                if (gone != null && gone < t0) {
                                    errors.add("removed item " + r.item() + " answered " + (t0 - gone) / 1000
                                            + " us after its removal returned");
                                }
                                recent.set((int) (recentCursor.getAndIncrement() & 255), r.item());
                            }
                            if (prefixes.size() > 1) {
                                errors.add("an answer mixes models: " + prefixes);
                            }
                            long minimum = t0 > swapDoneAt.get(3) ? 3 : t0 > swapDoneAt.get(2) ? 2 : 1;
                            for (String p : prefixes) {
                                if (Integer.parseInt(p.substring(1)) < minimum) {
                                    errors.add("a request started after swap to generation " + minimum
                                            + " returned answered from " + p);
                                }
                            }
                        }
                    } finally {
                        latencies.add(Arrays.copyOf(own, n));
                        done.countDown();
                    }
                });
            }
            Thread.ofPlatform().name("writer").start(() -> {
                SplittableRandom random = new SplittableRandom(99);
                List<ItemId> live = new ArrayList<>();
                int next = 0;
                long pause = changesPerSecond > 0 ? TimeUnit.SECONDS.toNanos(1) / changesPerSecond : 0;
                long nextChange = System.nanoTime();
                try {
                    while (System.nanoTime() < end) {
                        if (pause > 0) {
                            nextChange += pause;
                            java.util.concurrent.locks.LockSupport.parkNanos(nextChange - System.nanoTime());
                        }
                        int op = random.nextInt(10);
                        if (op < 4 || live.isEmpty()) {
                            ItemId id = ItemId.of("new-" + next++);
                            served.catalogue().put(id, features(random));
                            live.add(id);
                            puts.incrementAndGet();
                        } else if (op < 7) {
                            served.catalogue().put(live.get(random.nextInt(live.size())), features(random));
                            updates.incrementAndGet();
                        } else {
                            ItemId target = recent.get(random.nextInt(256));
                            if (target == null || removedAt.containsKey(target)) {
                                target = live.get(random.nextInt(live.size()));
                            }
                            if (removedAt.containsKey(target)) {
                                continue;
                            }
                            served.catalogue().remove(target);
                            removedAt.put(target, System.nanoTime());
                            live.remove(target);
                            removes.incrementAndGet();
                        }
                    }
                } catch (RuntimeException e) {
                    errors.add("catalogue change failed: " + e);
                } finally {
                    done.countDown();
                }
            });

            Thread.sleep(TimeUnit.SECONDS.toMillis(seconds) / 3);
            served.swap(m2);
            swapDoneAt.set(2, System.nanoTime());
            Thread.sleep(TimeUnit.SECONDS.toMillis(seconds) / 3);
            served.swap(m3);
            swapDoneAt.set(3, System.nanoTime());
            assertThat(done.await(seconds + 60, TimeUnit.SECONDS)).isTrue();
            assertThat(served.generation()).isEqualTo(3);

            // After everything: the last model holds every live put item and no removed one.
            for (ItemId gone : removedAt.keySet()) {
                assertThat(served.catalogue().contains(gone)).as("removed %s", gone).isFalse();
            }
            long elapsed = System.nanoTime() - start;
            long[] all = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
            System.out.printf(Locale.ROOT, "%d readers, %d s, writer %s, 2 swaps: %d requests, %.0f requests/s, latency p50 %.2f ms,"
                    + " p99 %.2f ms, max %.2f ms; catalogue: %d puts, %d updates, %d removes (%.0f changes/s)%n",
                    READERS, seconds, changesPerSecond > 0 ? "at most " + changesPerSecond + " changes/s" : "unthrottled",
                    requests.get(), requests.get() / (elapsed / 1e9), percentile(all, 0.50) / 1e6,
                    percentile(all, 0.99) / 1e6, all.length == 0 ? 0 : all[all.length - 1] / 1e6, puts.get(),
                    updates.get(), removes.get(), (puts.get() + updates.get() + removes.get()) / (elapsed / 1e9));
        }
        assertThat(errors.first).as("%d errors, the first ones", errors.count.get()).isEmpty();
        assertThat(requests.get()).isPositive();
        assertThat(removes.get()).isPositive();
    }

    /** Counts errors and keeps the first 50 (a systematic fault must not exhaust the heap). */
    private static final class Errors {
        final AtomicLong count = new AtomicLong();
        final List<String> first = Collections.synchronizedList(new ArrayList<>());

        void add(String error) {
            if (count.incrementAndGet() <= 50) {
                first.add(error);
            }
        }
    }

    private static double percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }
}
