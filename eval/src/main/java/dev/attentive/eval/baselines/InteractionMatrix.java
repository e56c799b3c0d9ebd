package dev.attentive.eval.baselines;

import dev.attentive.api.Dataset;
import dev.attentive.api.Interaction;
import dev.attentive.api.ItemId;
import dev.attentive.api.UserId;
import dev.attentive.kernels.ParallelFor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The binary user-item matrix of a training set in compressed rows (users) and columns (items).
 * The catalogue is every item of the interactions and of the item table, in first-seen order.
 * Immutable after construction, thread safe.
 */
final class InteractionMatrix {
    final Map<UserId, Integer> userIndex;
    final Map<ItemId, Integer> itemIndex;
    final ItemId[] items;
    final int[] userOffsets;
    final int[] userItems;
    final int[] itemOffsets;
    final int[] itemUsers;
    final int[] itemCounts;
    final Dataset data;

    InteractionMatrix(Dataset data) {
        this.data = data;
        Map<ItemId, Integer> itemIdx = new LinkedHashMap<>();
        Map<UserId, Integer> userIdx = new LinkedHashMap<>();
        for (Interaction i : data.interactions()) {
            itemIdx.putIfAbsent(i.item(), itemIdx.size());
            userIdx.putIfAbsent(i.user(), userIdx.size());
        }
        for (ItemId item : data.items().rows().keySet()) {
            itemIdx.putIfAbsent(item, itemIdx.size());
        }
        this.userIndex = Map.copyOf(userIdx);
        this.itemIndex = Map.copyOf(itemIdx);
        this.items = itemIdx.keySet().toArray(ItemId[]::new);
        int nu = userIdx.size();
        List<int[]> perUser = new ArrayList<>(nu);
        int[] sizes = new int[nu];
        for (Interaction i : data.interactions()) {
            sizes[userIdx.get(i.user())]++;
        }
        for (int u = 0; u < nu; u++) {
            perUser.add(new int[sizes[u]]);
        }
        Arrays.fill(sizes, 0);
        for (Interaction i : data.interactions()) {
            int u = userIdx.get(i.user());
            perUser.get(u)[sizes[u]++] = itemIdx.get(i.item());
        }
        userOffsets = new int[nu + 1];
        List<int[]> unique = new ArrayList<>(nu);
        for (int u = 0; u < nu; u++) {
            int[] row = perUser.get(u);
            Arrays.sort(row);
            int[] dedup = Arrays.stream(row).distinct().toArray(); // duplicates count once: the matrix is binary
            unique.add(dedup);
            userOffsets[u + 1] = userOffsets[u] + dedup.length;
        }
        userItems = new int[userOffsets[nu]];
        for (int u = 0; u < nu; u++) {
            System.arraycopy(unique.get(u), 0, userItems, userOffsets[u], unique.get(u).length);
        }
        int ni = items.length;
        itemCounts = new int[ni];
        for (int x : userItems) {
            itemCounts[x]++;
        }
        itemOffsets = new int[ni + 1];
        for (int i = 0; i < ni; i++) {
            itemOffsets[i + 1] = itemOffsets[i] + itemCounts[i];
        }
        itemUsers = new int[userItems.length];
        int[] fill = new int[ni];
        for (int u = 0; u < nu; u++) {
            for (int p = userOffsets[u]; p < userOffsets[u + 1]; p++) {
                int i = userItems[p];
                itemUsers[itemOffsets[i] + fill[i]++] = u;
            }
        }
    }

    int users() {
        return userOffsets.length - 1;
    }

    int itemCount() {
        return items.length;
    }

    int nnz() {
        return userItems.length;
    }

    /** The sorted item indexes of a user. */
    int[] itemsOf(int user) {
        return Arrays.copyOfRange(userItems, userOffsets[user], userOffsets[user + 1]);
    }

    boolean has(int user, int item) {
        return Arrays.binarySearch(userItems, userOffsets[user], userOffsets[user + 1], item) >= 0;
    }

    /**
     * The item-item co-occurrence counts X^T X as a dense row-major n x n matrix, computed in
     * parallel over item rows (each thread writes only its own rows).
     */
    float[] cooccurrence(int threads) {
        int n = items.length;
        float[] c = new float[n * n];
        ParallelFor.forEach(n, threads, i -> {
            int row = i * n;
            for (int p = itemOffsets[i]; p < itemOffsets[i + 1]; p++) {
                int u = itemUsers[p];
                for (int q = userOffsets[u]; q < userOffsets[u + 1]; q++) {
                    c[row + userItems[q]] += 1;
                }
            }
        });
        return c;
    }
}
