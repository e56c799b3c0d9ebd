package dev.attentive.onnx;

import ai.onnx.proto.OnnxMl;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import dev.attentive.attention.AttentionPoolingProvider;
import dev.attentive.attention.AttentionScoring;
import dev.attentive.model.ModelFormatException;
import dev.attentive.model.TwoTowerModelProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXRef;

/**
 * Builds one tower of a saved model as an ONNX graph, step by step as {@code Side.forward} computes
 * it: each field's vector is a weighted sum of rows of its embedding table ({@code Gather}), the
 * user's history is pooled over the item id table, the field attention combines the field vectors,
 * the MLP maps them and the output is L2-normalised. A missing field (index -1, or NaN for a numeric
 * one) contributes a zero vector and is masked out of the attention, as in the library.
 */
final class TowerGraph {
    /** The name of the user tower's history input. */
    static final String HISTORY = "history";
    /** Masked attention scores: far below any real score, yet finite (an all-masked row stays finite). */
    private static final float MASKED_SCORE = -1e30f;
    private static final float GELU_C = (float) Math.sqrt(2 / Math.PI);

    /**
     * One input of a tower graph, for the manifest.
     *
     * @param name the input name
     * @param field the field it encodes, or null for the history
     * @param dtype {@code int64} or {@code float64}
     * @param shape the dimensions: an Integer is fixed, a String symbolic
     */
    record Input(String name, SavedField field, String dtype, List<Object> shape) {
    }

    /**
     * A built tower.
     *
     * @param model the ONNX model
     * @param inputs its inputs in graph order
     * @param output the output's name
     */
    record Built(OnnxMl.ModelProto model, List<Input> inputs, String output) {
    }

    private final SavedTwoTower saved;
    private final String side;
    private final int dim;
    private final GraphBuilder g;
    private final List<Input> inputs = new ArrayList<>();

    private TowerGraph(SavedTwoTower saved, String side) {
        this.saved = saved;
        this.side = side;
        this.dim = saved.config().dim();
        this.g = new GraphBuilder("attentive " + side + " tower");
    }

    /**
     * Builds the user ({@code "user"}) or item ({@code "item"}) tower of a model whose plugins
     * {@link OnnxExport} checked.
     */
    static Built build(SavedTwoTower saved, String side, String producerVersion) throws ModelFormatException {
        return new TowerGraph(saved, side).build(producerVersion);
    }

    private Built build(String producerVersion) throws ModelFormatException {
        TwoTowerModelProvider.Config c = saved.config();
        List<SavedField> fields = side.equals("user") ? saved.userFields() : saved.itemFields();
        List<ONNXRef<?>> vectors = new ArrayList<>();
        List<ONNXRef<?>> masks = new ArrayList<>();
        for (SavedField f : fields) {
            ONNXRef<?>[] vm = field(f);
            vectors.add(vm[0]);
            masks.add(vm[1]);
        }
        boolean history = side.equals("user") && c.hasHistory();
        if (history) {
            ONNXRef<?>[] vm = history(c);
            vectors.add(vm[0]);
            masks.add(vm[1]);
        }
        int fieldCount = vectors.size();
        ONNXRef<?> pooled;
        int width;
        String attention = c.attention().toLowerCase(java.util.Locale.ROOT);
        if (attention.equals(OnnxExport.CONCAT_MLP)) {
            pooled = g.concat(vectors, 1, "fields.concat");
            width = fieldCount * dim;
        } else {
            List<ONNXRef<?>> stacked = new ArrayList<>();
            for (int f = 0; f < fieldCount; f++) {
                stacked.add(g.unsqueeze(vectors.get(f), 1, "fields.stack"));
            }
            ONNXRef<?> x = g.concat(stacked, 1, "fields");
            ONNXRef<?> m = g.concat(masks, 1, "fields.mask");
            pooled = attention.equals(OnnxExport.MEAN) ? mean(x, m, "fields.mean")
                    : queryPooling(x, m, fieldCount, side + ".attention/", c.attentionSettings(), "fields.pool");
            width = dim;
        }
        ONNXRef<?> raw = mlp(pooled, width, side.equals("user") ? c.userWidths() : c.itemWidths(), c.activation());
        ONNXRef<?> squares = g.sum(g.op(ONNXOperators.MUL, "norm.square", raw, raw), 1, true, "norm.sum");
        ONNXRef<?> norm = g.op(GraphOps.MAX, "norm", g.op(GraphOps.SQRT, "norm.sqrt", squares),
                g.scalar("norm.floor", 1e-12f));
        ONNXRef<?> unit = g.op(ONNXOperators.DIV, "unit", raw, norm);
        String output = side + "_embedding";
        String doc = "Attentive " + side + " tower of " + saved.dir().getFileName() + ": unit vectors of dimension "
                + dim + "; see manifest.json for the inputs";
        return new Built(g.model(unit, output, dim, producerVersion, doc), List.copyOf(inputs), output);
    }

