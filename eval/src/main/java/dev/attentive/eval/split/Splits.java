package dev.attentive.eval.split;

import dev.attentive.api.Dataset;
import dev.attentive.api.Interaction;
import dev.attentive.api.UserId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Splitting protocols. Stateless and thread safe; the same data and seed give the same split. */
public final class Splits {
    private Splits() {
    }

    /**
     * RecBole's {@code RO_RS} split: each user's interactions in random order, cut by ratio. For a
     * user with {@code n} interactions, part {@code i > 0} gets {@code floor(ratio_i * n)}, the first
     * part the rest; then, as RecBole's {@code _calcu_split_ids} does, a later part whose exact share
     * {@code ratio_i * n} lies in (0, 1) gets one interaction moved from the first part, as long as the
     * first part keeps more than one (so a user with 5 interactions splits 3/1/1).
     *
     * @param data the dataset
     * @param ratios the train, validation and test ratios (normalised by their sum), e.g. 0.8, 0.1, 0.1
     * @param seed the seed of the random order
     * @return the split
     */
    public static Split ratio(Dataset data, double[] ratios, long seed) {
        if (ratios.length != 3) {
            throw new IllegalArgumentException("ratio split needs 3 ratios (train, valid, test), got " + ratios.length);
        }
        double sum = 0;
        for (double r : ratios) {
            if (!(r >= 0)) {
                throw new IllegalArgumentException("split ratios must be non-negative, got " + java.util.Arrays.toString(ratios));
            }
            sum += r;
        }
        double[] norm = new double[3];
        for (int i = 0; i < 3; i++) {
            norm[i] = ratios[i] / sum;
        }
        SplittableRandom random = new SplittableRandom(seed);
        List<Interaction> train = new ArrayList<>();
        List<Interaction> valid = new ArrayList<>();
        List<Interaction> test = new ArrayList<>();
        for (List<Interaction> own : byUser(data).values()) {
            List<Interaction> shuffled = new ArrayList<>(own);
            for (int i = shuffled.size() - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                Interaction t = shuffled.get(i);
                shuffled.set(i, shuffled.get(j));
                shuffled.set(j, t);
            }
            int[] counts = counts(shuffled.size(), norm);
            train.addAll(shuffled.subList(0, counts[0]));
            valid.addAll(shuffled.subList(counts[0], counts[0] + counts[1]));
            test.addAll(shuffled.subList(counts[0] + counts[1], shuffled.size()));
        }
        return new Split(data.withInteractions(train), data.withInteractions(valid), data.withInteractions(test));
    }

    /**
     * The part sizes of one group under RecBole's rounding rule.
     *
     * @param total the group size
     * @param ratios normalised ratios
     * @return the sizes, summing to {@code total}
     */
    static int[] counts(int total, double[] ratios) {
        int n = ratios.length;
        int[] cnt = new int[n];
        int rest = 0;
        for (int i = 1; i < n; i++) {
            cnt[i] = (int) (ratios[i] * total);
            rest += cnt[i];
        }
        cnt[0] = total - rest;
        for (int i = 1; i < n; i++) {
            if (cnt[0] <= 1) {
                break;
            }
            double share = ratios[n - i] * total;
            if (share > 0 && share < 1) {
                cnt[n - i] += 1;
                cnt[0] -= 1;
            }
        }
        return cnt;
    }

    /**
     * Temporal leave-one-out: per user, by time, the last interaction is the test, the second-to-last
     * the validation, the rest training. Ties in time keep the source order. A user with two
     * interactions gives one to training and one to test; a user with one keeps it in training.
     *
     * @param data the dataset, every interaction with a timestamp
     * @return the split
     * @throws IllegalArgumentException when the data has no timestamps
     */
    public static Split leaveOneOut(Dataset data) {
        requireTime(data, "temporal leave-one-out");
        List<Interaction> train = new ArrayList<>();
        List<Interaction> valid = new ArrayList<>();
        List<Interaction> test = new ArrayList<>();
        for (List<Interaction> own : byUser(data).values()) {
            List<Interaction> sorted = new ArrayList<>(own);
            sorted.sort(Comparator.comparingLong(Interaction::timestamp)); // stable: ties keep source order
            int n = sorted.size();
            if (n >= 3) {
                train.addAll(sorted.subList(0, n - 2));
                valid.add(sorted.get(n - 2));
                test.add(sorted.get(n - 1));
            } else if (n == 2) {
                train.add(sorted.get(0));
                test.add(sorted.get(1));
            } else {
                train.addAll(sorted);
            }
        }
        return new Split(data.withInteractions(train), data.withInteractions(valid), data.withInteractions(test));
    }

    /**
     * Global temporal split: all interactions by time (ties in source order), the first share for
     * training, the next for validation, the last for test.
     *
     * @param data the dataset, every interaction with a timestamp
     * @param ratios train, validation and test ratios, normalised by their sum
     * @return the split
     * @throws IllegalArgumentException when the data has no timestamps
     */
    public static Split globalTemporal(Dataset data, double[] ratios) {
        requireTime(data, "global temporal split");
        if (ratios.length != 3) {
            throw new IllegalArgumentException("global temporal split needs 3 ratios, got " + ratios.length);
        }
        double sum = ratios[0] + ratios[1] + ratios[2];
        List<Interaction> sorted = new ArrayList<>(data.interactions());
        sorted.sort(Comparator.comparingLong(Interaction::timestamp));
        int n = sorted.size();
        int trainEnd = (int) Math.round(n * ratios[0] / sum);
        int validEnd = (int) Math.round(n * (ratios[0] + ratios[1]) / sum);
        return new Split(data.withInteractions(sorted.subList(0, trainEnd)),
                data.withInteractions(sorted.subList(trainEnd, validEnd)),
                data.withInteractions(sorted.subList(validEnd, n)));
    }

    private static void requireTime(Dataset data, String protocol) {
        if (!data.hasTimestamps()) {
            long missing = data.interactions().stream().filter(i -> !i.hasTimestamp()).count();
            throw new IllegalArgumentException("The " + protocol + " needs a timestamp on every interaction, but "
                    + missing + " of " + data.interactions().size() + " interactions of '" + data.name()
                    + "' have none (e.g. ML-1M's ratings_no_timestamps.dat). Use the ratio protocol (recbole) instead,"
                    + " or load a ratings file with its time field.");
        }
    }

    private static Map<UserId, List<Interaction>> byUser(Dataset data) {
        Map<UserId, List<Interaction>> byUser = new LinkedHashMap<>();
        for (Interaction i : data.interactions()) {
            byUser.computeIfAbsent(i.user(), k -> new ArrayList<>()).add(i);
        }
        return byUser;
    }
}
