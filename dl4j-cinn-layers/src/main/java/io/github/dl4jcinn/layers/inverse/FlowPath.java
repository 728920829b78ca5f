package io.github.dl4jcinn.layers.inverse;

import io.github.dl4jcinn.layers.blocks.ChannelSplit;
import io.github.dl4jcinn.layers.blocks.FlowEntry;
import io.github.dl4jcinn.layers.loss.MaxLikelihoodLoss;
import io.github.dl4jcinn.layers.vertex.FlowVertex;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.SubsetVertex;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The invertible path of a graph configuration, found by walking back from the {@link MaxLikelihoodLoss} to the
 * {@link FlowEntry}: which vertices are on it, their output widths, who consumes whom, and which vertices feed
 * conditions. Vertices allowed on the path: {@link FlowVertex} blocks, {@link ChannelSplit}, DL4J's
 * {@link MergeVertex} and {@link SubsetVertex}, and the entry.
 */
final class FlowPath {

    final ComputationGraphConfiguration conf;
    final String lossLayer;
    final String flowOut;
    final String entry;
    final String dataInput;
    final Set<String> vertices = new LinkedHashSet<>();
    final Set<String> conditionSources = new LinkedHashSet<>();
    final Map<String, List<String>> consumers = new HashMap<>();
    private final Map<String, Long> widths = new HashMap<>();

    FlowPath(ComputationGraphConfiguration conf) {
        this.conf = conf;
        String loss = null;
        for (String out : conf.getNetworkOutputs()) {
            GraphVertex v = conf.getVertices().get(out);
            if (v instanceof LayerVertex && ((LayerVertex) v).getLayerConf().getLayer() instanceof MaxLikelihoodLoss) {
                loss = out;
            }
        }
        if (loss == null) {
            throw new IllegalArgumentException("Graph has no MaxLikelihoodLoss output layer; outputs are "
                    + conf.getNetworkOutputs());
        }
        this.lossLayer = loss;
        this.flowOut = conf.getVertexInputs().get(loss).get(0);
        String foundEntry = null;
        List<String> stack = new ArrayList<>();
        stack.add(flowOut);
        while (!stack.isEmpty()) {
            String name = stack.remove(stack.size() - 1);
            if (!vertices.add(name)) {
                continue;
            }
            GraphVertex v = conf.getVertices().get(name);
            List<String> in = conf.getVertexInputs().get(name);
            if (v instanceof FlowEntry) {
                foundEntry = name;
                continue;
            }
            if (v instanceof FlowVertex) {
                addConsumer(in.get(0), name);
                stack.add(in.get(0));
                conditionSources.addAll(in.subList(1, in.size()));
            } else if (v instanceof ChannelSplit || v instanceof SubsetVertex || v instanceof MergeVertex) {
                for (String i : in) {
                    addConsumer(i, name);
                    stack.add(i);
                }
            } else {
                throw new IllegalArgumentException("Vertex '" + name + "' (" + (v == null ? "graph input"
                        : v.getClass().getSimpleName()) + ") sits on the invertible path between the flow entry "
                        + "and the loss; only flow blocks, ChannelSplit, MergeVertex and SubsetVertex can be inverted");
            }
        }
        if (foundEntry == null) {
            throw new IllegalArgumentException("No FlowEntry found upstream of the loss '" + loss + "'");
        }
        this.entry = foundEntry;
        this.dataInput = conf.getVertexInputs().get(foundEntry).get(0);
        for (String v : vertices) {
            for (String c : consumersOf(v)) {
                if (!vertices.contains(c) && !c.equals(lossLayer)) {
                    throw new IllegalArgumentException("Flow tensor of '" + v + "' also feeds '" + c
                            + "' outside the invertible path");
                }
            }
        }
    }

    private void addConsumer(String producer, String consumer) {
        List<String> list = consumers.computeIfAbsent(producer, k -> new ArrayList<>());
        if (!list.contains(consumer)) {
            list.add(consumer);
        }
    }

    List<String> consumersOf(String v) {
        List<String> direct = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : conf.getVertexInputs().entrySet()) {
            if (e.getValue().contains(v)) {
                direct.add(e.getKey());
            }
        }
        return direct;
    }

    /** Width of a path vertex's output (data columns plus the log-det column where it carries one). */
    long width(String name) {
        Long cached = widths.get(name);
        if (cached != null) {
            return cached;
        }
        GraphVertex v = conf.getVertices().get(name);
        long w;
        if (v instanceof FlowEntry) {
            w = ((FlowEntry) v).shape().size() + 1;
        } else if (v instanceof FlowVertex) {
            w = ((FlowVertex) v).outputShape().size() + 1;
        } else if (v instanceof ChannelSplit) {
            ChannelSplit s = (ChannelSplit) v;
            w = s.outputShape().size() + (s.carriesLogDet() ? 1 : 0);
        } else if (v instanceof SubsetVertex) {
            w = ((SubsetVertex) v).getTo() - ((SubsetVertex) v).getFrom() + 1;
        } else if (v instanceof MergeVertex) {
            w = 0;
            for (String i : conf.getVertexInputs().get(name)) {
                w += width(i);
            }
        } else {
            throw new IllegalStateException("not a path vertex: " + name);
        }
        widths.put(name, w);
        return w;
    }
}