    /** One field's vector {@code [batch, dim]} and presence {@code [batch, 1]} (1 or 0). */
    private ONNXRef<?>[] field(SavedField f) throws ModelFormatException {
        float[] table = saved.tensor(side + ".field." + f.name(), f.rows(), dim).values();
        ONNXRef<?> t = g.floats(side + ".field." + f.name(), new int[] {f.rows(), dim}, table);
        String n = "field." + f.name();
        return switch (f.kind()) {
            case VOCABULARY, HASHED -> bag(intInput(f, 1), t, false, n);
            case MULTI -> bag(intInput(f, f.name() + ".values"), t, true, n);
            case BUCKETIZED -> {
                ONNXRef<?> x = numericInput(f);
                ONNXRef<?> present = g.op(GraphOps.NOT, n + ".present", g.op(GraphOps.IS_NAN, n + ".nan", x));
                ONNXRef<?> safe = g.op(ONNXOperators.WHERE, n + ".safe", present, x, g.doubles(n + ".zero", new double[] {0}));
                // bucket = the number of edges below the value (Arrays.binarySearch in FieldEncoder); the
                // +inf sentinel keeps the edge list non-empty and counts for no finite value.
                double[] edges = java.util.Arrays.copyOf(f.edges(), f.edges().length + 1);
                edges[edges.length - 1] = Double.POSITIVE_INFINITY;
                ONNXRef<?> below = g.op(ONNXOperators.LESS, n + ".below", g.doubles(n + ".edges", edges), safe);
                ONNXRef<?> bucket = g.sum(g.cast(below, DataType.INT64, n + ".below.int"), 1, true, n + ".bucket");
                ONNXRef<?> index = g.op(ONNXOperators.WHERE, n + ".index", present, bucket, g.scalar(n + ".none", -1L));
                yield bag(index, t, false, n);
            }
            case STANDARDIZED -> {
                ONNXRef<?> x = numericInput(f);
                ONNXRef<?> present = g.op(GraphOps.NOT, n + ".present", g.op(GraphOps.IS_NAN, n + ".nan", x));
                ONNXRef<?> safe = g.op(ONNXOperators.WHERE, n + ".safe", present, x, g.doubles(n + ".zero", new double[] {0}));
                // z = (x - mean) / std in double, then float: FieldEncoder's arithmetic.
                ONNXRef<?> centred = g.op(ONNXOperators.SUB, n + ".centred", safe, g.doubles(n + ".mean", new double[] {f.mean()}));
                ONNXRef<?> z = g.cast(g.op(ONNXOperators.DIV, n + ".z64", centred,
                        g.doubles(n + ".std", new double[] {f.std()})), DataType.FLOAT, n + ".z");
                ONNXRef<?> p = g.cast(present, DataType.FLOAT, n + ".mask");
                // Row 0 (scale) weighted z, row 1 (bias) weighted 1; both 0 when missing.
                ONNXRef<?> w = g.concat(List.of(g.op(ONNXOperators.MUL, n + ".zw", z, p), p), 1, n + ".weights");
                yield new ONNXRef<?>[] {g.op(GraphOps.MAT_MUL, n + ".vector", w, t), p};
            }
        };
    }

