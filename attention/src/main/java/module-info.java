/**
 * Attentive's attention plugins: attention pooling, AutoInt-style field self-attention, target-free
 * history attention, SASRec-style history self-attention, field gating and the concatenation baseline, plus the helper that turns their
 * weights into explanations.
 */
module dev.attentive.attention {
    requires transitive dev.attentive.api;
    requires dev.attentive.kernels;

    exports dev.attentive.attention;

    provides dev.attentive.api.spi.AttentionProvider with
            dev.attentive.attention.AttentionPoolingProvider,
            dev.attentive.attention.FieldSelfAttentionProvider,
            dev.attentive.attention.HistoryAttentionProvider,
            dev.attentive.attention.FieldGatingProvider,
            dev.attentive.attention.SelfAttentionProvider;
    provides dev.attentive.api.spi.RankerProvider with
            dev.attentive.attention.TargetAttentionRankerProvider,
            dev.attentive.attention.MlpRankerProvider;
}
