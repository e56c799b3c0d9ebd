/**
 * Attentive's stable API: value types, the {@link dev.attentive.api.Recommender},
 * {@link dev.attentive.api.Tower}, {@link dev.attentive.api.Attention} and
 * {@link dev.attentive.api.Retriever} contracts, and the plugin SPI with its registry.
 * Depends on the JDK only.
 */
module dev.attentive.api {
    exports dev.attentive.api;
    exports dev.attentive.api.spi;

    uses dev.attentive.api.spi.AttentionProvider;
    uses dev.attentive.api.spi.TowerProvider;
    uses dev.attentive.api.spi.RetrieverProvider;
    uses dev.attentive.api.spi.ModelProvider;
    uses dev.attentive.api.spi.RankerProvider;
}
