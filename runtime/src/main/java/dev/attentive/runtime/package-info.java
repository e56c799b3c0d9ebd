/**
 * The serving runtime: {@link dev.attentive.runtime.Attentive} turns code or a config file into a
 * {@link dev.attentive.runtime.ServingRecommender}, which journals catalogue changes and swaps models
 * without stopping requests. Every other type here is an implementation detail.
 */
package dev.attentive.runtime;
