package dev.attentive.model.rank;

import dev.attentive.api.Dataset;
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
 * feature-value slots, and the users' items of one fit, most recent first. The catalogue is that of
 * the full training set (interactions and item table), shared by every fit. Immutable; thread safe.
 */
final class Catalogue {
    final List<ItemId> items;
    final Map<ItemId, Integer> index;
    final Features[] itemFeatures;
    final FeatureSlots slots;
    final int[] itemValues;
    final Dataset data;

    Catalogue(Dataset data) {
        this.data = data;
        Set<ItemId> all = new LinkedHashSet<>();
        data.interactions().forEach(i -> all.add(i.item()));
        all.addAll(data.items().rows().keySet());
        items = List.copyOf(all);
        index = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            index.put(items.get(i), i);
        }
        itemFeatures = new Features[items.size()];
        for (int i = 0; i < items.size(); i++) {
            itemFeatures[i] = data.items().get(items.get(i));
        }
        slots = new FeatureSlots(data.users().schema(), data.users().rows().values(), data.items().schema(),
                data.items().rows().values());
        int f = slots.valueCount() == 0 ? 0 : slots.itemSlots();
        itemValues = new int[items.size() * f];
        for (int i = 0; i < items.size() && f > 0; i++) {
            System.arraycopy(slots.encodeItem(itemFeatures[i]), 0, itemValues, i * f, f);
        }
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
