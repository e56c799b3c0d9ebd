/**
 * Attentive's evaluation harness as a library: datasets and loaders, cleaning and profiles, filters
 * and splits, metrics and significance, baselines (as model providers), and the experiment runner
 * with its {@code results.json}. No command line, plots or reports: those are the application's
 * ({@code dev.attentive.examples}).
 */
module dev.attentive.eval {
    requires transitive dev.attentive.api;
    requires dev.attentive.kernels;
    requires ejml.core;
    requires ejml.ddense;
    requires java.net.http;
    requires tools.jackson.core;
    requires tools.jackson.databind;
    requires tools.jackson.dataformat.yaml;
    requires org.tribuo.core;
    requires org.tribuo.classification.core;
    requires org.tribuo.classification.sgd;
    requires org.tribuo.common.sgd;
    requires org.tribuo.math;

    exports dev.attentive.eval.data;
    exports dev.attentive.eval.split;
    exports dev.attentive.eval.metrics;
    exports dev.attentive.eval.baselines;
    exports dev.attentive.eval.runner;
    exports dev.attentive.eval.tune;
    exports dev.attentive.eval.profile;

    opens dev.attentive.eval.data to tools.jackson.databind;

    uses dev.attentive.api.spi.ModelProvider;

    provides dev.attentive.api.spi.ModelProvider with
            dev.attentive.eval.baselines.RandomModelProvider,
            dev.attentive.eval.baselines.PopModelProvider,
            dev.attentive.eval.baselines.ItemKnnModelProvider,
            dev.attentive.eval.baselines.EaseModelProvider,
            dev.attentive.eval.baselines.BprModelProvider,
            dev.attentive.eval.baselines.FmModelProvider;
}
