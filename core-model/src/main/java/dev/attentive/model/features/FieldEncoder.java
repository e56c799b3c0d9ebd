package dev.attentive.model.features;

import dev.attentive.api.FeatureType;
import dev.attentive.api.FeatureValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Turns one feature field's value into rows of the field's embedding table with weights; the
 * field's vector is the weighted sum of those rows. Row 0 is the out-of-vocabulary bucket of
 * vocabulary fields. Immutable after construction; thread safe.
 *
 * <ul>
 *   <li>{@link Kind#VOCABULARY}: one row per training value, weight 1.</li>
 *   <li>{@link Kind#HASHED}: {@code 1 + fnv1a(value) mod buckets}, for high-cardinality fields.</li>
 *   <li>{@link Kind#MULTI}: the vocabulary rows of each value, weight {@code 1/count} (their mean).</li>
 *   <li>{@link Kind#STANDARDIZED}: rows 0 (scale) and 1 (bias) with weights {@code z} and 1.</li>
 *   <li>{@link Kind#BUCKETIZED}: the quantile bucket of the value.</li>
 * </ul>
 */
public final class FieldEncoder {
    /** How a field is encoded. */
    public enum Kind { VOCABULARY, HASHED, MULTI, STANDARDIZED, BUCKETIZED }

    public final String name;
    public final FeatureType type;
    public final Kind kind;
    /** Vocabulary value to row (rows from 1), for VOCABULARY and MULTI. */
    public final Map<String, Integer> vocabulary;
    public final int hashBuckets;
    public final double mean;
    public final double std;
    /** Upper bucket edges for BUCKETIZED: bucket b holds values {@code <= edges[b]}; the last is open. */
    public final double[] edges;

    public FieldEncoder(String name, FeatureType type, Kind kind, Map<String, Integer> vocabulary, int hashBuckets,
            double mean, double std, double[] edges) {
        this.name = name;
        this.type = type;
        this.kind = kind;
        this.vocabulary = Map.copyOf(vocabulary);
        this.hashBuckets = hashBuckets;
        this.mean = mean;
        this.std = std;
        this.edges = edges.clone();
    }

    /** The number of rows of the field's embedding table. */
    public int rows() {
        return switch (kind) {
            case VOCABULARY, MULTI -> vocabulary.size() + 1;
            case HASHED -> hashBuckets + 1;
            case STANDARDIZED -> 2;
            case BUCKETIZED -> edges.length + 1;
        };
    }

    /**
     * Builds the encoder of a field from its training values.
     *
     * @param values the values of the training rows (any order)
     * @param maxVocabulary categorical fields with more distinct values are hashed
     * @param hashBuckets the buckets of hashed fields
     * @param numericBuckets quantile buckets of numeric fields, or 0 to standardise
     */
    public static FieldEncoder fit(String name, FeatureType type, List<FeatureValue> values, int maxVocabulary,
            int hashBuckets, int numericBuckets) {
        switch (type) {
            case CATEGORICAL, MULTI_CATEGORICAL -> {
                TreeSet<String> distinct = new TreeSet<>();
                for (FeatureValue v : values) {
                    if (v instanceof FeatureValue.Categorical c) {
                        distinct.add(c.value());
                    } else if (v instanceof FeatureValue.MultiCategorical m) {
                        distinct.addAll(m.values());
                    }
                }
                if (type == FeatureType.CATEGORICAL && distinct.size() > maxVocabulary) {
                    return new FieldEncoder(name, type, Kind.HASHED, Map.of(), hashBuckets, 0, 1, new double[0]);
                }
                Map<String, Integer> vocab = new LinkedHashMap<>();
                for (String s : distinct) {
                    vocab.put(s, vocab.size() + 1);
                }
                return new FieldEncoder(name, type, type == FeatureType.CATEGORICAL ? Kind.VOCABULARY : Kind.MULTI,
                        vocab, 0, 0, 1, new double[0]);
            }
            case NUMERIC -> {
                double[] xs = values.stream().mapToDouble(v -> ((FeatureValue.Numeric) v).value()).sorted().toArray();
                if (numericBuckets > 0) {
                    TreeSet<Double> cuts = new TreeSet<>();
                    for (int b = 1; b < numericBuckets && xs.length > 0; b++) {
                        cuts.add(xs[Math.min(xs.length - 1, (int) ((long) b * xs.length / numericBuckets))]);
                    }
                    double[] edges = cuts.stream().mapToDouble(Double::doubleValue).toArray();
                    return new FieldEncoder(name, type, Kind.BUCKETIZED, Map.of(), 0, 0, 1, edges);
                }
                double mean = Arrays.stream(xs).average().orElse(0);
                double var = Arrays.stream(xs).map(x -> (x - mean) * (x - mean)).average().orElse(1);
                double std = var > 1e-12 ? Math.sqrt(var) : 1;
                return new FieldEncoder(name, type, Kind.STANDARDIZED, Map.of(), 0, mean, std, new double[0]);
            }
            default -> throw new IllegalArgumentException("Unsupported feature type " + type + " of field " + name);
        }
    }

    /**
     * Appends the rows and weights of a value; nothing for a missing value.
     *
     * @param value the value, or null when missing
     * @param where what the value belongs to, for error messages
     */
    public void encode(FeatureValue value, List<int[]> out, String where) {
        if (value == null) {
            return;
        }
        if (value.type() != type) {
            throw new IllegalArgumentException("Field '" + name + "' of " + where + " has a " + value.type()
                    + " value, but the model was trained with " + type);
        }
        switch (kind) {
            case VOCABULARY -> out.add(new int[] {vocabulary.getOrDefault(((FeatureValue.Categorical) value).value(), 0),
                    Float.floatToIntBits(1f)});
            case HASHED -> out.add(new int[] {1 + hash(((FeatureValue.Categorical) value).value(), hashBuckets),
                    Float.floatToIntBits(1f)});
            case MULTI -> {
                List<String> vs = ((FeatureValue.MultiCategorical) value).values();
                if (vs.isEmpty()) {
                    return;
                }
                float w = 1f / vs.size();
                for (String s : vs) {
                    out.add(new int[] {vocabulary.getOrDefault(s, 0), Float.floatToIntBits(w)});
                }
            }
            case STANDARDIZED -> {
                double z = (((FeatureValue.Numeric) value).value() - mean) / std;
                out.add(new int[] {0, Float.floatToIntBits((float) z)});
                out.add(new int[] {1, Float.floatToIntBits(1f)});
            }
            case BUCKETIZED -> {
                double x = ((FeatureValue.Numeric) value).value();
                int b = Arrays.binarySearch(edges, x);
                int bucket = b >= 0 ? b : -b - 1;
                out.add(new int[] {bucket, Float.floatToIntBits(1f)});
            }
            default -> throw new IllegalStateException(kind.toString());
        }
    }

    /** FNV-1a of the UTF-8 bytes, stable across JVMs (unlike String.hashCode's spec-free mixing). */
    static int hash(String s, int buckets) {
        int h = 0x811c9dc5;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x01000193;
        }
        return Math.floorMod(h, buckets);
    }

    /** The rows and weights of one entity's fields, flattened: field f owns entries [offsets[f], offsets[f+1]). */
    public record Encoded(int[] offsets, int[] rows, float[] weights) {
        public static Encoded of(List<List<int[]>> perField) {
            int[] offsets = new int[perField.size() + 1];
            List<int[]> all = new ArrayList<>();
            for (int f = 0; f < perField.size(); f++) {
                all.addAll(perField.get(f));
                offsets[f + 1] = all.size();
            }
            int[] rows = new int[all.size()];
            float[] weights = new float[all.size()];
            for (int i = 0; i < all.size(); i++) {
                rows[i] = all.get(i)[0];
                weights[i] = Float.intBitsToFloat(all.get(i)[1]);
            }
            return new Encoded(offsets, rows, weights);
        }
    }
}
