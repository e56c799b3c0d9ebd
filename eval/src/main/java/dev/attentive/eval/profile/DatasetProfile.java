package dev.attentive.eval.profile;

import dev.attentive.api.Dataset;
import dev.attentive.api.FeatureTable;
import dev.attentive.api.FeatureValue;
import dev.attentive.api.Features;
import dev.attentive.api.FieldSpec;
import dev.attentive.api.Interaction;
import dev.attentive.api.ItemId;
import dev.attentive.api.UserId;
import dev.attentive.eval.data.CleaningReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The profile of a dataset. Immutable; build it with {@link #of(Dataset)}.
 *
 * @param name the dataset's name
 * @param users distinct users with at least one interaction
 * @param items distinct items with at least one interaction
 * @param interactions interactions
 * @param pairs distinct (user, item) pairs
 * @param catalogue items in the interactions or the item table
 * @param density {@code pairs / (users * items)}; sparsity is one minus it
 * @param longTail how concentrated interactions are on popular items
 * @param activity interactions per user
 * @param popularity interactions per item
 * @param ratings interaction weight to count, in ascending order of weight; empty when every weight is 1
 * @param time the time range, or null when no interaction has a timestamp
 * @param fields one entry per field of the user table, then of the item table
 * @param itemCountsDescending interactions per item, most popular first (for the long-tail plot)
 * @param userCounts interactions per user, in first-seen order (for the activity plot)
 */
public record DatasetProfile(String name, int users, int items, int interactions, long pairs, int catalogue,
        double density, LongTail longTail, Distribution activity, Distribution popularity, Map<Double, Integer> ratings,
        TimeRange time, List<FieldProfile> fields, List<Integer> itemCountsDescending, List<Integer> userCounts) {

    /** Validates and copies. */
    public DatasetProfile {
        Objects.requireNonNull(name, "name");
        ratings = java.util.Collections.unmodifiableMap(new TreeMap<>(ratings));
        fields = List.copyOf(fields);
        itemCountsDescending = List.copyOf(itemCountsDescending);
        userCounts = List.copyOf(userCounts);
    }

    /**
     * Summary statistics of a count per user or per item.
     *
     * @param min the smallest
     * @param median the median
     * @param mean the mean
     * @param p90 the 90th percentile (nearest rank)
     * @param p99 the 99th percentile (nearest rank)
     * @param max the largest
     */
    public record Distribution(int min, double median, double mean, int p90, int p99, int max) {
        static Distribution of(int[] values) {
            int[] v = values.clone();
            Arrays.sort(v);
            int n = v.length;
            double median = n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
            return new Distribution(v[0], median, Arrays.stream(v).average().orElse(0), rank(v, 90), rank(v, 99), v[n - 1]);
        }

        private static int rank(int[] sorted, double p) {
            return sorted[Math.max(0, (int) Math.ceil(p / 100 * sorted.length) - 1)];
        }
    }

    /**
     * The popularity long tail.
     *
     * @param top1 share of interactions on the most popular 1% of items (at least one item)
     * @param top10 share on the most popular 10%
     * @param top20 share on the most popular 20%
     * @param itemsForHalf the smallest share of items (most popular first) that holds half the interactions
     * @param gini the Gini coefficient of interactions per item (0 = even, towards 1 = concentrated)
     * @param singletons share of items with exactly one interaction
     */
    public record LongTail(double top1, double top10, double top20, double itemsForHalf, double gini, double singletons) {
    }

    /**
     * The time range of the interactions.
     *
     * @param first the earliest timestamp, ISO-8601 UTC
     * @param last the latest timestamp, ISO-8601 UTC
     * @param withTimestamp share of interactions that have a timestamp
     */
    public record TimeRange(String first, String last, double withTimestamp) {
    }

    /**
     * One feature field.
     *
     * @param table {@code user} or {@code item}
     * @param name the field name
     * @param type the field type, lower case
     * @param cardinality distinct values (for a multi-valued field, distinct single values)
     * @param missingShare share of the table's rows without a value (an empty multi-valued field counts as missing)
     * @param min the smallest value of a numeric field, else NaN
     * @param max the largest value of a numeric field, else NaN
     * @param mean the mean of a numeric field, else NaN
     */
    public record FieldProfile(String table, String name, String type, int cardinality, double missingShare,
            double min, double max, double mean) {
    }

    /**
     * Profiles a dataset.
     *
     * @param data the dataset, with at least one interaction
     * @return the profile
     * @throws IllegalArgumentException when the dataset has no interactions
     */
    public static DatasetProfile of(Dataset data) {
        List<Interaction> in = data.interactions();
        if (in.isEmpty()) {
            throw new IllegalArgumentException("Dataset '" + data.name() + "' has no interactions to profile");
        }
        Map<UserId, Integer> perUser = new LinkedHashMap<>();
        Map<ItemId, Integer> perItem = new LinkedHashMap<>();
        Set<Long> pairKeys = new HashSet<>();
        Map<UserId, Integer> userIndex = new HashMap<>();
        Map<ItemId, Integer> itemIndex = new HashMap<>();
        Map<Double, Integer> ratings = new TreeMap<>();
        boolean explicit = false;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        int timed = 0;
        for (Interaction i : in) {
            perUser.merge(i.user(), 1, Integer::sum);
            perItem.merge(i.item(), 1, Integer::sum);
            long u = userIndex.computeIfAbsent(i.user(), k -> userIndex.size());
            long it = itemIndex.computeIfAbsent(i.item(), k -> itemIndex.size());
            pairKeys.add(u << 32 | it);
            ratings.merge((double) i.weight(), 1, Integer::sum);
            explicit |= i.weight() != 1f;
            if (i.hasTimestamp()) {
                timed++;
                first = Math.min(first, i.timestamp());
                last = Math.max(last, i.timestamp());
            }
        }
        int[] userCounts = perUser.values().stream().mapToInt(Integer::intValue).toArray();
        int[] itemCounts = perItem.values().stream().mapToInt(Integer::intValue).toArray();
        Integer[] desc = perItem.values().toArray(Integer[]::new);
        Arrays.sort(desc, (a, b) -> Integer.compare(b, a));
        Set<ItemId> catalogue = new LinkedHashSet<>(perItem.keySet());
        catalogue.addAll(data.items().rows().keySet());
        List<FieldProfile> fields = new ArrayList<>();
        fields.addAll(fields("user", data.users()));
        fields.addAll(fields("item", data.items()));
        return new DatasetProfile(data.name(), perUser.size(), perItem.size(), in.size(), pairKeys.size(), catalogue.size(),
                (double) pairKeys.size() / ((double) perUser.size() * perItem.size()), longTail(desc, in.size()),
                Distribution.of(userCounts), Distribution.of(itemCounts), explicit ? ratings : Map.of(),
                timed == 0 ? null : new TimeRange(Instant.ofEpochSecond(first).toString(), Instant.ofEpochSecond(last).toString(),
                        (double) timed / in.size()),
                fields, Arrays.asList(desc), Arrays.stream(userCounts).boxed().toList());
    }

    private static LongTail longTail(Integer[] desc, int total) {
        int n = desc.length;
        double[] cumulative = new double[n + 1];
        for (int r = 0; r < n; r++) {
            cumulative[r + 1] = cumulative[r] + desc[r];
        }
        int half = 0;
        while (cumulative[half] < total / 2.0) {
            half++;
        }
        // Gini over counts sorted ascending: G = sum_i (2i - n - 1) x_i / (n sum x), i from 1.
        double g = 0;
        for (int r = 0; r < n; r++) {
            int ascendingRank = n - r;
            g += (2.0 * ascendingRank - n - 1) * desc[r];
        }
        int singletons = 0;
        for (int c : desc) {
            if (c == 1) {
                singletons++;
            }
        }
        return new LongTail(share(cumulative, n, 0.01, total), share(cumulative, n, 0.10, total),
                share(cumulative, n, 0.20, total), (double) half / n, n == 0 ? 0 : g / ((double) n * total),
                (double) singletons / n);
    }

    private static double share(double[] cumulative, int n, double fraction, int total) {
        int k = Math.max(1, (int) Math.ceil(fraction * n));
        return cumulative[Math.min(k, n)] / total;
    }

    private static List<FieldProfile> fields(String table, FeatureTable<?> t) {
        List<FieldProfile> out = new ArrayList<>();
        int rows = t.rows().size();
        for (FieldSpec field : t.schema().fields()) {
            Set<String> distinct = new HashSet<>();
            int missing = 0;
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            double sum = 0;
            int numbers = 0;
            for (Features row : t.rows().values()) {
                FeatureValue v = row.get(field.name()).orElse(null);
                switch (v) {
                    case null -> missing++;
                    case FeatureValue.Categorical c -> distinct.add(c.value());
                    case FeatureValue.MultiCategorical mc -> {
                        if (mc.values().isEmpty()) {
                            missing++;
                        }
                        distinct.addAll(mc.values());
                    }
                    case FeatureValue.Numeric num -> {
                        distinct.add(Double.toString(num.value()));
                        min = Math.min(min, num.value());
                        max = Math.max(max, num.value());
                        sum += num.value();
                        numbers++;
                    }
                }
            }
            boolean numeric = numbers > 0;
            out.add(new FieldProfile(table, field.name(), field.type().name().toLowerCase(Locale.ROOT), distinct.size(),
                    rows == 0 ? 0 : (double) missing / rows, numeric ? min : Double.NaN, numeric ? max : Double.NaN,
                    numeric ? sum / numbers : Double.NaN));
        }
        return out;
    }

    /**
     * The profile as the {@code profile.json} document: every statistic (without the per-item and
     * per-user count lists), rating values as keys ({@code "4"}, {@code "4.5"}), and the cleaning
     * report's counts under {@code cleaning} when one is given.
     *
     * @param cleaning the cleaning report of the profiled data, or null
     * @return indented JSON
     */
    public String toJson(CleaningReport cleaning) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("dataset", name);
        root.put("users", users);
        root.put("items", items);
        root.put("catalogue", catalogue);
        root.put("interactions", interactions);
        root.put("distinct_pairs", pairs);
        root.put("density", density);
        root.put("sparsity", 1 - density);
        root.put("long_tail", longTail);
        root.put("interactions_per_user", activity);
        root.put("interactions_per_item", popularity);
        Map<String, Integer> byRating = new LinkedHashMap<>();
        ratings.forEach((k, v) -> byRating.put(ratingKey(k), v));
        root.put("ratings", byRating);
        root.put("time", time);
        List<Map<String, Object>> fieldMaps = new ArrayList<>();
        for (FieldProfile f : fields) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("table", f.table());
            m.put("name", f.name());
            m.put("type", f.type());
            m.put("cardinality", f.cardinality());
            m.put("missing_share", f.missingShare());
            if (!Double.isNaN(f.mean())) {
                m.put("min", f.min());
                m.put("max", f.max());
                m.put("mean", f.mean());
            }
            fieldMaps.add(m);
        }
        root.put("fields", fieldMaps);
        if (cleaning != null) {
            root.put("cleaning", cleaning.toMap());
        }
        return JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build().writeValueAsString(root);
    }

    /**
     * Writes {@link #toJson(CleaningReport)} to a file (conventionally {@code profile.json}),
     * creating its folder if needed. The text goes to a temporary sibling first and is moved into
     * place, so a failure never leaves a half-written file; an existing file is replaced.
     *
     * @param file the file to write
     * @param cleaning the cleaning report of the profiled data, or null
     * @throws UncheckedIOException when the file cannot be written
     */
    public void writeJson(Path file, CleaningReport cleaning) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(tmp, toJson(cleaning));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the profile to " + file, e);
        }
    }

    /** A rating as a JSON key: whole numbers without a fraction ({@code 4}), others as they are ({@code 4.5}). */
    private static String ratingKey(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
