/** Seeded filters (rating threshold, iterative k-core) and splits (RecBole ratio, leave-one-out, global temporal). */
package dev.attentive.eval.split;
