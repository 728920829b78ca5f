package io.github.dl4jcinn.layers.inverse;

import io.github.dl4jcinn.layers.FlowShape;
import io.github.dl4jcinn.layers.blocks.FlowEntry;
import io.github.dl4jcinn.layers.vertex.EagerKernel;
import io.github.dl4jcinn.layers.vertex.FlowTensors;
import io.github.dl4jcinn.layers.vertex.FlowVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.ResetPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The inverse (sampling) pass of a trained cINN graph, derived from the graph itself: no inverse is written per
 * model. Encoding {@code z = f(x; c)} is the graph's own forward pass; decoding {@code x = g(z; c)} runs the blocks'
 * inverses in reverse topological order, every split becoming a join and every merge a split
 * ({@link InverseTraversal}). Two engines share that traversal: when every block on the path has a hand-written
 * eager inverse (fully connected couplings, permutations) the arrays are computed directly; otherwise one SameDiff
 * graph is built once from the blocks' {@code inverse} definitions. Parameters are read from the graph's own
 * parameter arrays on every call, so the inverse never goes stale after more training. Conditioning networks are
 * evaluated with the graph's own layers (only the vertices the conditions need).
 *
 * <pre>{@code CinnInverse inv = CinnInverse.of(graph);
 * INDArray x = inv.sample(16, 1.0, Map.of("label", oneHot), 42);      // 16 samples at temperature 1}</pre>
 */
public final class CinnInverse {

    /** Which engine decodes: eager where every block allows it (the default), or always SameDiff. */
    public enum Engine { AUTO, SAMEDIFF }

    private static final String Z = "z";
    private static final String BLOCK_WORKSPACE_ID = "CINN_INVERSE_BLOCK";
    private static final long KEPT_WORKSPACE_BYTES = 64L << 20;
    private static final WorkspaceConfiguration BLOCK_WORKSPACE = WorkspaceConfiguration.builder()
            .initialSize(0).overallocationLimit(0.2).policyAllocation(AllocationPolicy.OVERALLOCATE)
            .policyLearning(LearningPolicy.FIRST_LOOP).policyReset(ResetPolicy.BLOCK_LEFT)
            .policySpill(SpillPolicy.REALLOCATE).build();
    private static final String X_OUT = "x_reconstructed";
    private static final String LOGDET_OUT = "logdet_inverse";

    private final ComputationGraph graph;
    private final FlowPath path;
    private final DataType dataType;
    private final Map<String, EagerKernel> eagerKernels = new HashMap<>();
    private Engine engine = Engine.AUTO;

    private SameDiff sd;
    private Map<String, List<Long>> builtConditionShapes;
    private final Map<String, String[]> paramPlaceholders = new LinkedHashMap<>();

    private CinnInverse(ComputationGraph graph) {
        this.graph = graph;
        this.path = new FlowPath(graph.getConfiguration());
        this.dataType = graph.params().dataType();
        for (String v : path.vertices) {
            if (path.conf.getVertices().get(v) instanceof FlowVertex) {
                EagerKernel k = ((FlowVertex) path.conf.getVertices().get(v)).eagerKernel();
                if (k == null || !k.hasInverse()) {
                    eagerKernels.clear();
                    return;
                }
                eagerKernels.put(v, k);
            }
        }
    }

    public static CinnInverse of(ComputationGraph graph) {
        return new CinnInverse(graph);
    }

    public CinnInverse engine(Engine engine) {
        this.engine = engine;
        return this;
    }

    /** True if {@link #decode} computes eagerly (no SameDiff graph). */
    public boolean eager() {
        return engine == Engine.AUTO && !eagerKernels.isEmpty();
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
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            Map<String, INDArray> conditions = ConditionEvaluator.evaluate(graph, path, conditionInputs, z.size(0));
            validateConditions(conditions, z.size(0));
            return eager() ? decodeEagerly(z.castTo(dataType), conditions) : decodeWithSameDiff(z, conditions);
        }
    }

    /** Draws {@code n} samples with latents {@code z ~ N(0, temperature² I)}; seeded for reproducibility. */
    public INDArray sample(int n, double temperature, Map<String, INDArray> conditionInputs, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray z = Nd4j.randn(dataType, n, latentSize()).muli(temperature);
        return decode(z, conditionInputs).x();
    }

    // ---- eager engine ----

    private Decoded decodeEagerly(INDArray z, Map<String, INDArray> conditions) {
        InverseOps<INDArray> ops = new InverseOps<>() {
            @Override
            public INDArray latentWithZeroLogDet() {
                return Nd4j.hstack(z, Nd4j.zeros(z.dataType(), z.size(0), 1));
            }

            @Override
            public INDArray columns(INDArray x, long from, long to) {
                return x.get(NDArrayIndex.all(), NDArrayIndex.interval(from, to));
            }

            @Override
            public INDArray concat(List<INDArray> parts) {
                return Nd4j.hstack(parts.toArray(new INDArray[0]));
            }

            @Override
            public INDArray blockInverse(String vertex, INDArray output) {
                List<String> in = path.conf.getVertexInputs().get(vertex);
                INDArray[] conds = new INDArray[in.size() - 1];
                for (int i = 1; i < in.size(); i++) conds[i - 1] = conditions.get(in.get(i)).castTo(dataType);
                // a block's temporaries live in a workspace reused by the next block (fresh off-heap buffers are
                // page-faulted on first touch: that was 40 % of sampling time); only its result is copied out
                try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(BLOCK_WORKSPACE,
                        BLOCK_WORKSPACE_ID)) {
                    return eagerKernels.get(vertex).inverse(output, conds, graph.getVertex(vertex).paramTable(false))
                            .detach();
                }
            }
        };
        INDArray entry;
        try {
            entry = new InverseTraversal<>(path, ops).entryValue();
        } finally {
            // kept for the next call (it is per thread), unless a large batch made it big
            if (Nd4j.getWorkspaceManager().checkIfWorkspaceExists(BLOCK_WORKSPACE_ID)) {
                MemoryWorkspace ws = Nd4j.getWorkspaceManager().getWorkspaceForCurrentThread(BLOCK_WORKSPACE_ID);
                if (ws.getCurrentSize() > KEPT_WORKSPACE_BYTES) {
                    Nd4j.getWorkspaceManager().destroyWorkspace(ws);
                }
            }
        }
        FlowShape shape = dataShape();
        INDArray x = entry.get(NDArrayIndex.all(), NDArrayIndex.interval(0, shape.size())).dup();
        if (shape.isImage()) {
            x = x.reshape(x.size(0), shape.channels(), shape.height(), shape.width());
        }
        return new Decoded(x, entry.get(NDArrayIndex.all(), NDArrayIndex.interval(shape.size(), shape.size() + 1)).dup());
    }

    // ---- SameDiff engine ----

    private Decoded decodeWithSameDiff(INDArray z, Map<String, INDArray> conditions) {
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
        SameDiff graphSd = SameDiff.create();
        paramPlaceholders.clear();
        for (Map.Entry<String, INDArray> c : conditions.entrySet()) {
            long[] shape = c.getValue().shape().clone();
            shape[0] = -1;
            graphSd.placeHolder(conditionPlaceholder(c.getKey()), dataType, shape);
        }
        SDVariable z = graphSd.placeHolder(Z, dataType, -1, latentSize());
        InverseOps<SDVariable> ops = new InverseOps<>() {
            @Override
            public SDVariable latentWithZeroLogDet() {
                return graphSd.concat(1, z, FlowTensors.columns(z, 0, 1).mul(0));
            }

            @Override
            public SDVariable columns(SDVariable x, long from, long to) {
                return FlowTensors.columns(x, from, to);
            }

            @Override
            public SDVariable concat(List<SDVariable> parts) {
                return graphSd.concat(1, parts.toArray(new SDVariable[0]));
            }

            @Override
            public SDVariable blockInverse(String vertex, SDVariable output) {
                FlowVertex block = (FlowVertex) path.conf.getVertices().get(vertex);
                List<String> in = path.conf.getVertexInputs().get(vertex);
                List<SDVariable> conds = new ArrayList<>();
                for (String c : in.subList(1, in.size())) {
                    conds.add(graphSd.getVariable(conditionPlaceholder(c)));
                }
                Map<String, SDVariable> params = new LinkedHashMap<>();
                for (Map.Entry<String, INDArray> p : graph.getVertex(vertex).paramTable(false).entrySet()) {
                    String name = "p__" + vertex + "__" + p.getKey();
                    params.put(p.getKey(), graphSd.placeHolder(name, dataType, p.getValue().shape()));
                    paramPlaceholders.put(name, new String[]{vertex, p.getKey()});
                }
                return block.defineInverse(graphSd, output, conds, params);
            }
        };
        SDVariable entry = new InverseTraversal<>(path, ops).entryValue();
        FlowShape shape = dataShape();
        SDVariable x = FlowTensors.columns(entry, 0, shape.size());
        if (shape.isImage()) {
            x = x.reshape(-1, shape.channels(), shape.height(), shape.width());
        }
        graphSd.identity(X_OUT, x);
        graphSd.identity(LOGDET_OUT, FlowTensors.columns(entry, shape.size(), shape.size() + 1));
        sd = graphSd;
        builtConditionShapes = shapes;
    }

    /** The same shape check the forward pass does in {@code FlowVertex.validateInput}, before any engine runs. */
    private void validateConditions(Map<String, INDArray> conditions, long n) {
        for (String v : path.vertices) {
            if (!(path.conf.getVertices().get(v) instanceof FlowVertex)) {
                continue;
            }
            FlowVertex block = (FlowVertex) path.conf.getVertices().get(v);
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
