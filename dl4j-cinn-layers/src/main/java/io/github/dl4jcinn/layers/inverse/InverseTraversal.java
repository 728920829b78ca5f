package io.github.dl4jcinn.layers.inverse;

import io.github.dl4jcinn.layers.blocks.ChannelSplit;
import io.github.dl4jcinn.layers.vertex.FlowVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.SubsetVertex;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a graph backwards: the value of every vertex output on the invertible path is assembled from what its
 * consumers give back — a block its input (by the block's inverse), a split side or subset its columns, a merge the
 * slice belonging to this input — starting from the latent at the loss. Written once, for any {@link InverseOps}.
 */
final class InverseTraversal<T> {

    private final FlowPath path;
    private final InverseOps<T> ops;
    private final Map<String, T> flowValues = new HashMap<>();
    private final Map<String, T> blockInputs = new HashMap<>();

    InverseTraversal(FlowPath path, InverseOps<T> ops) {
        this.path = path;
        this.ops = ops;
    }

    /** The flow tensor entering the invertible path, {@code [x | −log|det J_f(x)|]}. */
    T entryValue() {
        return flowValue(path.entry);
    }

    private T flowValue(String v) {
        T known = flowValues.get(v);
        if (known != null) {
            return known;
        }
        if (v.equals(path.flowOut)) {
            T value = ops.latentWithZeroLogDet();
            flowValues.put(v, value);
            return value;
        }
        List<String> consumers = path.consumers.getOrDefault(v, List.of());
        if (consumers.size() == 1 && vertex(consumers.get(0)) instanceof FlowVertex) {
            T value = blockInput(consumers.get(0));
            flowValues.put(v, value);
            return value;
        }
        int width = (int) path.width(v);
        Sources<T> src = new Sources<>(v, width);
        for (String u : consumers) {
            GraphVertex cu = vertex(u);
            if (cu instanceof FlowVertex) {
                T val = blockInput(u);
                for (int c = 0; c < width; c++) src.assign(c, val, c, u);
            } else if (cu instanceof ChannelSplit) {
                int[] cols = ((ChannelSplit) cu).sourceColumns();
                T val = flowValue(u);
                for (int j = 0; j < cols.length; j++) src.assign(cols[j], val, j, u);
            } else if (cu instanceof SubsetVertex) {
                int from = ((SubsetVertex) cu).getFrom();
                T val = flowValue(u);
                for (int j = 0; j < path.width(u); j++) src.assign(from + j, val, j, u);
            } else if (cu instanceof MergeVertex) {
                int offset = 0;
                for (String in : path.conf.getVertexInputs().get(u)) {
                    if (in.equals(v)) break;
                    offset += (int) path.width(in);
                }
                T val = flowValue(u);
                for (int c = 0; c < width; c++) src.assign(c, val, offset + c, u);
            }
        }
        T value = src.assemble(ops);
        flowValues.put(v, value);
        return value;
    }

    private T blockInput(String u) {
        T known = blockInputs.get(u);
        if (known == null) {
            known = ops.blockInverse(u, flowValue(u));
            blockInputs.put(u, known);
        }
        return known;
    }

    private GraphVertex vertex(String name) {
        return path.conf.getVertices().get(name);
    }

    /** For each column of a vertex output: which consumer value and column it is recovered from. */
    private static final class Sources<T> {
        private final String vertex;
        private final List<T> values;
        private final int[] columns;
        private final String[] by;

        Sources(String vertex, int width) {
            this.vertex = vertex;
            this.values = new ArrayList<>(java.util.Collections.nCopies(width, null));
            this.columns = new int[width];
            this.by = new String[width];
        }

        void assign(int col, T value, int valueCol, String consumer) {
            if (values.get(col) != null) {
                throw new IllegalStateException("Column " + col + " of '" + vertex + "' is consumed by both '"
                        + by[col] + "' and '" + consumer + "': a flow tensor cannot fan out and stay invertible");
            }
            values.set(col, value);
            columns[col] = valueCol;
            by[col] = consumer;
        }

        /** Concatenates maximal runs of consecutive columns of the same value. */
        T assemble(InverseOps<T> ops) {
            int width = columns.length;
            List<T> runs = new ArrayList<>();
            int start = 0;
            for (int c = 0; c <= width; c++) {
                if (c < width && values.get(c) == null) {
                    throw new IllegalStateException("Column " + c + " of '" + vertex + "' reaches the loss through "
                            + "no invertible path, so it cannot be reconstructed");
                }
                boolean continues = c < width && c > start && values.get(c) == values.get(start)
                        && columns[c] == columns[start] + (c - start);
                if (c > start && !continues) {
                    runs.add(ops.columns(values.get(start), columns[start], columns[start] + (c - start)));
                    start = c;
                }
            }
            return runs.size() == 1 ? runs.get(0) : ops.concat(runs);
        }
    }
}
