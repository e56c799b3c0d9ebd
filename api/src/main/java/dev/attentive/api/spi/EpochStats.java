package dev.attentive.api.spi;

/**
 * What a model reports after each training epoch.
 *
 * @param epoch the epoch, from 1
 * @param loss the mean training loss of the epoch
 * @param interactionsPerSecond training throughput of the epoch
 * @param validation the validation metric after the epoch (higher is better), or NaN when not measured
 * @since 0.1.0
 */
public record EpochStats(int epoch, double loss, double interactionsPerSecond, double validation) {
}
