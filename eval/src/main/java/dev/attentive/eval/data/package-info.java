/**
 * Datasets: MovieLens loaders, the generic spec loader, the seeded synthetic generator with planted
 * structure, cleaning policies and profiles, and downloading releases safely.
 */
package dev.attentive.eval.data;
