/**
 * The exploratory profile of a dataset — counts, sparsity, popularity long tail, user activity,
 * rating distribution, time range and each feature's cardinality and missing share — and its
 * JSON, markdown and HTML (with plots) reports.
 */
package dev.attentive.eval.profile;
