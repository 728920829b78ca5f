package io.github.dl4jcinn.zoo.conditioning;

import org.deeplearning4j.nn.graph.ComputationGraph;

import java.util.List;

/**
 * A conditioning backbone cut from a DL4J zoo network: an ordinary {@link ComputationGraph} (initialised, with
 * pretrained or random weights) from one image input to the feature maps in {@link #outputs()}, coarsest last.
 * Join it with a cINN through {@link ConditionedCinnBuilder}.
 *
 * @param graph       the truncated network; its outputs are the {@link #outputs()} vertices
 * @param input       name of its single input (e.g. {@code L})
 * @param inputChannels channels of the input image (1 for a grey/L condition)
 * @param inputHeight input height the feature shapes were computed for
 * @param inputWidth  input width
 * @param outputs     feature maps usable as conditions (a pyramid for ResNet, one map for VGG16)
 * @param description what was cut and how, for logs and reports
 */
public record Backbone(ComputationGraph graph, String input, int inputChannels, int inputHeight, int inputWidth,
                       List<FeatureMap> outputs, String description) {

    /** The deepest (last) feature map. */
    public FeatureMap deepest() {
        return outputs.get(outputs.size() - 1);
    }

    /** The output feature map produced by {@code vertex}. */
    public FeatureMap output(String vertex) {
        for (FeatureMap f : outputs) {
            if (f.vertex().equals(vertex)) {
                return f;
            }
        }
        throw new IllegalArgumentException("no backbone output '" + vertex + "'; outputs are " + outputs);
    }

    /** Names of the backbone's layers (the parameters that a frozen schedule holds fixed). */
    public List<String> layerNames() {
        return java.util.Arrays.stream(graph.getVertices())
                .filter(org.deeplearning4j.nn.graph.vertex.GraphVertex::hasLayer)
                .map(org.deeplearning4j.nn.graph.vertex.GraphVertex::getVertexName).toList();
    }
}
