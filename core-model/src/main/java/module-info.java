/**
 * Attentive's model: feature encoding, float kernels, the two-tower model, training, persistence,
 * the exact retriever and the mean attention.
 */
module dev.attentive.model {
    requires transitive dev.attentive.api;
    requires static jdk.incubator.vector;
    requires tools.jackson.databind;

    exports dev.attentive.model;

    provides dev.attentive.api.spi.RetrieverProvider with dev.attentive.model.ExactRetrieverProvider;
    provides dev.attentive.api.spi.AttentionProvider with dev.attentive.model.MeanAttentionProvider,
            dev.attentive.model.ConcatMlpProvider;
    provides dev.attentive.api.spi.TowerProvider with dev.attentive.model.MlpTowerProvider;
    provides dev.attentive.api.spi.ModelProvider with dev.attentive.model.TwoTowerModelProvider;
}
