package dev.attentive.api.spi;

import dev.attentive.api.Recommender;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;

/**
 * What the caller of {@link ModelProvider#train} supplies beside data and config.
 *
 * @param seed the seed of every random choice in training; the same seed and thread count give the
 *     same model
 * @param threads how many threads training may use, at least 1
 * @param validation scores a candidate model on held-out data (higher is better; the harness passes
 *     NDCG@10 on the validation split); models use it for early stopping and grid selection. It may
 *     return NaN when there is no validation data
 * @param progress receives each epoch's statistics (iterative models) — never null
 * @since 0.1.0
 */
public record TrainingContext(long seed, int threads, ToDoubleFunction<Recommender> validation,
        Consumer<EpochStats> progress) {
    /** Validates. */
    public TrainingContext {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        Objects.requireNonNull(validation, "validation");
        Objects.requireNonNull(progress, "progress");
    }

    /**
     * A context without validation or progress reporting.
     *
     * @param seed the seed
     * @return the context, using every available processor
     */
    public static TrainingContext of(long seed) {
        return new TrainingContext(seed, Runtime.getRuntime().availableProcessors(), r -> Double.NaN, s -> { });
    }
}
