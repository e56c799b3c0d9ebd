/**
 * Exports the user and item towers of a saved two-tower model as ONNX graphs with their feature
 * encoding inside (embedding tables as {@code Gather}, pooling, attention, MLP, L2 normalisation),
 * plus a {@code manifest.json} that tells a service without Attentive how to build the inputs.
 * The entry point is {@link dev.attentive.onnx.OnnxExport}.
 */
package dev.attentive.onnx;