    /**
     * The weighted sum of gathered rows: {@code index [batch, k]} (-1 = no entry), each present entry
     * weighted 1, or {@code 1/count} when {@code mean}. Returns the vector and the presence (count > 0).
     */
    private ONNXRef<?>[] bag(ONNXRef<?> index, ONNXRef<?> table, boolean mean, String n) {
        ONNXRef<?> present = g.op(ONNXOperators.GREATER_OR_EQUAL, n + ".present", index, g.scalar(n + ".zero", 0L));
        ONNXRef<?> safe = g.op(ONNXOperators.WHERE, n + ".safe", present, index, g.scalar(n + ".zero", 0L));
        ONNXRef<?> rows = g.op(ONNXOperators.GATHER, n + ".rows", Map.of("axis", 0), table, safe);
        ONNXRef<?> p = g.cast(present, DataType.FLOAT, n + ".entries");
        ONNXRef<?> count = g.sum(p, 1, true, n + ".count");
        ONNXRef<?> any = g.op(ONNXOperators.GREATER, n + ".any", count, g.scalar(n + ".fzero", 0f));
        ONNXRef<?> w = p;
        if (mean) {
            ONNXRef<?> divisor = g.op(ONNXOperators.WHERE, n + ".divisor", any, count, g.scalar(n + ".one", 1f));
            w = g.op(ONNXOperators.DIV, n + ".weights", p, divisor);
        }
        ONNXRef<?> weighted = g.op(ONNXOperators.MUL, n + ".weighted", rows, g.unsqueeze(w, 2, n + ".w3"));
        return new ONNXRef<?>[] {g.sum(weighted, 1, false, n + ".vector"), g.cast(any, DataType.FLOAT, n + ".mask")};
    }

    /** The user's history field: the recent items' rows of the item id table, pooled. */
    private ONNXRef<?>[] history(TwoTowerModelProvider.Config c) throws ModelFormatException {
        int length = c.historyLength();
        SavedField itemId = saved.itemFields().get(0);
        float[] table = saved.tensor("item.field." + itemId.name(), itemId.rows(), dim).values();
        ONNXRef<?> t = g.floats("history.table", new int[] {itemId.rows(), dim}, table);
        ONNXRef<?> index = g.input(HISTORY, DataType.INT64, List.of("batch", length),
                "rows of the item tower's itemId vocabulary of the user's recent items, most recent first, -1 padded");
        inputs.add(new Input(HISTORY, null, "int64", List.of("batch", length)));
        if (c.historyAttention().equalsIgnoreCase(OnnxExport.MEAN)) {
            return bag(index, t, true, "history");
        }
        String n = "history";
        ONNXRef<?> present = g.op(ONNXOperators.GREATER_OR_EQUAL, n + ".present", index, g.scalar(n + ".zero", 0L));
        ONNXRef<?> safe = g.op(ONNXOperators.WHERE, n + ".safe", present, index, g.scalar(n + ".zero", 0L));
        ONNXRef<?> p = g.cast(present, DataType.FLOAT, n + ".entries");
        // Missing positions are zero vectors, as the library gathers them.
        ONNXRef<?> rows = g.op(ONNXOperators.MUL, n + ".rows",
                g.op(ONNXOperators.GATHER, n + ".gathered", Map.of("axis", 0), t, safe), g.unsqueeze(p, 2, n + ".p3"));
        ONNXRef<?> pooled = queryPooling(rows, p, length, "user.historyAttention/", c.historyAttentionSettings(), n + ".pool");
        ONNXRef<?> count = g.sum(p, 1, true, n + ".count");
        ONNXRef<?> any = g.op(ONNXOperators.GREATER, n + ".any", count, g.scalar(n + ".fzero", 0f));
        return new ONNXRef<?>[] {pooled, g.cast(any, DataType.FLOAT, n + ".mask")};
    }

