/**
 * Float kernels on arrays with explicit offsets and strides ({@link dev.attentive.kernels.Vectors},
 * {@link dev.attentive.kernels.Gemm}, {@link dev.attentive.kernels.Softmax},
 * {@link dev.attentive.kernels.LayerNorm},
 * {@link dev.attentive.kernels.PanelScorer}), a bounded top-k heap ({@link dev.attentive.kernels.TopK})
 * and a bounded parallel-for ({@link dev.attentive.kernels.ParallelFor}). Every kernel states its
 * accumulation order, so results are bit-for-bit reproducible for a given JDK and vector switch.
 *
 * @since 0.2.0
 */
package dev.attentive.kernels;
