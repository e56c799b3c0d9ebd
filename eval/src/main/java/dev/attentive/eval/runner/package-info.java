/**
 * The experiment runner: model specs with overrides and grids, protocols, progress events for a
 * listener, and the results with their {@code results.json} document.
 */
package dev.attentive.eval.runner;
