package dev.attentive.eval.split;

import dev.attentive.api.Dataset;
import dev.attentive.api.FeatureTable;
import dev.attentive.api.Features;
import dev.attentive.api.Interaction;
import dev.attentive.api.ItemId;
import dev.attentive.api.UserId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Interaction filters. Each returns a new dataset whose feature tables keep only the rows of users
 * and items that still have interactions (tables that were empty stay empty). Stateless and thread safe.
 */
public final class Filters {
    private Filters() {
    }

    /**
     * Keeps interactions whose weight (rating) is at least a threshold: explicit to implicit, as
     * RecBole's {@code val_interval: rating: "[3,inf)"} does.
     *
     * @param data the dataset
     * @param threshold the smallest weight kept
     * @return the filtered dataset
     */
    public static Dataset ratingAtLeast(Dataset data, double threshold) {
        List<Interaction> kept = new ArrayList<>();
        for (Interaction i : data.interactions()) {
            if (i.weight() >= threshold) {
                kept.add(i);
            }
        }
        return restrict(data, kept);
    }

    /**
     * The iterative k-core: removes users with fewer than {@code minPerUser} interactions and items
     * with fewer than {@code minPerItem}, repeatedly, until every remaining user and item has enough.
     * The result is the unique largest such subset, whatever the removal order.
     *
     * @param data the dataset
     * @param minPerUser the least interactions per user, at least 1
     * @param minPerItem the least interactions per item, at least 1
     * @return the filtered dataset (possibly empty)
     */
    public static Dataset kCore(Dataset data, int minPerUser, int minPerItem) {
        if (minPerUser < 1 || minPerItem < 1) {
            throw new IllegalArgumentException("k-core thresholds must be at least 1, got users "
                    + minPerUser + ", items " + minPerItem);
        }
        List<Interaction> current = data.interactions();
        while (true) {
            Map<UserId, Integer> users = new HashMap<>();
            Map<ItemId, Integer> items = new HashMap<>();
            for (Interaction i : current) {
                users.merge(i.user(), 1, Integer::sum);
                items.merge(i.item(), 1, Integer::sum);
            }
            List<Interaction> kept = new ArrayList<>(current.size());
            for (Interaction i : current) {
                if (users.get(i.user()) >= minPerUser && items.get(i.item()) >= minPerItem) {
                    kept.add(i);
                }
            }
            if (kept.size() == current.size()) {
                return restrict(data, kept);
            }
            current = kept;
        }
    }

    /** A dataset of these interactions whose feature tables keep only the rows still referenced. */
    static Dataset restrict(Dataset data, List<Interaction> kept) {
        Set<UserId> users = new HashSet<>();
        Set<ItemId> items = new HashSet<>();
        for (Interaction i : kept) {
            users.add(i.user());
            items.add(i.item());
        }
        return new Dataset(data.name(), kept, keep(data.users(), users), keep(data.items(), items));
    }

    private static <K> FeatureTable<K> keep(FeatureTable<K> table, Set<K> keys) {
        if (table.rows().isEmpty()) {
            return table;
        }
        Map<K, Features> rows = new LinkedHashMap<>();
        table.rows().forEach((k, v) -> {
            if (keys.contains(k)) {
                rows.put(k, v);
            }
        });
        return new FeatureTable<>(table.schema(), rows);
    }
}
