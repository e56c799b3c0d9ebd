/**
 * The exploratory profile of a dataset — counts, sparsity, popularity long tail, user activity,
 * rating distribution, time range and each feature's cardinality and missing share — as data and as
 * its {@code profile.json} document.
 */
package dev.attentive.eval.profile;
