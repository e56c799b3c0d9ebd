package dev.attentive.index.lucene;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attentive.api.Features;
import dev.attentive.api.IndexedItem;
import dev.attentive.api.ItemFilter;
import dev.attentive.api.ItemId;
import dev.attentive.api.ScoredItem;
import dev.attentive.api.spi.RetrieverSpec;
import dev.attentive.testkit.Seeds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * 8 threads run 10,000 searches each while a writer adds, updates and deletes items: no exception,
 * and no result contains an item whose deletion had become visible before the search started —
 * with the default refresh mode, visible means its remove call had returned; with a refresh
 * interval, that a reopen had covered it. Throughput and p99 are printed, not asserted.
 */
class ConcurrencyTest {
    private static final int THREADS = 8;
    private static final int SEARCHES = 10_000;
    private static final int DIM = 32;
    private static final int ITEMS = 5_000;
    private static final int DOOMED = 400;

    /** The scenario, in the default (read-your-writes) mode. */
    @Test
    void readYourWritesModeWithAPacedWriter() throws Exception {
        run(0, 2, SEARCHES);
    }

    /** The refresh-interval mode, scaled down to 2,000 searches per thread to keep the suite quick. */
    @Test
    void refreshIntervalModeWithAFasterWriter() throws Exception {
        run(20, 1, 2_000);
    }

    private static void run(int refreshIntervalMs, long writerPauseMillis, int searches) throws Exception {
        SplittableRandom random = new SplittableRandom(2024);
        List<IndexedItem> items = new ArrayList<>();
        for (int i = 0; i < ITEMS; i++) {
            items.add(new IndexedItem(ItemId.of("i" + i), Seeds.unitVector(random, DIM),
                    Features.builder().categorical("color", "c" + random.nextInt(4)).build()));
        }
        // the first DOOMED items are deleted during the run, never re-added
        ConcurrentHashMap<ItemId, Integer> deletionOrder = new ConcurrentHashMap<>();
        ConcurrentHashMap<ItemId, Long> deletionGeneration = new ConcurrentHashMap<>();
        AtomicInteger visibleDeletions = new AtomicInteger();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        AtomicBoolean searching = new AtomicBoolean(true);
        long[][] latencies = new long[THREADS][searches];
        int[] writes = new int[3];
        var config = new LuceneHnswRetrieverProvider().configure(
                Map.of("refreshIntervalMs", Integer.toString(refreshIntervalMs)));
        try (var r = TestItems.open(config, RetrieverSpec.of(DIM))) {
            r.index(items);
            CountDownLatch start = new CountDownLatch(1);
            Thread writer = new Thread(() -> {
                SplittableRandom w = new SplittableRandom(7);
                int next = 0;
                int deleted = 0;
                try {
                    start.await();
                    while (searching.get()) {
                        if (writerPauseMillis > 0) {
                            Thread.sleep(writerPauseMillis);
                        }
                        switch (w.nextInt(3)) {
                            case 0 -> {
                                r.add(new IndexedItem(ItemId.of("n" + next++), Seeds.unitVector(w, DIM), Features.NONE));
                                writes[0]++;
                            }
                            case 1 -> {
                                IndexedItem old = items.get(DOOMED + w.nextInt(ITEMS - DOOMED));
                                r.update(new IndexedItem(old.id(), Seeds.unitVector(w, DIM), old.attributes()));
                                writes[1]++;
                            }
                            default -> {
                                if (deleted < DOOMED) {
                                    ItemId id = items.get(deleted).id();
                                    assertThat(r.remove(id)).isTrue();
                                    deletionGeneration.put(id, r.writeGeneration()); // the only writer
                                    deletionOrder.put(id, deleted);
                                    visibleDeletions.set(++deleted); // publish after the put
                                    writes[2]++;
                                }
                            }
                        }
                    }
                } catch (Throwable t) {
                    failures.add(t);
                }
            }, "writer");
            List<Thread> searchers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                searchers.add(new Thread(() -> {
                    SplittableRandom s = new SplittableRandom(100 + thread);
                    try {
                        start.await();
                        for (int q = 0; q < searches; q++) {
                            // half the queries aim at doomed items, so that they would show up if visible
                            float[] query = s.nextBoolean() ? items.get(s.nextInt(DOOMED)).vector()
                                    : Seeds.unitVector(s, DIM);
                            ItemFilter filter = q % 4 == 0 ? ItemFilter.equalTo("color", "c" + s.nextInt(4))
                                    : ItemFilter.all();
                            int before = visibleDeletions.get();
                            long searchable = r.searchableGeneration();
                            long t0 = System.nanoTime();
                            List<ScoredItem> got = r.search(query, 10, filter, Set.of());
                            latencies[thread][q] = System.nanoTime() - t0;
                            if (got.size() != 10) {
                                throw new AssertionError("expected 10 results, got " + got.size());
                            }
                            for (ScoredItem hit : got) {
                                Long generation = deletionGeneration.get(hit.id());
                                if (generation != null && generation <= searchable) {
                                    throw new AssertionError("search returned " + hit.id() + ", deleted in write "
                                            + generation + ", though writes up to " + searchable
                                            + " were searchable before it started");
                                }
                                Integer order = deletionOrder.get(hit.id());
                                if (refreshIntervalMs == 0 && order != null && order < before) {
                                    throw new AssertionError("search returned " + hit.id()
                                            + " whose remove call had returned before it started");
                                }
                            }
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }, "searcher-" + t));
            }
            writer.start();
            searchers.forEach(Thread::start);
            long wall0 = System.nanoTime();
            start.countDown();
            for (Thread t : searchers) {
                t.join();
            }
            double wall = (System.nanoTime() - wall0) / 1e9;
            searching.set(false);
            writer.join();
            assertThat(failures).isEmpty();
            assertThat(writes[2]).as("deletions happened during the searches").isPositive();
            r.commit(); // makes everything searchable in both modes
            for (int i = 0; i < writes[2]; i++) {
                assertThat(r.contains(items.get(i).id())).isFalse();
            }
            long[] all = Arrays.stream(latencies).flatMapToLong(Arrays::stream).sorted().toArray();
            System.out.printf(Locale.ROOT, "[concurrency] %d segments at the end; refreshIntervalMs=%d, writer pause %d ms: %d threads x %d searches in %.2f s: %.0f searches/s, "
                    + "p50 %.3f ms, p99 %.3f ms; writer did %d adds, %d updates, %d deletes%n",
                    r.segmentCount(), refreshIntervalMs, writerPauseMillis, THREADS, searches, wall, THREADS * searches / wall, all[all.length / 2] / 1e6, all[(int) (all.length * 0.99)] / 1e6,
                    writes[0], writes[1], writes[2]);
        }
    }
}