    /** {@code mean}: the average of the present vectors of {@code x [batch, fields, dim]} (zero when none). */
    private ONNXRef<?> mean(ONNXRef<?> x, ONNXRef<?> mask, String n) {
        ONNXRef<?> count = g.sum(mask, 1, true, n + ".count");
        ONNXRef<?> any = g.op(ONNXOperators.GREATER, n + ".any", count, g.scalar(n + ".zero", 0f));
        ONNXRef<?> divisor = g.op(ONNXOperators.WHERE, n + ".divisor", any, count, g.scalar(n + ".one", 1f));
        ONNXRef<?> w = g.op(ONNXOperators.DIV, n + ".weights", mask, divisor);
        return g.sum(g.op(ONNXOperators.MUL, n + ".weighted", x, g.unsqueeze(w, 2, n + ".w3")), 1, false, n);
    }

    /**
     * {@code attention-pooling}: a learned query scores each present vector of {@code x [batch, fields, dim]},
     * the weights are the softmax over the present ones, the output their weighted sum.
     */
    private ONNXRef<?> queryPooling(ONNXRef<?> x, ONNXRef<?> mask, int fields, String prefix, String settings, String n)
            throws ModelFormatException {
        AttentionPoolingProvider.Config pc = new AttentionPoolingProvider()
                .configure(TwoTowerModelProvider.parseSettings(settings));
        boolean additive = pc.scoring() == AttentionScoring.ADDITIVE;
        boolean projects = additive || pc.keyProjection();
        int keyDim = projects ? pc.attentionDim() : dim;
        float[] query = saved.tensor(prefix + "query", keyDim).values();
        ONNXRef<?> scores;
        if (additive) {
            float[] k = saved.tensor(prefix + "hidden.weight", keyDim, dim).values();
            float[] c = saved.tensor(prefix + "hidden.bias", keyDim).values();
            ONNXRef<?> kt = g.floats(n + ".keyT", new int[] {dim, keyDim}, transpose(k, keyDim, dim));
            ONNXRef<?> hidden = g.op(GraphOps.TANH, n + ".hidden", g.op(ONNXOperators.ADD, n + ".pre",
                    g.op(GraphOps.MAT_MUL, n + ".projected", x, kt), g.floats(n + ".hiddenBias", new int[] {keyDim}, c)));
            ONNXRef<?> s = g.op(GraphOps.MAT_MUL, n + ".s3", hidden, g.floats(n + ".query", new int[] {keyDim, 1}, query));
            scores = g.sum(s, 2, false, n + ".scores");
        } else {
            // Dot scoring against u = K^T q (or q): QueryPooling scores h . u scaled by 1/sqrt(keyDim).
            float[] u = query;
            if (projects) {
                float[] k = saved.tensor(prefix + "key", keyDim, dim).values();
                u = new float[dim];
                for (int d = 0; d < dim; d++) {
                    double s = 0;
                    for (int a = 0; a < keyDim; a++) {
                        s += (double) k[a * dim + d] * query[a];
                    }
                    u[d] = (float) s;
                }
            }
            ONNXRef<?> s = g.op(GraphOps.MAT_MUL, n + ".s3", x, g.floats(n + ".u", new int[] {dim, 1}, u));
            scores = g.op(ONNXOperators.MUL, n + ".scaled", g.sum(s, 2, false, n + ".dots"),
                    g.scalar(n + ".scale", (float) (1 / Math.sqrt(keyDim))));
        }
        if (pc.fieldBias()) {
            scores = g.op(ONNXOperators.ADD, n + ".biased", scores,
                    g.floats(n + ".fieldBias", new int[] {fields}, saved.tensor(prefix + "field.bias", fields).values()));
        }
        ONNXRef<?> present = g.op(ONNXOperators.GREATER, n + ".present", mask, g.scalar(n + ".zero", 0f));
        ONNXRef<?> masked = g.op(ONNXOperators.WHERE, n + ".masked", present, scores, g.scalar(n + ".off", MASKED_SCORE));
        ONNXRef<?> w = g.op(ONNXOperators.SOFTMAX, n + ".weights", Map.of("axis", -1), masked);
        // Where no field is present every vector is zero, so the output is zero as in the library.
        return g.sum(g.op(ONNXOperators.MUL, n + ".weighted", x, g.unsqueeze(w, 2, n + ".w3")), 1, false, n);
    }

