package dev.attentive.onnx;

import ai.onnx.proto.OnnxMl;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXOperator;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXRef;

/**
 * A thin layer over Tribuo's {@link ONNXContext} with the few composite steps the towers repeat
 * (unsqueeze, sums over an axis, casts, constants) and typed graph inputs. Tribuo's context makes
 * only {@code float32 [batch, n]} inputs, so inputs are declared through it and their element type
 * and shape are set on the built graph ({@link #model}). One builder makes one graph; not thread safe.
 */
final class GraphBuilder {
    /** The ONNX IR version written; opset 13 needs 7 or later, and every current runtime reads 8. */
    private static final long IR_VERSION = 8;

    /** A declared input: its element type and shape (an Integer is a fixed size, a String a symbolic one). */
    private record InputType(OnnxMl.TensorProto.DataType type, List<Object> shape, String doc) {
    }

    private final ONNXContext context = new ONNXContext();
    private final Map<String, InputType> inputs = new LinkedHashMap<>();

    GraphBuilder(String graphName) {
        context.setName(graphName);
    }

    /** Declares a graph input of the given element type and shape ({@code Integer} or symbolic {@code String} dims). */
    ONNXRef<?> input(String name, OnnxMl.TensorProto.DataType type, List<Object> shape, String doc) {
        if (inputs.put(name, new InputType(type, List.copyOf(shape), doc)) != null) {
            throw new IllegalArgumentException("Two inputs of one graph are named '" + name + "'");
        }
        return context.floatInput(name, 1);
    }

    ONNXRef<?> floats(String name, int[] shape, float[] values) {
        List<Integer> dims = new ArrayList<>();
        for (int d : shape) {
            dims.add(d);
        }
        return context.floatTensor(name, dims, buffer -> buffer.put(values));
    }

    ONNXRef<?> doubles(String name, double[] values) {
        return context.array(name, values, false);
    }

    ONNXRef<?> longs(String name, long[] values) {
        return context.array(name, values);
    }

    ONNXRef<?> scalar(String name, float value) {
        return context.constant(name, value);
    }

    ONNXRef<?> scalar(String name, long value) {
        return context.constant(name, value);
    }

    ONNXRef<?> op(ONNXOperator op, String out, ONNXRef<?>... in) {
        return context.operation(op, List.of(in), out, Map.of());
    }

    ONNXRef<?> op(ONNXOperator op, String out, Map<String, Object> attributes, ONNXRef<?>... in) {
        return context.operation(op, List.of(in), out, attributes);
    }

    /** Inserts a dimension of size 1 at {@code axis}. */
    ONNXRef<?> unsqueeze(ONNXRef<?> x, int axis, String out) {
        return op(ONNXOperators.UNSQUEEZE, out, x, longs(out + ".axes", new long[] {axis}));
    }

    /** Sums over one axis, keeping it (size 1) or dropping it. */
    ONNXRef<?> sum(ONNXRef<?> x, int axis, boolean keep, String out) {
        return op(ONNXOperators.REDUCE_SUM, out, Map.of("keepdims", keep ? 1 : 0), x,
                longs(out + ".axes", new long[] {axis}));
    }

    ONNXRef<?> cast(ONNXRef<?> x, OnnxMl.TensorProto.DataType to, String out) {
        return op(ONNXOperators.CAST, out, Map.of("to", to.getNumber()), x);
    }

    ONNXRef<?> concat(List<ONNXRef<?>> parts, int axis, String out) {
        return context.operation(ONNXOperators.CONCAT, parts, out, Map.of("axis", axis));
    }

    /**
     * The model: the graph with {@code result} as its one float output {@code [batch, width]} and the
     * declared inputs' types set.
     */
    OnnxMl.ModelProto model(ONNXRef<?> result, String outputName, int width, String producerVersion, String doc) {
        context.assignTo(result, context.floatOutput(outputName, width));
        OnnxMl.GraphProto.Builder graph = context.buildGraph().toBuilder();
        for (int i = 0; i < graph.getInputCount(); i++) {
            String name = graph.getInput(i).getName();
            InputType t = inputs.get(name);
            OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
            for (Object d : t.shape()) {
                shape.addDim(d instanceof Integer n ? OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(n)
                        : OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam((String) d));
            }
            graph.setInput(i, OnnxMl.ValueInfoProto.newBuilder().setName(name).setDocString(t.doc())
                    .setType(OnnxMl.TypeProto.newBuilder().setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                            .setElemType(t.type().getNumber()).setShape(shape))));
        }
        return OnnxMl.ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName("attentive-onnx")
                .setProducerVersion(producerVersion)
                .setDomain("dev.attentive")
                .setModelVersion(1)
                .setDocString(doc)
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("")
                        .setVersion(ONNXOperators.getOpsetVersion()))
                .setGraph(graph)
                .build();
    }
}
