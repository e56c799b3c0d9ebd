/** Ranking metrics at any K, full-catalogue evaluation of any recommender, and paired significance tests. */
package dev.attentive.eval.metrics;
