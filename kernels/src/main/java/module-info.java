/**
 * Attentive's float kernels, published for every module and every plugin author: dot products and
 * axpy with their accumulation named, strided GEMM, softmax, retrieval panel scoring, a bounded
 * top-k heap and a parallel-for. Depends on the JDK only; the incubating Vector API is used when it
 * is in the boot layer (see {@link dev.attentive.kernels.VectorSupport}).
 *
 * @since 0.2.0
 */
module dev.attentive.kernels {
    requires static jdk.incubator.vector;

    exports dev.attentive.kernels;
}
