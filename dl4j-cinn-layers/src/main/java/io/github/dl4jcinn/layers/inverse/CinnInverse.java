package io.github.dl4jcinn.layers.inverse;

import io.github.dl4jcinn.layers.FlowShape;
import io.github.dl4jcinn.layers.blocks.ChannelSplit;
import io.github.dl4jcinn.layers.blocks.FlowEntry;
import io.github.dl4jcinn.layers.vertex.FlowTensors;
import io.github.dl4jcinn.layers.vertex.FlowVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.SubsetVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The inverse (sampling) pass of a trained cINN graph, derived from the graph itself: no inverse is written per
 * model. Encoding {@code z = f(x; c)} is the graph's own forward pass; decoding {@code x = g(z; c)} runs one SameDiff
 * graph built once from the blocks' {@code inverse} definitions in reverse topological order, where every split
 * becomes a join and every merge a split. Parameters are fed as placeholders straight from the graph's parameter
 * arrays on every call, so the inverse can never go stale after more training. Conditioning networks are evaluated
 * with the graph's own layers (only the vertices the conditions need).
 *
 * <pre>{@code CinnInverse inv = CinnInverse.of(graph);
 * INDArray x = inv.sample(16, 1.0, Map.of("label", oneHot), 42);      // 16 samples at temperature 1}</pre>
 */
public final class CinnInverse {

    private static final String Z = "z";
    private static final String X_OUT = "x_reconstructed";
    private static final String LOGDET_OUT = "logdet_inverse";

    private final ComputationGraph graph;
    private final FlowPath path;
    private final DataType dataType;

    private SameDiff sd;
    private Map<String, List<Long>> builtConditionShapes;
    private final Map<String, SDVariable> flowValues = new HashMap<>();
    private final Map<String, SDVariable> blockInputs = new HashMap<>();
    private final Map<String, String[]> paramPlaceholders = new LinkedHashMap<>();

    private CinnInverse(ComputationGraph graph) {
        this.graph = graph;
        this.path = new FlowPath(graph.getConfiguration());
        this.dataType = graph.params().dataType();
    }

    public static CinnInverse of(ComputationGraph graph) {
        return new CinnInverse(graph);
    }

    /** Total latent dimension (all split-off parts plus the final flow). */
    public long latentSize() {
        return path.width(path.flowOut) - 1;
    }

    /** Shape of one generated example, as the data input expects it. */
    public FlowShape dataShape() {
        return ((FlowEntry) graph.getConfiguration().getVertices().get(path.entry)).shape();
    }

    /** Name of the graph input that carries the data x. */
    public String dataInput() {
        return path.dataInput;
    }

    /** {@code [z | log|det J_f(x)|]}: the graph's forward pass on data and conditions (keyed by input name). */
    public INDArray encode(Map<String, INDArray> inputs) {
        List<String> names = graph.getConfiguration().getNetworkInputs();
        INDArray[] ordered = new INDArray[names.size()];
        for (int i = 0; i < ordered.length; i++) {
            ordered[i] = inputs.get(names.get(i));
            if (ordered[i] == null) {
                throw new IllegalArgumentException("encode: missing graph input '" + names.get(i) + "'; graph inputs "
                        + "are " + names);
            }
        }
        return graph.output(false, ordered)[0];
    }

    /** Decodes latents {@code z [N, latentSize]} under the given condition inputs; see {@link Decoded}. */
    public Decoded decode(INDArray z, Map<String, INDArray> conditionInputs) {
        if (z.rank() != 2 || z.size(1) != latentSize()) {
            throw new IllegalArgumentException("decode: z expected [N, " + latentSize() + "], got "
                    + Arrays.toString(z.shape()));
        }
        Map<String, INDArray> conditions = ConditionEvaluator.evaluate(graph, path, conditionInputs, z.size(0));
        validateConditions(conditions, z.size(0));
        ensureBuilt(conditions);
        Map<String, INDArray> ph = new HashMap<>();
        ph.put(Z, z.castTo(dataType));
        for (Map.Entry<String, INDArray> c : conditions.entrySet()) {
            ph.put(conditionPlaceholder(c.getKey()), c.getValue().castTo(dataType));
        }
        for (Map.Entry<String, String[]> p : paramPlaceholders.entrySet()) {
            ph.put(p.getKey(), graph.getVertex(p.getValue()[0]).paramTable(false).get(p.getValue()[1]));
        }
        Map<String, INDArray> out = sd.output(ph, X_OUT, LOGDET_OUT);
        return new Decoded(out.get(X_OUT), out.get(LOGDET_OUT));
    }

    /** Draws {@code n} samples with latents {@code z ~ N(0, temperature² I)}; seeded for reproducibility. */
    public INDArray sample(int n, double temperature, Map<String, INDArray> conditionInputs, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray z = Nd4j.randn(dataType, n, latentSize()).muli(temperature);
        return decode(z, conditionInputs).x();
    }

    /** The same shape check the forward pass does in {@code FlowVertex.validateInput}, before SameDiff sees it. */
    private void validateConditions(Map<String, INDArray> conditions, long n) {
        for (String v : path.vertices) {
            if (!(vertex(v) instanceof FlowVertex)) {
                continue;
            }
            FlowVertex block = (FlowVertex) vertex(v);
            List<String> in = path.conf.getVertexInputs().get(v);
            for (int i = 0; i < block.conditionShapes().size(); i++) {
                FlowShape expected = block.conditionShapes().get(i);
                INDArray c = conditions.get(in.get(i + 1));
                if (c.rank() < 2 || c.size(0) != n || c.length() / n != expected.size()) {
                    throw new IllegalArgumentException("decode: condition '" + in.get(i + 1) + "' of block '" + v
                            + "' expected [" + n + ", " + expected.size() + "] (" + expected + " per example), got "
                            + Arrays.toString(c.shape()));
                }
            }
        }
    }

    // ---- building the inverse SameDiff graph ----

    private void ensureBuilt(Map<String, INDArray> conditions) {
        Map<String, List<Long>> shapes = new HashMap<>();
        for (Map.Entry<String, INDArray> c : conditions.entrySet()) {
            List<Long> s = new ArrayList<>();
            for (int i = 1; i < c.getValue().rank(); i++) s.add(c.getValue().size(i));
            shapes.put(c.getKey(), s);
        }
        if (sd != null && shapes.equals(builtConditionShapes)) {
            return;
        }
        sd = SameDiff.create();
        flowValues.clear();
        blockInputs.clear();
        paramPlaceholders.clear();
        for (Map.Entry<String, INDArray> c : conditions.entrySet()) {
            long[] shape = c.getValue().shape().clone();
            shape[0] = -1;
            sd.placeHolder(conditionPlaceholder(c.getKey()), dataType, shape);
        }
        SDVariable z = sd.placeHolder(Z, dataType, -1, latentSize());
        SDVariable zeroColumn = FlowTensors.columns(z, 0, 1).mul(0);
        flowValues.put(path.flowOut, sd.concat(1, z, zeroColumn));

        SDVariable entryValue = flowValue(path.entry);
        FlowShape shape = dataShape();
        SDVariable x = FlowTensors.columns(entryValue, 0, shape.size());
        if (shape.isImage()) {
            x = x.reshape(-1, shape.channels(), shape.height(), shape.width());
        }
        sd.identity(X_OUT, x);
        sd.identity(LOGDET_OUT, FlowTensors.columns(entryValue, shape.size(), shape.size() + 1));
        builtConditionShapes = shapes;
    }

    /** The inverse-graph value of a path vertex's output, assembled from what its consumers give back. */
    private SDVariable flowValue(String v) {
        SDVariable known = flowValues.get(v);
        if (known != null) {
            return known;
        }
        List<String> consumers = path.consumers.getOrDefault(v, List.of());
        if (consumers.size() == 1 && vertex(consumers.get(0)) instanceof FlowVertex) {
            SDVariable value = blockInput(consumers.get(0));
            flowValues.put(v, value);
            return value;
        }
        int width = (int) path.width(v);
        SDVariable[] srcVar = new SDVariable[width];
        int[] srcCol = new int[width];
        String[] srcName = new String[width];
        for (String u : consumers) {
            GraphVertex cu = vertex(u);
            if (cu instanceof FlowVertex) {
                SDVariable val = blockInput(u);
                for (int c = 0; c < width; c++) assign(v, srcVar, srcCol, srcName, c, val, c, u);
            } else if (cu instanceof ChannelSplit) {
                int[] cols = ((ChannelSplit) cu).sourceColumns();
                SDVariable val = flowValue(u);
                for (int j = 0; j < cols.length; j++) assign(v, srcVar, srcCol, srcName, cols[j], val, j, u);
            } else if (cu instanceof SubsetVertex) {
                int from = ((SubsetVertex) cu).getFrom();
                SDVariable val = flowValue(u);
                for (int j = 0; j < path.width(u); j++) assign(v, srcVar, srcCol, srcName, from + j, val, j, u);
            } else if (cu instanceof MergeVertex) {
                int offset = 0;
                for (String in : path.conf.getVertexInputs().get(u)) {
                    if (in.equals(v)) break;
                    offset += (int) path.width(in);
                }
                SDVariable val = flowValue(u);
                for (int c = 0; c < width; c++) assign(v, srcVar, srcCol, srcName, c, val, offset + c, u);
            }
        }
        List<SDVariable> runs = new ArrayList<>();
        int start = 0;
        for (int c = 0; c <= width; c++) {
            if (c < width && srcVar[c] == null) {
                throw new IllegalStateException("Column " + c + " of '" + v + "' reaches the loss through no "
                        + "invertible path, so it cannot be reconstructed");
            }
            boolean continues = c < width && c > start && srcVar[c] == srcVar[start]
                    && srcCol[c] == srcCol[start] + (c - start);
            if (c > start && !continues) {
                runs.add(FlowTensors.columns(srcVar[start], srcCol[start], srcCol[start] + (c - start)));
                start = c;
            }
        }
        SDVariable value = runs.size() == 1 ? runs.get(0) : sd.concat(1, runs.toArray(new SDVariable[0]));
        flowValues.put(v, value);
        return value;
    }

    private static void assign(String v, SDVariable[] srcVar, int[] srcCol, String[] srcName, int col,
                               SDVariable val, int valCol, String by) {
        if (srcVar[col] != null) {
            throw new IllegalStateException("Column " + col + " of '" + v + "' is consumed by both '" + srcName[col]
                    + "' and '" + by + "': a flow tensor cannot fan out and stay invertible");
        }
        srcVar[col] = val;
        srcCol[col] = valCol;
        srcName[col] = by;
    }

    /** The input flow tensor of block {@code u}, from its output by the block's own inverse. */
    private SDVariable blockInput(String u) {
        SDVariable known = blockInputs.get(u);
        if (known != null) {
            return known;
        }
        FlowVertex block = (FlowVertex) vertex(u);
        List<String> in = path.conf.getVertexInputs().get(u);
        List<SDVariable> conds = new ArrayList<>();
        for (String c : in.subList(1, in.size())) {
            conds.add(sd.getVariable(conditionPlaceholder(c)));
        }
        Map<String, SDVariable> params = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> p : graph.getVertex(u).paramTable(false).entrySet()) {
            String ph = "p__" + u + "__" + p.getKey();
            params.put(p.getKey(), sd.placeHolder(ph, dataType, p.getValue().shape()));
            paramPlaceholders.put(ph, new String[]{u, p.getKey()});
        }
        SDVariable value = block.defineInverse(sd, flowValue(u), conds, params);
        blockInputs.put(u, value);
        return value;
    }

    private GraphVertex vertex(String name) {
        return path.conf.getVertices().get(name);
    }

    private static String conditionPlaceholder(String source) {
        return "c__" + source;
    }

    /** Result of {@link #decode}: the data and {@code log|det J_g(z)| = −log|det J_f(x)|} per example, [N, 1]. */
    public static final class Decoded {
        private final INDArray x;
        private final INDArray logDet;

        Decoded(INDArray x, INDArray logDet) {
            this.x = x;
            this.logDet = logDet;
        }

        public INDArray x() { return x; }

        public INDArray logDet() { return logDet; }
    }
}
