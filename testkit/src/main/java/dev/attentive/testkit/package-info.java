/**
 * Contract test suites that a provider's own test extends in a few lines
 * ({@link dev.attentive.testkit.AttentionContractTest}, {@link dev.attentive.testkit.TowerContractTest},
 * {@link dev.attentive.testkit.RetrieverContractTest}), finite-difference gradient checks, seeded
 * randomized cases that print their seed, and access to the real benchmark data.
 */
package dev.attentive.testkit;
