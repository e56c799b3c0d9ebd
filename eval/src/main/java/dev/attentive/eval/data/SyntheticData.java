package dev.attentive.eval.data;

import dev.attentive.api.Dataset;
import dev.attentive.api.FeatureSchema;
import dev.attentive.api.FeatureTable;
import dev.attentive.api.Features;
import dev.attentive.api.FieldSpec;
import dev.attentive.api.Interaction;
import dev.attentive.api.ItemId;
import dev.attentive.api.UserId;
import dev.attentive.api.spi.ConfigException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A seeded generator of interaction data with planted structure, the embedded default for demos and
 * tests. Every item has a topic ({@code genre}) and a {@code quality}; every user has a {@code region}
 * and an {@code age}. A user prefers two topics — one fixed by the region, one by the age group — and
 * high quality; items are also drawn in proportion to a Zipf popularity, and with probability
 * {@link Config#sequentialShare()} the next item has the topic of the user's previous item. All other
 * fields are noise, drawn independently of every choice:
 * <ul>
 *   <li>informative user fields: {@code region} (categorical), {@code age} (numeric);</li>
 *   <li>noise user fields: {@code device} (categorical), {@code interests} (multi-valued),
 *       {@code height} (numeric);</li>
 *   <li>informative item fields: {@code genre} (categorical), {@code quality} (numeric);</li>
 *   <li>noise item fields: {@code color} (categorical), {@code tags} (multi-valued), {@code weight} (numeric).</li>
 * </ul>
 * Timestamps increase along each user's sequence (one hour apart, users starting at random times in
 * one year), so temporal protocols can run and the last items of a user follow from the earlier ones.
 * Interactions are implicit (weight 1); a user never interacts with an item twice. Immutable and
 * thread safe; the same config and seed give the same dataset.
 *
 * <pre>{@code
 * var synthetic = new SyntheticData(SyntheticData.Config.defaults());
 * Dataset data = synthetic.generate(42);
 * List<String> planted = synthetic.informativeItemFields();   // [genre, quality]
 * }</pre>
 */
public final class SyntheticData {
    private static final List<String> INFORMATIVE_USER = List.of("region", "age");
    private static final List<String> NOISE_USER = List.of("device", "interests", "height");
    private static final List<String> INFORMATIVE_ITEM = List.of("genre", "quality");
    private static final List<String> NOISE_ITEM = List.of("color", "tags", "weight");
    private static final long START = 1_600_000_000L;

    private final Config config;

    /**
     * The generator's knobs.
     *
     * @param users how many users, at least 2
     * @param items how many items, at least 2 x {@code topics}
     * @param topics how many topics (genres and regions), at least 3
     * @param meanInteractionsPerUser the mean sequence length, at least 3 and below {@code items / 2};
     *     lengths are drawn uniformly in [3, 2 x mean - 3]
     * @param zipfExponent the exponent of item popularity (0 = uniform), in [0, 3]
     * @param preferenceStrength how strongly preferred topics and quality shape choices, in [0, 20]
     * @param sequentialShare the probability that the next item repeats the previous item's topic, in [0, 1]
     */
    public record Config(int users, int items, int topics, int meanInteractionsPerUser, double zipfExponent,
            double preferenceStrength, double sequentialShare) {
        /** Validates every knob, reporting all problems at once. */
        public Config {
            var p = new ConfigException.Problems("synthetic");
            p.check(users >= 2, "users must be at least 2, got " + users);
            p.check(topics >= 3, "topics must be at least 3, got " + topics);
            p.check(items >= 2 * topics, "items must be at least 2 x topics = " + 2 * topics + ", got " + items);
            p.check(meanInteractionsPerUser >= 3 && meanInteractionsPerUser < items / 2,
                    "meanInteractionsPerUser must be in [3, items/2), got " + meanInteractionsPerUser);
            p.check(zipfExponent >= 0 && zipfExponent <= 3, "zipfExponent must be in [0, 3], got " + zipfExponent);
            p.check(preferenceStrength >= 0 && preferenceStrength <= 20,
                    "preferenceStrength must be in [0, 20], got " + preferenceStrength);
            p.check(sequentialShare >= 0 && sequentialShare <= 1,
                    "sequentialShare must be in [0, 1], got " + sequentialShare);
            p.throwIfAny();
        }

        /**
         * The defaults: 1,000 users, 500 items, 8 topics, 30 interactions per user, Zipf 0.8,
         * preference strength 3, sequential share 0.3.
         *
         * @return the default config
         */
        public static Config defaults() {
            return new Config(1000, 500, 8, 30, 0.8, 3.0, 0.3);
        }
    }

    /**
     * A generator.
     *
     * @param config the config, not null
     */
    public SyntheticData(Config config) {
        this.config = java.util.Objects.requireNonNull(config, "config");
    }

    /**
     * The config.
     *
     * @return the config
     */
    public Config config() {
        return config;
    }

    /**
     * The user fields that drive preferences.
     *
     * @return {@code [region, age]}
     */
    public List<String> informativeUserFields() {
        return INFORMATIVE_USER;
    }

    /**
     * The user fields that are pure noise.
     *
     * @return {@code [device, interests, height]}
     */
    public List<String> noiseUserFields() {
        return NOISE_USER;
    }

    /**
     * The item fields that drive preferences.
     *
     * @return {@code [genre, quality]}
     */
    public List<String> informativeItemFields() {
        return INFORMATIVE_ITEM;
    }

