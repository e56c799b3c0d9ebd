package dev.attentive.model.rank;

import dev.attentive.api.FeatureSchema;
import dev.attentive.api.FeatureType;
import dev.attentive.api.FeatureValue;
import dev.attentive.api.Features;
import dev.attentive.api.FieldSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the user and item feature tables into the ranker's feature-value slots: one slot per
 * categorical or numeric field (numeric values in decile buckets of the table), {@link #MULTI}
 * slots per multi-categorical field (its first values in sorted order). Every {@code field=value}
 * (or {@code field#bucket}) seen in the tables gets one index of a shared vocabulary; values not
 * in it, and absent fields, are -1. Immutable; thread safe.
 *
 * <p>A fitted layout (fields, slot counts, bucket edges, vocabulary) is exported by
 * {@link #layout()} and re-created as it was by {@link #FeatureSlots(TwoStageState.SlotLayout)}, so
 * that a saved model keeps its slots even if the fitting rules ({@link #MULTI}, the decile buckets)
 * change later.
 */
final class FeatureSlots {
    static final int MULTI = 4;
    private static final int BUCKETS = 10;

    private final Map<String, Integer> vocabulary;
    private final Side user;
    private final Side item;

    /** The layout of one side's slots: field {@code f} owns slots {@code firstSlot[f] ..} of {@code slots}. */
    private record Side(List<FieldSpec> fields, int[] firstSlot, int slots, Map<String, double[]> edges) {
        int slotCount(int f) {
            return (f + 1 < fields.size() ? firstSlot[f + 1] : slots) - firstSlot[f];
        }
    }

    FeatureSlots(FeatureSchema userSchema, Collection<Features> users, FeatureSchema itemSchema, Collection<Features> items) {
        vocabulary = new HashMap<>();
        user = side(userSchema, users, "u:");
        item = side(itemSchema, items, "i:");
    }

    /**
     * Re-creates fitted slots from their layout.
     *
     * @throws IllegalArgumentException when the layout is inconsistent (a slot count that its type
     *     does not allow, a numeric field without edges, a vocabulary value listed twice)
     */
    FeatureSlots(TwoStageState.SlotLayout layout) {
        vocabulary = new HashMap<>();
        for (String value : layout.vocabulary()) {
            if (vocabulary.putIfAbsent(value, vocabulary.size()) != null) {
                throw new IllegalArgumentException("the vocabulary lists '" + value + "' twice");
            }
        }
        user = side(layout.user(), "user");
        item = side(layout.item(), "item");
    }

    private static Side side(List<TwoStageState.SlotField> fields, String which) {
        List<FieldSpec> specs = new ArrayList<>();
        int[] first = new int[fields.size()];
        int slots = 0;
        Map<String, double[]> edges = new HashMap<>();
        for (int f = 0; f < fields.size(); f++) {
            TwoStageState.SlotField field = fields.get(f);
            String what = which + " field '" + field.name() + "'";
            if (field.slots() < 1 || (field.type() != FeatureType.MULTI_CATEGORICAL && field.slots() != 1)) {
                throw new IllegalArgumentException(what + " has " + field.slots() + " slots; a " + field.type()
                        + " field has " + (field.type() == FeatureType.MULTI_CATEGORICAL ? "at least 1" : "exactly 1"));
            }
            if (field.type() == FeatureType.NUMERIC) {
                if (field.edges() == null || field.edges().length == 0) {
                    throw new IllegalArgumentException(what + " is numeric but has no bucket edges");
                }
                edges.put(field.name(), field.edges().clone());
            }
            specs.add(new FieldSpec(field.name(), field.type()));
            first[f] = slots;
            slots += field.slots();
        }
        return new Side(List.copyOf(specs), first, slots, edges);
    }

    private Side side(FeatureSchema schema, Collection<Features> rows, String prefix) {
        List<FieldSpec> fields = new ArrayList<>(schema.fields());
        int[] first = new int[fields.size()];
        int slots = 0;
        Map<String, double[]> edges = new HashMap<>();
        for (int f = 0; f < fields.size(); f++) {
            FieldSpec spec = fields.get(f);
            first[f] = slots;
            slots += switch (spec.type()) {
                case MULTI_CATEGORICAL -> MULTI;
                default -> 1;
            };
            if (spec.type() == FeatureType.NUMERIC) {
                double[] values = rows.stream().map(r -> r.get(spec.name())).flatMap(java.util.Optional::stream)
                        .mapToDouble(v -> ((FeatureValue.Numeric) v).value()).sorted().toArray();
                double[] cut = new double[BUCKETS - 1];
                for (int b = 1; b < BUCKETS; b++) {
                    cut[b - 1] = values.length == 0 ? 0 : values[Math.min(values.length - 1, b * values.length / BUCKETS)];
                }
                edges.put(spec.name(), cut);
            }
        }
        Side side = new Side(fields, first, slots, edges);
        for (Features row : rows) {
            for (String key : keys(side, row, prefix)) {
                if (key != null) {
                    vocabulary.putIfAbsent(key, vocabulary.size());
                }
            }
        }
        return side;
    }

    /** The vocabulary key of each slot of a row, null where empty. */
    private static String[] keys(Side side, Features row, String prefix) {
        String[] keys = new String[side.slots()];
        for (int f = 0; f < side.fields().size(); f++) {
            FieldSpec spec = side.fields().get(f);
            var value = row.get(spec.name());
            if (value.isEmpty()) {
                continue;
            }
            String base = prefix + spec.name();
            int slot = side.firstSlot()[f];
            switch (value.get()) {
                case FeatureValue.Categorical c -> keys[slot] = base + "=" + c.value();
                case FeatureValue.MultiCategorical m -> {
                    List<String> sorted = m.values().stream().sorted().toList();
                    for (int i = 0; i < Math.min(side.slotCount(f), sorted.size()); i++) {
                        keys[slot + i] = base + "=" + sorted.get(i);
                    }
                }
                case FeatureValue.Numeric x -> {
                    double[] cut = side.edges().get(spec.name());
                    int bucket = Arrays.binarySearch(cut, x.value());
                    keys[slot] = base + "#" + (bucket >= 0 ? bucket + 1 : -bucket - 1);
                }
            }
        }
        return keys;
    }

    private int[] encode(Side side, Features row, String prefix) {
        String[] keys = keys(side, row, prefix);
        int[] out = new int[keys.length];
        for (int i = 0; i < keys.length; i++) {
            out[i] = keys[i] == null ? -1 : vocabulary.getOrDefault(keys[i], -1);
        }
        return out;
    }

    int[] encodeUser(Features row) {
        return encode(user, row, "u:");
    }

    int[] encodeItem(Features row) {
        return encode(item, row, "i:");
    }

    int userSlots() {
        return user.slots();
    }

    int itemSlots() {
        return item.slots();
    }

    int valueCount() {
        return vocabulary.size();
    }

    /** The user side's fields, in slot order (the schema the slots read). */
    FeatureSchema userSchema() {
        return new FeatureSchema(user.fields());
    }

    /** The item side's fields, in slot order. */
    FeatureSchema itemSchema() {
        return new FeatureSchema(item.fields());
    }

    /** The fitted layout, from which {@link #FeatureSlots(TwoStageState.SlotLayout)} re-creates these slots. */
    TwoStageState.SlotLayout layout() {
        String[] byIndex = new String[vocabulary.size()];
        vocabulary.forEach((key, index) -> byIndex[index] = key);
        return new TwoStageState.SlotLayout(List.of(byIndex), fields(user), fields(item));
    }

    private static List<TwoStageState.SlotField> fields(Side side) {
        List<TwoStageState.SlotField> out = new ArrayList<>();
        for (int f = 0; f < side.fields().size(); f++) {
            FieldSpec spec = side.fields().get(f);
            double[] cut = side.edges().get(spec.name());
            out.add(new TwoStageState.SlotField(spec.name(), spec.type(), side.slotCount(f),
                    cut == null ? new double[0] : cut.clone()));
        }
        return List.copyOf(out);
    }
}
