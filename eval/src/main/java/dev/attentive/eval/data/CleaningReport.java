package dev.attentive.eval.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * What {@link Cleaning} changed, with counts. Immutable.
 *
 * @param policy the policy applied
 * @param interactionsIn interactions before cleaning
 * @param interactionsOut interactions after cleaning
 * @param droppedUnknownUsers interactions dropped because their user has no feature row
 * @param unknownUsers distinct users without a feature row (dropped or kept, per policy)
 * @param droppedUnknownItems interactions dropped because their item has no feature row
 * @param unknownItems distinct items without a feature row (dropped or kept, per policy)
 * @param droppedRatingOutOfRange interactions dropped for a rating outside the bounds
 * @param droppedTimestampOutOfRange interactions dropped for a timestamp outside the bounds
 * @param duplicatePairs distinct (user, item) pairs that occurred more than once
 * @param duplicatesRemoved interactions removed by merging duplicates
 * @param capLimit the interactions-per-user cap from the percentile, or 0 when no cap applied
 * @param cappedUsers users whose interactions were cut to the cap
 * @param cappedInteractions interactions removed by the cap
 * @param filled per table and field ({@code user.age}, {@code item.genres}), how many rows had the
 *     missing value filled
 */
public record CleaningReport(CleaningPolicy policy, int interactionsIn, int interactionsOut, int droppedUnknownUsers,
        int unknownUsers, int droppedUnknownItems, int unknownItems, int droppedRatingOutOfRange,
        int droppedTimestampOutOfRange, int duplicatePairs, int duplicatesRemoved, int capLimit, int cappedUsers,
        int cappedInteractions, Map<String, Integer> filled) {

    /** Validates and copies. */
    public CleaningReport {
        Objects.requireNonNull(policy, "policy");
        filled = Collections.unmodifiableMap(new LinkedHashMap<>(filled));
    }

    /**
     * The report as text lines, one per change, or one line saying nothing changed.
     *
     * @return the lines
     */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        out.add(String.format(Locale.ROOT, "cleaning: %,d interactions in, %,d out", interactionsIn, interactionsOut));
        if (unknownUsers > 0) {
            out.add(String.format(Locale.ROOT, "  users without a feature row: %,d (%,d interactions dropped)",
                    unknownUsers, droppedUnknownUsers));
        }
        if (unknownItems > 0) {
            out.add(String.format(Locale.ROOT, "  items without a feature row: %,d (%,d interactions dropped)",
                    unknownItems, droppedUnknownItems));
        }
        if (droppedRatingOutOfRange > 0) {
            out.add(String.format(Locale.ROOT, "  ratings outside [%s, %s]: %,d dropped", policy.minRating(),
                    policy.maxRating(), droppedRatingOutOfRange));
        }
        if (droppedTimestampOutOfRange > 0) {
            out.add(String.format(Locale.ROOT, "  timestamps outside [%d, %d]: %,d dropped", policy.minTimestamp(),
                    policy.maxTimestamp(), droppedTimestampOutOfRange));
        }
        if (duplicatePairs > 0) {
            out.add(String.format(Locale.ROOT, "  duplicate (user, item) pairs: %,d (%s, %,d interactions removed)",
                    duplicatePairs, policy.duplicates().name().toLowerCase(Locale.ROOT).replace('_', '-'), duplicatesRemoved));
        }
        if (cappedUsers > 0) {
            out.add(String.format(Locale.ROOT, "  users above the %s-th percentile (%,d interactions): %,d capped, %,d interactions removed",
                    policy.activeUserCap(), capLimit, cappedUsers, cappedInteractions));
        }
        filled.forEach((field, n) -> out.add(String.format(Locale.ROOT, "  missing %s filled in %,d rows", field, n)));
        if (out.size() == 1) {
            out.add("  nothing to clean");
        }
        return out;
    }

    /**
     * The report as the {@code cleaning.json} document: {@link #toMap()} as indented JSON.
     *
     * @return indented JSON
     */
    public String toJson() {
        return JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build().writeValueAsString(toMap());
    }

    /**
     * The report as a JSON-ready map (counts and the policy's settings).
     *
     * @return the map
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("policy", dev.attentive.api.spi.Configs.settings(policy));
        m.put("interactions_in", interactionsIn);
        m.put("interactions_out", interactionsOut);
        m.put("unknown_users", unknownUsers);
        m.put("dropped_unknown_users", droppedUnknownUsers);
        m.put("unknown_items", unknownItems);
        m.put("dropped_unknown_items", droppedUnknownItems);
        m.put("dropped_rating_out_of_range", droppedRatingOutOfRange);
        m.put("dropped_timestamp_out_of_range", droppedTimestampOutOfRange);
        m.put("duplicate_pairs", duplicatePairs);
        m.put("duplicates_removed", duplicatesRemoved);
        m.put("cap_limit", capLimit);
        m.put("capped_users", cappedUsers);
        m.put("capped_interactions", cappedInteractions);
        m.put("filled", filled);
        return m;
    }
}