    /**
     * The item fields that are pure noise.
     *
     * @return {@code [color, tags, weight]}
     */
    public List<String> noiseItemFields() {
        return NOISE_ITEM;
    }

    /**
     * The two topics a user with these informative features prefers: the region's own topic, and the
     * next (age below 40) or the one after (age 40 and over).
     *
     * @param region the user's region index in [0, topics)
     * @param age the user's age
     * @return the two topic indexes
     */
    public int[] preferredTopics(int region, double age) {
        int t = config.topics();
        return new int[] {region % t, (region + (age < 40 ? 1 : 2)) % t};
    }

    /**
     * Generates a dataset named {@code synthetic}.
     *
     * @param seed the seed
     * @return the dataset
     */
    public Dataset generate(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int nItems = config.items();
        int topics = config.topics();
        int[] topic = new int[nItems];
        double[] quality = new double[nItems];
        double[] logPopularity = new double[nItems];
        Map<ItemId, Features> items = new LinkedHashMap<>();
        // Popularity rank is a random permutation so that item ids carry no signal.
        int[] rank = permutation(random, nItems);
        List<List<Integer>> byTopic = new ArrayList<>();
        for (int t = 0; t < topics; t++) {
            byTopic.add(new ArrayList<>());
        }
        for (int i = 0; i < nItems; i++) {
            topic[i] = i % topics;
            byTopic.get(topic[i]).add(i);
            quality[i] = random.nextDouble();
            logPopularity[i] = -config.zipfExponent() * Math.log(rank[i] + 1.0);
            List<String> tags = new ArrayList<>();
            int nTags = random.nextInt(4);
            for (int k = 0; k < nTags; k++) {
                String tag = "tag" + random.nextInt(20);
                if (!tags.contains(tag)) {
                    tags.add(tag);
                }
            }
            items.put(itemId(i), Features.builder()
                    .categorical("genre", "g" + topic[i])
                    .numeric("quality", Math.round(quality[i] * 1000) / 1000.0)
                    .categorical("color", "c" + random.nextInt(6))
                    .multi("tags", tags)
                    .numeric("weight", Math.round(random.nextDouble() * 100) / 10.0)
                    .build());
        }
        Map<UserId, Features> users = new LinkedHashMap<>();
        List<Interaction> interactions = new ArrayList<>();
        double[] weight = new double[nItems];
        boolean[] seen = new boolean[nItems];
        double strength = config.preferenceStrength();
        for (int u = 0; u < config.users(); u++) {
            int region = random.nextInt(topics);
            double age = 18 + random.nextInt(53);
            List<String> interests = new ArrayList<>();
            int nInterests = 1 + random.nextInt(3);
            for (int k = 0; k < nInterests; k++) {
                String in = "i" + random.nextInt(10);
                if (!interests.contains(in)) {
                    interests.add(in);
                }
            }
            UserId user = UserId.of("u" + u);
            users.put(user, Features.builder()
                    .categorical("region", "r" + region)
                    .numeric("age", age)
                    .categorical("device", random.nextBoolean() ? "mobile" : "desktop")
                    .multi("interests", interests)
                    .numeric("height", Math.round((150 + random.nextDouble() * 50) * 10) / 10.0)
                    .build());
            int[] preferred = preferredTopics(region, age);
            int mean = config.meanInteractionsPerUser();
            int length = 3 + random.nextInt(2 * mean - 5);
            long time = START + random.nextInt(365 * 24) * 3600L;
            java.util.Arrays.fill(seen, false);
            int previous = -1;
            for (int step = 0; step < length; step++) {
                boolean sequential = previous >= 0 && random.nextDouble() < config.sequentialShare();
                double total = 0;
                for (int i = 0; i < nItems; i++) {
                    double w;
                    if (seen[i] || (sequential && topic[i] != topic[previous])) {
                        w = 0;
                    } else {
                        double affinity = (topic[i] == preferred[0] || topic[i] == preferred[1] ? 1 : 0) + quality[i];
                        w = Math.exp(logPopularity[i] + strength * affinity);
                    }
                    weight[i] = w;
                    total += w;
                }
                if (total <= 0) {
                    break; // the previous topic is exhausted for this user; end the sequence
                }
                int chosen = sample(random, weight, total);
                seen[chosen] = true;
                interactions.add(new Interaction(user, itemId(chosen), time, 1f));
                time += 3600;
                previous = chosen;
            }
        }
        return new Dataset("synthetic", interactions,
                new FeatureTable<>(FeatureSchema.of(FieldSpec.categorical("region"), FieldSpec.numeric("age"),
                        FieldSpec.categorical("device"), FieldSpec.multiCategorical("interests"),
                        FieldSpec.numeric("height")), users),
                new FeatureTable<>(FeatureSchema.of(FieldSpec.categorical("genre"), FieldSpec.numeric("quality"),
                        FieldSpec.categorical("color"), FieldSpec.multiCategorical("tags"),
                        FieldSpec.numeric("weight")), items));
    }

    private static ItemId itemId(int i) {
        return ItemId.of("i" + i);
    }

    private static int sample(SplittableRandom random, double[] weight, double total) {
        double r = random.nextDouble() * total;
        int last = -1;
        for (int i = 0; i < weight.length; i++) {
            if (weight[i] > 0) {
                last = i;
                r -= weight[i];
                if (r < 0) {
                    return i;
                }
            }
        }
        return last;
    }

    private static int[] permutation(SplittableRandom random, int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