    /** The {@code mlp} tower: {@code x W + b} per layer, the activation between layers. */
    private ONNXRef<?> mlp(ONNXRef<?> x, int inputWidth, List<Integer> hidden, String activation)
            throws ModelFormatException {
        List<Integer> widths = new ArrayList<>();
        widths.add(inputWidth);
        widths.addAll(hidden);
        widths.add(dim);
        ONNXRef<?> h = x;
        for (int l = 0; l + 1 < widths.size(); l++) {
            int in = widths.get(l);
            int out = widths.get(l + 1);
            String p = side + ".tower/layer" + l;
            ONNXRef<?> w = g.floats(p + ".weight", new int[] {in, out}, saved.tensor(p + ".weight", in, out).values());
            ONNXRef<?> b = g.floats(p + ".bias", new int[] {out}, saved.tensor(p + ".bias", out).values());
            h = g.op(ONNXOperators.GEMM, "layer" + l, h, w, b);
            if (l + 2 < widths.size()) {
                h = activation.equalsIgnoreCase("gelu") ? gelu(h, "layer" + l + ".gelu")
                        : g.op(GraphOps.RELU, "layer" + l + ".relu", h);
            }
        }
        return h;
    }

    /** The tanh approximation of GELU, as {@code MlpTower} computes it. */
    private ONNXRef<?> gelu(ONNXRef<?> x, String n) {
        ONNXRef<?> cube = g.op(ONNXOperators.MUL, n + ".cube", g.op(ONNXOperators.MUL, n + ".square", x, x), x);
        ONNXRef<?> inner = g.op(ONNXOperators.ADD, n + ".inner", x,
                g.op(ONNXOperators.MUL, n + ".cubic", cube, g.scalar(n + ".a", 0.044715f)));
        ONNXRef<?> t = g.op(GraphOps.TANH, n + ".tanh", g.op(ONNXOperators.MUL, n + ".arg", inner, g.scalar(n + ".c", GELU_C)));
        ONNXRef<?> half = g.op(ONNXOperators.MUL, n + ".half", x, g.scalar(n + ".h", 0.5f));
        return g.op(ONNXOperators.MUL, n, half, g.op(ONNXOperators.ADD, n + ".onePlus", t, g.scalar(n + ".one", 1f)));
    }

    private ONNXRef<?> intInput(SavedField f, Object width) {
        List<Object> shape = List.of("batch", width);
        inputs.add(new Input(f.name(), f, "int64", shape));
        return g.input(f.name(), DataType.INT64, shape, f.kind() == SavedField.Kind.MULTI
                ? "table rows of the field's values (-1 pads; -1 everywhere = missing)"
                : "table row of the field's value (-1 = missing)");
    }

    private ONNXRef<?> numericInput(SavedField f) {
        List<Object> shape = List.of("batch", 1);
        inputs.add(new Input(f.name(), f, "float64", shape));
        return g.input(f.name(), DataType.DOUBLE, shape, "the raw numeric value (NaN = missing)");
    }

    private static float[] transpose(float[] a, int rows, int cols) {
        float[] t = new float[a.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = a[r * cols + c];
            }
        }
        return t;
    }
}
