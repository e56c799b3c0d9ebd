package dev.attentive.model.serve;

import dev.attentive.api.Interaction;
import dev.attentive.api.ItemId;
import dev.attentive.model.features.FieldEncoder;
import dev.attentive.model.nn.TwoTowerModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What every recommender over one trained model shares, computed once: the item tower's
 * fingerprint, the known users' embeddings and seen items, the names of the item id rows, and
 * (when first needed) the trained catalogue's item vectors. Read-only once built; thread safe.
 */
final class ServingState {
    /** Rows per forward pass when embedding every user or item. */
    private static final int CHUNK = 1024;

    final String fingerprint;
    final float[] userEmbeddings;
    final List<Set<ItemId>> seen;
    /** The trained catalogue's unit vectors, row-major; null until first needed. */
    private volatile float[] itemVectors;

    ServingState(TwoTowerModel model) {
        int dim = model.config.dim();
        fingerprint = model.itemTowerFingerprint();
        int users = model.users.length;
        userEmbeddings = new float[users * dim];
        for (int start = 0; start < users; start += CHUNK) {
            int b = Math.min(CHUNK, users - start);
            FieldEncoder.Encoded[] rows = new FieldEncoder.Encoded[b];
            int[][] histories = new int[b][];
            for (int r = 0; r < b; r++) {
                int u = start + r;
                rows[r] = model.encodeUser(u, model.userFeatures[u], Interaction.NO_TIMESTAMP,
                        "user " + model.users[u]);
                histories[r] = model.historyRows(model.userItems[u], model.userItems[u].length);
            }
            System.arraycopy(model.user.forward(rows, histories, false, null).embeddings, 0, userEmbeddings,
                    start * dim, b * dim);
        }
        List<Set<ItemId>> seenItems = new ArrayList<>(users);
        for (int u = 0; u < users; u++) {
            Set<ItemId> s = new HashSet<>();
            for (int c : model.userItems[u]) {
                s.add(model.items[c]);
            }
            seenItems.add(Set.copyOf(s));
        }
        seen = List.copyOf(seenItems);
    }

    /** The trained catalogue's unit vectors, embedded in chunks on the first call. */
    float[] itemVectors(TwoTowerModel model) {
        float[] vectors = itemVectors;
        if (vectors != null) {
            return vectors;
        }
        synchronized (this) {
            if (itemVectors == null) {
                int dim = model.config.dim();
                int items = model.items.length;
                float[] out = new float[items * dim];
                for (int start = 0; start < items; start += CHUNK) {
                    int b = Math.min(CHUNK, items - start);
                    FieldEncoder.Encoded[] rows = new FieldEncoder.Encoded[b];
                    for (int r = 0; r < b; r++) {
                        rows[r] = model.encodeItem(start + r);
                    }
                    System.arraycopy(model.item.forward(rows, null, false, null).embeddings, 0, out, start * dim,
                            b * dim);
                }
                itemVectors = out;
            }
            return itemVectors;
        }
    }

    /**
     * One trained item's unit vector: from the catalogue's vectors once they were computed, else
     * embedded alone (a forward pass computes each row on its own, so both give the same floats).
     */
    float[] itemVector(TwoTowerModel model, int c) {
        int dim = model.config.dim();
        float[] vectors = itemVectors;
        if (vectors != null) {
            return Arrays.copyOfRange(vectors, c * dim, (c + 1) * dim);
        }
        return model.item.forward(new FieldEncoder.Encoded[] {model.encodeItem(c)}, null, false, null).embeddings;
    }
}
