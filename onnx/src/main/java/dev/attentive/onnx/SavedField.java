package dev.attentive.onnx;

import java.util.List;

/**
 * One field encoder of a saved model's {@code features.json}: how a raw value becomes rows of the
 * field's embedding table (see {@code core-model/MODEL-FORMAT.md}).
 *
 * @param name the field name ({@code userId}/{@code itemId} for the id fields)
 * @param type the feature type's name ({@code CATEGORICAL}, {@code MULTI_CATEGORICAL}, {@code NUMERIC})
 * @param kind the encoder kind
 * @param vocabulary the values in row order, rows from 1 (vocabulary and multi kinds), else empty
 * @param hashBuckets the hash buckets (hashed kind), else 0
 * @param mean the training mean (standardized kind)
 * @param std the training standard deviation (standardized kind)
 * @param edges the upper bucket bounds (bucketized kind), else empty
 */
record SavedField(String name, String type, Kind kind, List<String> vocabulary, int hashBuckets, double mean,
        double std, double[] edges) {

    /** The encoder kinds of {@code features.json}. */
    enum Kind { VOCABULARY, HASHED, MULTI, STANDARDIZED, BUCKETIZED }

    SavedField {
        vocabulary = List.copyOf(vocabulary);
        edges = edges.clone();
    }

    /** The number of rows of the field's embedding table, as the library sizes it. */
    int rows() {
        return switch (kind) {
            case VOCABULARY, MULTI -> vocabulary.size() + 1;
            case HASHED -> hashBuckets + 1;
            case STANDARDIZED -> 2;
            case BUCKETIZED -> edges.length + 1;
        };
    }
}
