/** The experiment runner: model specs with overrides and grids, protocols, results.json and reports. */
package dev.attentive.eval.runner;
