/**
 * Attentive's model: feature encoding, the two-tower model and its building blocks, training, serving
 * with the exact retriever, and persistence. Only {@code dev.attentive.model} is API; the packages
 * along the data flow ({@code features}, {@code nn}, {@code train}, {@code serve}, {@code store}) are
 * internal.
 */
module dev.attentive.model {
    requires transitive dev.attentive.api;
    requires dev.attentive.kernels;
    requires tools.jackson.databind;

    exports dev.attentive.model;

    provides dev.attentive.api.spi.RetrieverProvider with dev.attentive.model.ExactRetrieverProvider;
    provides dev.attentive.api.spi.AttentionProvider with dev.attentive.model.MeanAttentionProvider,
            dev.attentive.model.ConcatMlpProvider;
    provides dev.attentive.api.spi.TowerProvider with dev.attentive.model.MlpTowerProvider;
    provides dev.attentive.api.spi.ModelProvider with dev.attentive.model.TwoTowerModelProvider,
            dev.attentive.model.TwoStageModelProvider;
}
