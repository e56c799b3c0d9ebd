package dev.attentive.examples;

import dev.attentive.api.Dataset;
import dev.attentive.api.spi.ModelInputs;
import dev.attentive.api.spi.ModelProvider;
import dev.attentive.api.spi.ProviderRegistry;
import dev.attentive.eval.runner.ExperimentResult;
import dev.attentive.eval.runner.ModelSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The parts of an experiment's results that the command line prints after the per-seed tables:
 * which inputs each model read, and the paired significance tests between models. Stateless.
 */
final class ResultTables {
    /** The level below which a difference is starred (each test on its own, not corrected for the many pairs). */
    static final double ALPHA = 0.05;

    private ResultTables() {
    }

    /** The width of a column of model labels: the longest label, at least 28 characters. */
    static int labelWidth(java.util.Collection<String> labels) {
        return Math.max(28, labels.stream().mapToInt(String::length).max().orElse(0));
    }

    /**
     * One line per model: the inputs its provider reports for the settings it was scored with, e.g.
     * {@code interactions only} or {@code user: age, gender; item: genre; recent items (mean, static)}.
     *
     * @param out where to print
     * @param result the results (labels and chosen settings)
     * @param data the data the models were trained on (its schemas name the fields)
     * @param models the model providers
     */
    static void printInputs(CliOutput out, ExperimentResult result, Dataset data,
            ProviderRegistry<ModelProvider<?>> models) {
        out.result("inputs (beside the interactions):");
        int width = labelWidth(result.models().keySet());
        for (var e : result.models().entrySet()) {
            out.resultf("  %-" + width + "s %s", e.getKey(), inputs(e.getKey(), e.getValue().get(0).params(), data, models));
        }
    }

    /** What the provider of a labelled model says it reads, or why that is not known. */
    static String inputs(String label, Map<String, String> params, Dataset data,
            ProviderRegistry<ModelProvider<?>> models) {
        Optional<? extends ModelProvider<?>> provider = models.find(ModelSpec.parse(label).name());
        if (provider.isEmpty()) {
            return "not reported (no provider named " + ModelSpec.parse(label).name() + ")";
        }
        return provider.get().inputs(data, params).map(ModelInputs::describe).orElse("not reported by its provider");
    }

    /**
     * The paired comparisons (per user and seed) as a table: a, b, metric, mean a−b, its 95%
     * bootstrap interval, the paired t-test's and Wilcoxon's p, and a star where both p are below
     * {@link #ALPHA}.
     *
     * @param out where to print
     * @param comparisons the comparisons
     */
    static void printSignificance(CliOutput out, List<ExperimentResult.ComparisonResult> comparisons) {
        if (comparisons.isEmpty()) {
            return;
        }
        int width = labelWidth(comparisons.stream().flatMap(c -> java.util.stream.Stream.of(c.a(), c.b())).toList());
        out.result("paired comparisons per user and seed (* where t-test and Wilcoxon p < " + ALPHA + ", uncorrected):");
        out.resultf("  %-" + width + "s %-" + width + "s %-10s %8s  %-20s %9s %10s", "a", "b", "metric", "a-b", "95% CI",
                "t-test p", "Wilcoxon p");
        for (var c : comparisons) {
            boolean significant = c.pValue() < ALPHA && c.wilcoxonP() < ALPHA;
            out.resultf("  %-" + width + "s %-" + width + "s %-10s %+8.4f  [%+.4f, %+.4f] %9.2g %10.2g%s", c.a(), c.b(),
                    c.metric(),
                    c.meanDiff(), c.ciLow(), c.ciHigh(), c.pValue(), c.wilcoxonP(), significant ? "  *" : "");
        }
    }
}
