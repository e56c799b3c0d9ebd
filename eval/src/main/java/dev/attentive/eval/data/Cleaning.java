package dev.attentive.eval.data;

import dev.attentive.api.Dataset;
import dev.attentive.api.FeatureTable;
import dev.attentive.api.FeatureType;
import dev.attentive.api.FeatureValue;
import dev.attentive.api.Features;
import dev.attentive.api.FieldSpec;
import dev.attentive.api.Interaction;
import dev.attentive.api.ItemId;
import dev.attentive.api.UserId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Validates and cleans a dataset by a {@link CleaningPolicy}, in this order: interactions whose user
 * or item has no feature row; out-of-range ratings and timestamps; duplicate (user, item) pairs;
 * the cap on abnormally active users; missing feature values. The input is never modified; the
 * result carries a {@link CleaningReport} of every change. Stateless and thread safe.
 */
public final class Cleaning {
    private Cleaning() {
    }

    /**
     * A cleaned dataset with its report.
     *
     * @param data the cleaned dataset
     * @param report what changed
     */
    public record Result(Dataset data, CleaningReport report) {
        /** Validates. */
        public Result {
            Objects.requireNonNull(data, "data");
            Objects.requireNonNull(report, "report");
        }
    }

    /**
     * Cleans a dataset.
     *
     * @param data the dataset as loaded
     * @param policy the policy
     * @return the cleaned dataset and the report
     * @throws IllegalArgumentException when a policy says FAIL and the data has such a problem (the
     *     message counts the cases, shows examples and names the setting that would drop them), or
     *     when nothing is left
     */
    public static Result apply(Dataset data, CleaningPolicy policy) {
        List<Interaction> in = data.interactions();
        List<Interaction> kept = new ArrayList<>(in.size());
        Set<UserId> unknownUsers = new TreeSet<>();
        Set<ItemId> unknownItems = new TreeSet<>();
        int droppedUsers = 0;
        int droppedItems = 0;
        boolean checkUsers = !data.users().rows().isEmpty();
        boolean checkItems = !data.items().rows().isEmpty();
        for (Interaction i : in) {
            boolean noUser = checkUsers && !data.users().rows().containsKey(i.user());
            boolean noItem = checkItems && !data.items().rows().containsKey(i.item());
            if (noUser) {
                unknownUsers.add(i.user());
            }
            if (noItem) {
                unknownItems.add(i.item());
            }
            if (policy.missingRows() == CleaningPolicy.MissingRows.DROP && (noUser || noItem)) {
                if (noUser) {
                    droppedUsers++;
                } else {
                    droppedItems++;
                }
                continue;
            }
            kept.add(i);
        }
        if (policy.missingRows() == CleaningPolicy.MissingRows.FAIL && (!unknownUsers.isEmpty() || !unknownItems.isEmpty())) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "Dataset '%s': %d user(s) and %d item(s) in the interactions have no feature row (e.g. users %s, items %s);"
                            + " fix the feature tables, or clean with missingRows=drop (drop and count them) or missingRows=keep",
                    data.name(), unknownUsers.size(), unknownItems.size(), first(unknownUsers), first(unknownItems)));
        }
        int badRatings = 0;
        int badTimes = 0;
        List<Interaction> inRange = new ArrayList<>(kept.size());
        for (Interaction i : kept) {
            boolean ratingBad = (!Double.isNaN(policy.minRating()) && i.weight() < policy.minRating())
                    || (!Double.isNaN(policy.maxRating()) && i.weight() > policy.maxRating());
            boolean timeBad = i.hasTimestamp() && (i.timestamp() < policy.minTimestamp() || i.timestamp() > policy.maxTimestamp());
            if ((ratingBad || timeBad) && policy.outOfRange() == CleaningPolicy.OutOfRange.FAIL) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "Dataset '%s': interaction of user %s with item %s has %s outside [%s, %s];"
                                + " fix the data, widen the bounds, or clean with outOfRange=drop",
                        data.name(), i.user(), i.item(), ratingBad ? "rating " + i.weight() : "timestamp " + i.timestamp(),
                        ratingBad ? policy.minRating() : policy.minTimestamp(), ratingBad ? policy.maxRating() : policy.maxTimestamp()));
            }
            if (ratingBad) {
                badRatings++;
            } else if (timeBad) {
                badTimes++;
            } else {
                inRange.add(i);
            }
        }
        int[] dup = new int[2];
        List<Interaction> unique = dedup(inRange, policy.duplicates(), dup);
        int[] cap = new int[3];
        List<Interaction> capped = cap(unique, policy.activeUserCap(), cap);
        if (capped.isEmpty()) {
            throw new IllegalArgumentException("Dataset '" + data.name() + "': no interaction is left after cleaning ("
                    + in.size() + " before); check the cleaning bounds");
        }
        Map<String, Integer> filled = new LinkedHashMap<>();
        FeatureTable<UserId> users = fill(data.users(), "user", policy, filled);
        FeatureTable<ItemId> items = fill(data.items(), "item", policy, filled);
        CleaningReport report = new CleaningReport(policy, in.size(), capped.size(), droppedUsers,
                unknownUsers.size(), droppedItems, unknownItems.size(), badRatings, badTimes, dup[0], dup[1], cap[0],
                cap[1], cap[2], filled);
        return new Result(new Dataset(data.name(), capped, users, items), report);
    }

    private static String first(Set<?> ids) {
        return ids.stream().limit(5).map(Object::toString).toList().toString();
    }

    private record Pair(UserId user, ItemId item) {
    }

    /** Merges duplicate pairs; {@code counts[0]} = duplicated pairs, {@code counts[1]} = removed interactions. */
    private static List<Interaction> dedup(List<Interaction> in, CleaningPolicy.Duplicates policy, int[] counts) {
        Map<Pair, Integer> latest = new HashMap<>();
        Map<Pair, Integer> occurrences = new HashMap<>();
        Map<Pair, Float> sums = new HashMap<>();
        for (int x = 0; x < in.size(); x++) {
            Interaction i = in.get(x);
            Pair key = new Pair(i.user(), i.item());
            occurrences.merge(key, 1, Integer::sum);
            sums.merge(key, i.weight(), Float::sum);
            Integer prev = latest.get(key);
            // Later in time wins; at equal (or no) time, later in the source wins.
            if (prev == null || in.get(prev).timestamp() <= i.timestamp()) {
                latest.put(key, x);
            }
        }
        for (int n : occurrences.values()) {
            if (n > 1) {
                counts[0]++;
                counts[1] += n - 1;
            }
        }
        if (policy == CleaningPolicy.Duplicates.KEEP_ALL || counts[0] == 0) {
            counts[1] = 0;
            return in;
        }
        List<Interaction> out = new ArrayList<>(in.size() - counts[1]);
        for (int x = 0; x < in.size(); x++) {
            Interaction i = in.get(x);
            Pair key = new Pair(i.user(), i.item());
            if (latest.get(key) != x) {
                continue;
            }
            out.add(policy == CleaningPolicy.Duplicates.SUM_WEIGHTS && occurrences.get(key) > 1
                    ? new Interaction(i.user(), i.item(), i.timestamp(), sums.get(key)) : i);
        }
        return out;
    }

    /** Caps users above a percentile; {@code counts} = limit, capped users, removed interactions. */
    private static List<Interaction> cap(List<Interaction> in, double percentile, int[] counts) {
        if (Double.isNaN(percentile)) {
            return in;
        }
        Map<UserId, List<Integer>> byUser = new LinkedHashMap<>();
        for (int x = 0; x < in.size(); x++) {
            byUser.computeIfAbsent(in.get(x).user(), k -> new ArrayList<>()).add(x);
        }
        int[] activity = byUser.values().stream().mapToInt(List::size).sorted().toArray();
        // Nearest-rank percentile of interactions per user.
        int rank = (int) Math.ceil(percentile / 100 * activity.length);
        int limit = activity[Math.max(0, rank - 1)];
        counts[0] = limit;
        boolean[] drop = new boolean[in.size()];
        for (List<Integer> rows : byUser.values()) {
            if (rows.size() <= limit) {
                continue;
            }
            counts[1]++;
            Integer[] order = rows.toArray(Integer[]::new);
            // The latest interactions stay: sort by time, then by source position.
            Arrays.sort(order, (a, b) -> {
                int c = Long.compare(in.get(a).timestamp(), in.get(b).timestamp());
                return c != 0 ? c : Integer.compare(a, b);
            });
            for (int r = 0; r < order.length - limit; r++) {
                drop[order[r]] = true;
                counts[2]++;
            }
        }
        List<Interaction> out = new ArrayList<>(in.size() - counts[2]);
        for (int x = 0; x < in.size(); x++) {
            if (!drop[x]) {
                out.add(in.get(x));
            }
        }
        return out;
    }

    private static <K> FeatureTable<K> fill(FeatureTable<K> table, String prefix, CleaningPolicy policy,
            Map<String, Integer> filled) {
        if (table.rows().isEmpty()) {
            return table;
        }
        Map<String, FeatureValue> fillers = new LinkedHashMap<>();
        for (FieldSpec field : table.schema().fields()) {
            if (field.type() == FeatureType.NUMERIC) {
                double[] present = table.rows().values().stream()
                        .map(r -> r.get(field.name()).orElse(null))
                        .filter(FeatureValue.Numeric.class::isInstance)
                        .mapToDouble(v -> ((FeatureValue.Numeric) v).value()).sorted().toArray();
                if (present.length == 0) {
                    continue;
                }
                switch (policy.missingNumeric()) {
                    case MEAN -> fillers.put(field.name(), FeatureValue.of(Arrays.stream(present).average().orElseThrow()));
                    case MEDIAN -> fillers.put(field.name(), FeatureValue.of(present.length % 2 == 1
                            ? present[present.length / 2]
                            : (present[present.length / 2 - 1] + present[present.length / 2]) / 2));
                    case ABSENT -> { }
                }
            } else if (policy.missingCategorical() == CleaningPolicy.MissingCategorical.MISSING_CATEGORY) {
                fillers.put(field.name(), field.type() == FeatureType.CATEGORICAL
                        ? FeatureValue.of(CleaningPolicy.MISSING) : FeatureValue.of(List.of(CleaningPolicy.MISSING)));
            }
        }
        if (fillers.isEmpty()) {
            return table;
        }
        Map<K, Features> rows = new LinkedHashMap<>();
        for (var e : table.rows().entrySet()) {
            Map<String, FeatureValue> values = null;
            for (var f : fillers.entrySet()) {
                if (!e.getValue().values().containsKey(f.getKey())) {
                    if (values == null) {
                        values = new LinkedHashMap<>(e.getValue().values());
                    }
                    values.put(f.getKey(), f.getValue());
                    filled.merge(prefix + "." + f.getKey(), 1, Integer::sum);
                }
            }
            rows.put(e.getKey(), values == null ? e.getValue() : new Features(values));
        }
        return new FeatureTable<>(table.schema(), rows);
    }
}
