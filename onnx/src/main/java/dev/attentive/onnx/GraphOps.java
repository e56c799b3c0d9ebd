package dev.attentive.onnx;

import java.util.Map;
import java.util.Set;
import org.tribuo.util.onnx.ONNXAttribute;
import org.tribuo.util.onnx.ONNXOperator;
import org.tribuo.util.onnx.ONNXOperators;

/**
 * The opset-13 operators the towers need beyond Tribuo's {@link ONNXOperators} (which covers Gather,
 * Gemm, Concat, Softmax, ReduceSum, Where and the arithmetic): Tribuo's {@link ONNXOperator}
 * interface is its extension point for exactly this. None of these takes an attribute.
 */
enum GraphOps implements ONNXOperator {
    /** Matrix product with numpy broadcasting over leading dimensions. */
    MAT_MUL("MatMul", 2),
    /** {@code max(0, x)} element-wise. */
    RELU("Relu", 1),
    /** Hyperbolic tangent element-wise. */
    TANH("Tanh", 1),
    /** Square root element-wise. */
    SQRT("Sqrt", 1),
    /** Element-wise maximum of two broadcastable tensors. */
    MAX("Max", 2),
    /** Whether each element is NaN. */
    IS_NAN("IsNaN", 1),
    /** Logical negation. */
    NOT("Not", 1);

    private final String opName;
    private final int inputs;

    GraphOps(String opName, int inputs) {
        this.opName = opName;
        this.inputs = inputs;
    }

    @Override
    public String getOpName() {
        return opName;
    }

    @Override
    public int getNumInputs() {
        return inputs;
    }

    @Override
    public int getNumOptionalInputs() {
        return 0;
    }

    @Override
    public int getNumOutputs() {
        return 1;
    }

    @Override
    public Map<String, ONNXAttribute> getAttributes() {
        return Map.of();
    }

    @Override
    public Set<String> getMandatoryAttributeNames() {
        return Set.of();
    }

    @Override
    public int getOpVersion() {
        return ONNXOperators.getOpsetVersion();
    }

    @Override
    public String getOpDomain() {
        return null;
    }
}
