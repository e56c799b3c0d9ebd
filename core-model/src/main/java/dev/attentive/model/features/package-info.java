/**
 * Internal (not exported): feature encoding, the first stage of the flow. A field encoder turns one
 * field's value into weighted rows of the field's embedding table (vocabularies with an
 * out-of-vocabulary row, hashing, multi-hot means, standardised or bucketised numbers).
 */
package dev.attentive.model.features;
