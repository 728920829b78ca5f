package io.github.dl4jcinn.layers.inverse;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.VertexIndices;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Computes the values feeding the flow blocks' condition inputs with the graph's own layers, running only the
 * vertices those conditions depend on (the conditioning network), in inference mode.
 */
final class ConditionEvaluator {
    private ConditionEvaluator() {}

    static Map<String, INDArray> evaluate(ComputationGraph graph, FlowPath path, Map<String, INDArray> inputs,
                                          long batch) {
        Set<String> needed = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(path.conditionSources);
        List<String> networkInputs = graph.getConfiguration().getNetworkInputs();
        while (!todo.isEmpty()) {
            String v = todo.pop();
            if (v.equals(path.dataInput) || path.vertices.contains(v)) {
                throw new IllegalArgumentException("Condition '" + v + "' depends on the data input '"
                        + path.dataInput + "': a cINN cannot be inverted when its conditions depend on x");
            }
            if (needed.add(v) && !networkInputs.contains(v)) {
                todo.addAll(graph.getConfiguration().getVertexInputs().get(v));
            }
        }
        Map<String, INDArray> acts = new HashMap<>();
        for (String in : networkInputs) {
            if (needed.contains(in)) {
                INDArray a = inputs.get(in);
                if (a == null) {
                    throw new IllegalArgumentException("Missing condition input '" + in + "' (needed by the flow "
                            + "blocks); given: " + inputs.keySet());
                }
                if (a.size(0) != batch) {
                    throw new IllegalArgumentException("Condition input '" + in + "' has " + a.size(0)
                            + " examples, but z has " + batch);
                }
                acts.put(in, a);
            }
        }
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        GraphVertex[] vertices = graph.getVertices();
        for (int idx : graph.topologicalSortOrder()) {
            GraphVertex gv = vertices[idx];
            String name = gv.getVertexName();
            if (gv.isInputVertex() || !needed.contains(name)) {
                continue;
            }
            VertexIndices[] ins = gv.getInputVertices();
            for (int k = 0; k < ins.length; k++) {
                gv.setInput(k, acts.get(vertices[ins[k].getVertexIndex()].getVertexName()), mgr);
            }
            acts.put(name, gv.doForward(false, mgr));
            gv.clear();
        }
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (String c : path.conditionSources) {
            out.put(c, acts.get(c));
        }
        return out;
    }
}
