package dev.attentive.model.rank;

import dev.attentive.api.Dataset;
import dev.attentive.api.FeatureTable;
import dev.attentive.api.Features;
import dev.attentive.api.Interaction;
import dev.attentive.api.ItemId;
import dev.attentive.api.UserId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The items of a training set with their catalogue indices (the ranker's item keys), their
 * feature-value slots, the user feature table, and the users' items of one fit, most recent first.
 * The catalogue is that of the full training set (interactions and item table), shared by every
 * fit. Immutable; thread safe.
 */
final class Catalogue {
    final List<ItemId> items;
    final Map<ItemId, Integer> index;
    final Features[] itemFeatures;
    final FeatureSlots slots;
    final int[] itemValues;
    /** The user feature rows, merged under a known user's request features when serving. */
    final FeatureTable<UserId> users;

    /** The catalogue of a training set: its interactions' items, then the item table's other items. */
    Catalogue(Dataset data) {
        this(catalogueItems(data), data.items(), new FeatureSlots(data.users().schema(), data.users().rows().values(),
                data.items().schema(), data.items().rows().values()), data.users());
    }

    private Catalogue(List<ItemId> items, FeatureTable<ItemId> itemTable, FeatureSlots slots, FeatureTable<UserId> users) {
        this(items, items.stream().map(itemTable::get).toList(), slots, users);
    }

    /**
     * A catalogue from its parts (as a saved model holds them).
     *
     * @param items the items, in index order, distinct
     * @param itemFeatures each item's features, in the same order
     * @param slots the fitted feature-value slots
     * @param users the user feature table
     * @throws IllegalArgumentException when the items repeat or the features do not match them
     */
    Catalogue(List<ItemId> items, List<Features> itemFeatures, FeatureSlots slots, FeatureTable<UserId> users) {
        if (itemFeatures.size() != items.size()) {
            throw new IllegalArgumentException("the catalogue has " + items.size() + " items but "
                    + itemFeatures.size() + " feature rows");
        }
        this.items = List.copyOf(items);
        this.users = users;
        this.slots = slots;
        index = new HashMap<>();
        for (int i = 0; i < this.items.size(); i++) {
            if (index.put(this.items.get(i), i) != null) {
                throw new IllegalArgumentException("the catalogue lists item " + this.items.get(i) + " twice");
            }
        }
        this.itemFeatures = itemFeatures.toArray(new Features[0]);
        int f = itemSlots();
        itemValues = new int[this.items.size() * f];
        for (int i = 0; i < this.items.size() && f > 0; i++) {
            System.arraycopy(slots.encodeItem(this.itemFeatures[i]), 0, itemValues, i * f, f);
        }
    }

    private static List<ItemId> catalogueItems(Dataset data) {
        Set<ItemId> all = new LinkedHashSet<>();
        data.interactions().forEach(i -> all.add(i.item()));
        all.addAll(data.items().rows().keySet());
        return List.copyOf(all);
    }

    int size() {
        return items.size();
    }

    int userSlots() {
        return slots.valueCount() == 0 ? 0 : slots.userSlots();
    }

    int itemSlots() {
        return slots.valueCount() == 0 ? 0 : slots.itemSlots();
    }

    /**
     * Each user's distinct items in some interactions, most recent first (interactions without
     * timestamps keep their order, the last one counting as the most recent).
     */
    Map<UserId, int[]> userItems(List<Interaction> interactions) {
        Map<UserId, List<Interaction>> byUser = new LinkedHashMap<>();
        for (Interaction i : interactions) {
            byUser.computeIfAbsent(i.user(), u -> new ArrayList<>()).add(i);
        }
        Map<UserId, int[]> out = new LinkedHashMap<>();
        for (var e : byUser.entrySet()) {
            List<Interaction> list = new ArrayList<>(e.getValue());
            java.util.Collections.reverse(list);
            list.sort(Comparator.comparingLong(Interaction::timestamp).reversed());
            Set<Integer> distinct = new LinkedHashSet<>();
            for (Interaction i : list) {
                distinct.add(index.get(i.item()));
            }
            out.put(e.getKey(), distinct.stream().mapToInt(Integer::intValue).toArray());
        }
        return out;
    }
}
