package dev.attentive.index.opensearch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attentive.api.Features;
import dev.attentive.api.IndexedItem;
import dev.attentive.api.ItemFilter;
import dev.attentive.api.ItemId;
import dev.attentive.api.Retriever;
import dev.attentive.api.spi.RetrieverSpec;
import dev.attentive.testkit.Seeds;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The shared three-node cluster (node-0 cluster manager and data, nodes 1 and 2 data only), an index
 * with two shards and one replica, and a stream of searches and acknowledged writes (adds and updates)
 * while a data node holding a primary of the index is killed with SIGKILL and stays down. The index
 * sets {@code index.unassigned.node_left.delayed_timeout} to 0 s, so the cluster manager places the
 * lost copies on the remaining nodes at once and the index is green again without the killed node
 * (with the default of one minute, replicas wait for the node to come back that long).
 *
 * <p>The rule asserted: no search fails that was answered before the kill; a search may fail only if
 * it was in flight at some time within the failover window of {@value #FAILOVER_WINDOW_MS} ms after the
 * kill (the cluster manager noticing the loss and promoting replicas; a search sent just before the kill
 * can meet the dying node); searches keep being answered during the {@value #OUTAGE_MS} ms observed after the
 * kill, also after that window, and until the end; writes are acknowledged again after the window; and
 * once the index is green again every acknowledged item is present with the vector of its last
 * acknowledged write (lost = 0, stale = 0). A write that failed is not acknowledged, so its item is left
 * out of the check (it may or may not have landed).
 *
 * <p>It runs after the other classes on the shared cluster ({@code @Order}, with the class orderer in
 * {@code junit-platform.properties}), which lose their replica-less indices on the killed node.
 */
@ExtendWith(SharedOpenSearchCluster.class)
@Order(Integer.MAX_VALUE)
class OpenSearchFailoverTest {
    private static final long FAILOVER_WINDOW_MS = 10_000;
    private static final long OUTAGE_MS = 20_000;
    private static final int DIM = 16;
    private static final String INDEX = "failover";

    /** One request: when it was sent and when its answer (or error) came back, in ms since the start. */
    record Event(long atMs, long endMs, boolean ok, String error) {
        /** Whether the request was in flight at some time within [from, to]. */
        boolean overlaps(long from, long to) {
            return endMs >= from && atMs <= to;
        }
    }

    @Test
    void searchesAreAnsweredAndNoAcknowledgedWriteIsLostWhenANodeIsKilled() throws Exception {
        OpenSearchCluster cluster = SharedOpenSearchCluster.cluster();
        int nodes = SharedOpenSearchCluster.NODES;
        var provider = new OpenSearchRetrieverProvider();
        var config = provider.configure(Map.of("endpoints", cluster.endpoints(), "index", INDEX, "shards", "2",
                "replicas", "1", "refreshIntervalMs", "200", "connectTimeoutMs", "1000"));
        SplittableRandom random = new SplittableRandom(2024);
        List<IndexedItem> initial = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            initial.add(new IndexedItem(ItemId.of("i" + i), Seeds.unitVector(random, DIM), Features.NONE));
        }
        try (Retriever retriever = provider.create(config, RetrieverSpec.of(DIM))) {
            retriever.index(initial);
            try (ClusterConnection conn = new ClusterConnection(config)) {
                conn.expectOk("PUT", "/" + INDEX + "/_settings", Map.of(),
                        "{\"index\":{\"unassigned\":{\"node_left\":{\"delayed_timeout\":\"0s\"}}}}",
                        "place the copies of a lost node at once");
            }
            cluster.awaitHealth(INDEX, nodes, "green");
            String shards = OpenSearchCluster.get(SharedOpenSearchCluster.firstEndpoint() + "/_cat/shards/" + INDEX
                    + "-*?h=index,shard,prirep,state,docs,node")[1].strip();
            System.out.println("[failover] shards before the kill:\n" + shards);
            // A data-only node that holds a primary: its loss needs a promotion (node-0, the only
            // cluster manager, is never killed).
            int victim = -1;
            for (String line : shards.split("\n")) {
                String[] f = line.trim().split("\\s+");
                if (f.length == 6 && f[2].equals("p") && !f[5].equals("node-0")) {
                    victim = Integer.parseInt(f[5].substring("node-".length()));
                }
            }
            assertThat(victim).as("a data-only node holding a primary of the index (shards:%n%s)", shards)
                    .isPositive();

            Map<ItemId, float[]> acked = new ConcurrentHashMap<>();
            initial.forEach(it -> acked.put(it.id(), it.vector()));
            Set<ItemId> uncertain = ConcurrentHashMap.newKeySet();
            ConcurrentLinkedQueue<Event> searches = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<Event> writes = new ConcurrentLinkedQueue<>();
            AtomicBoolean stop = new AtomicBoolean();
            long t0 = System.currentTimeMillis();
            List<Thread> threads = new ArrayList<>();
            for (int s = 0; s < 2; s++) {
                SplittableRandom r = new SplittableRandom(100 + s);
                threads.add(new Thread(() -> {
                    while (!stop.get()) {
                        long at = System.currentTimeMillis() - t0;
                        try {
                            int n = retriever.search(Seeds.unitVector(r, DIM), 10, ItemFilter.all(), Set.of()).size();
                            searches.add(new Event(at, System.currentTimeMillis() - t0, n == 10,
                                    n == 10 ? null : "only " + n + " hits"));
                        } catch (RuntimeException e) {
                            searches.add(new Event(at, System.currentTimeMillis() - t0, false, e.toString()));
                        }
                        OpenSearchCluster.sleep(5);
                    }
                }, "failover-search-" + s));
            }
            for (int w = 0; w < 2; w++) {
                int writer = w;
                SplittableRandom r = new SplittableRandom(200 + w);
                threads.add(new Thread(() -> {
                    for (int i = 0; !stop.get(); i++) {
                        boolean add = i % 2 == 0;
                        ItemId id = add ? ItemId.of("w" + writer + "-" + i) : ItemId.of("i" + (2 * r.nextInt(1000) + writer));
                        if (!add && uncertain.contains(id)) {
                            continue;
                        }
                        IndexedItem item = new IndexedItem(id, Seeds.unitVector(r, DIM), Features.NONE);
                        long at = System.currentTimeMillis() - t0;
                        try {
                            if (add) {
                                retriever.add(item);
                            } else {
                                retriever.update(item);
                            }
                            acked.put(id, item.vector());
                            writes.add(new Event(at, System.currentTimeMillis() - t0, true, null));
                        } catch (RuntimeException e) {
                            acked.remove(id);
                            uncertain.add(id);
                            writes.add(new Event(at, System.currentTimeMillis() - t0, false, e.toString()));
                        }
                    }
                }, "failover-write-" + w));
            }
            threads.forEach(Thread::start);
            OpenSearchCluster.sleep(3_000);
            long killAt = System.currentTimeMillis() - t0;
            cluster.kill(victim);
            OpenSearchCluster.sleep(OUTAGE_MS);
            long outageEnd = System.currentTimeMillis() - t0;
            cluster.awaitHealth(INDEX, nodes - 1, "green");
            long greenAt = System.currentTimeMillis() - t0;
            String after = OpenSearchCluster.get(SharedOpenSearchCluster.firstEndpoint() + "/_cat/shards/" + INDEX
                    + "-*?h=index,shard,prirep,state,docs,node")[1].strip();
            System.out.println("[failover] shards once green without node-" + victim + ":\n" + after);
            OpenSearchCluster.sleep(1_000);
            stop.set(true);
            for (Thread t : threads) {
                t.join(120_000);
            }

            long windowEnd = killAt + FAILOVER_WINDOW_MS;
            List<Event> outage = searches.stream().filter(e -> e.atMs() >= killAt && e.atMs() < outageEnd).toList();
            long answered = outage.stream().filter(Event::ok).count();
            long answeredAfterWindow = outage.stream().filter(e -> e.ok() && e.atMs() >= windowEnd).count();
            List<Event> failed = searches.stream().filter(e -> !e.ok()).toList();
            long writesAcked = writes.stream().filter(Event::ok).count();
            long writesAckedInOutage = writes.stream().filter(e -> e.ok() && e.atMs() >= killAt && e.atMs() < outageEnd)
                    .count();
            long writesAckedAfterWindow = writes.stream().filter(e -> e.ok() && e.atMs() >= windowEnd
                    && e.atMs() < outageEnd).count();
            long writeErrors = writes.stream().filter(e -> !e.ok()).count();

            // Every acknowledged item, read back from the cluster once it is green.
            long lost = 0;
            long stale = 0;
            List<ItemId> ids = new ArrayList<>(acked.keySet());
            try (ClusterConnection conn = new ClusterConnection(config)) {
                for (int from = 0; from < ids.size(); from += 500) {
                    StringBuilder body = new StringBuilder("{\"ids\":[");
                    List<ItemId> batch = ids.subList(from, Math.min(ids.size(), from + 500));
                    for (int i = 0; i < batch.size(); i++) {
                        JsonText.string(i > 0 ? body.append(',') : body, batch.get(i).value());
                    }
                    JsonObject reply = conn.expectOk("POST", "/" + INDEX + "/_mget", Map.of("_source", "vector"),
                            body.append("]}").toString(), "read the items back");
                    for (JsonValue doc : reply.getJsonArray("docs")) {
                        JsonObject d = doc.asJsonObject();
                        if (!d.getBoolean("found", false)) {
                            lost++;
                            continue;
                        }
                        float[] want = acked.get(ItemId.of(d.getString("_id")));
                        var got = d.getJsonObject("_source").getJsonArray("vector");
                        for (int k = 0; k < DIM; k++) {
                            if ((float) got.getJsonNumber(k).doubleValue() != want[k]) {
                                stale++;
                                break;
                            }
                        }
                    }
                }
            }
            int size = retriever.size();
            System.out.printf("[failover] node-%d killed at %.1f s, observed until %.1f s, index green again at %.1f s "
                    + "(checked after the observation), failover window %d s%n", victim, killAt / 1000.0,
                    outageEnd / 1000.0, greenAt / 1000.0, FAILOVER_WINDOW_MS / 1000);
            System.out.printf("[failover] searches: %d in all, %d during the %d s outage of which %d answered "
                    + "(%d after the failover window), %d failed in all%n", searches.size(), outage.size(),
                    OUTAGE_MS / 1000, answered, answeredAfterWindow, failed.size());
            System.out.printf("[failover] writes: %d acknowledged (%d during the outage, %d after the failover window), "
                    + "%d failed (%d items left unchecked)%n", writesAcked, writesAckedInOutage, writesAckedAfterWindow,
                    writeErrors, uncertain.size());
            System.out.printf("[failover] acknowledged items checked: %d, lost: %d, stale vector: %d, size %d%n",
                    ids.size(), lost, stale, size);
            failed.stream().limit(5).forEach(e -> System.out.println("[failover] search error, sent at " + e.atMs()
                    + " ms, answered at " + e.endMs() + " ms: " + e.error()));
            writes.stream().filter(e -> !e.ok()).limit(5).forEach(e -> System.out.println("[failover] write error at "
                    + e.atMs() + " ms: " + e.error()));

            // A search sent a few ms before the kill may still be in flight when the node dies: a failure
            // is allowed for any search in flight at some time within the window, judged by both ends.
            assertThat(failed).as("search failures not in flight during the failover window [%d, %d] ms", killAt,
                    windowEnd).allSatisfy(e -> assertThat(e.overlaps(killAt, windowEnd))
                            .as("search sent at %d ms, answered at %d ms: %s", e.atMs(), e.endMs(), e.error()).isTrue());
            assertThat(answered).as("searches answered during the outage").isPositive();
            assertThat(answeredAfterWindow).as("searches answered during the outage after the failover window")
                    .isGreaterThanOrEqualTo(10);
            assertThat(writesAckedAfterWindow).as("writes acknowledged during the outage after the failover window")
                    .isPositive();
            assertThat(lost).as("acknowledged items lost").isZero();
            assertThat(stale).as("acknowledged items without their last acknowledged vector").isZero();
            assertThat(size).as("size: the acknowledged items, plus unacknowledged adds that landed")
                    .isBetween(ids.size(), ids.size() + uncertain.size());
        }
    }
}
