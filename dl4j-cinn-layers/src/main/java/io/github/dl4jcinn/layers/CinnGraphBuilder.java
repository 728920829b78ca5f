package io.github.dl4jcinn.layers;

import io.github.dl4jcinn.layers.blocks.ChannelSplit;
import io.github.dl4jcinn.layers.blocks.FlowEntry;
import io.github.dl4jcinn.layers.loss.MaxLikelihoodLoss;
import io.github.dl4jcinn.layers.vertex.FlowVertex;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the invertible part of a {@link org.deeplearning4j.nn.graph.ComputationGraph} on top of DL4J's own
 * {@link ComputationGraphConfiguration.GraphBuilder}, tracking the flow shape so blocks need not repeat it.
 * Conditioning networks are ordinary DL4J layers added through {@link #graph()}.
 *
 * <pre>{@code
 * ComputationGraphConfiguration conf = CinnGraphBuilder.create(new NeuralNetConfiguration.Builder()
 *                 .seed(1).updater(new Adam(1e-3)))
 *         .flowInput("x", FlowShape.vector(8))
 *         .conditionInput("label", InputType.feedForward(3))
 *         .add("cc1", AffineCoupling.builder().subnet(Subnet.fullyConnected(32)).vectorCondition(3).build(), "label")
 *         .add("perm1", new FixedPermutation(1))
 *         .add("cc2", AffineCoupling.builder().subnet(Subnet.fullyConnected(32)).vectorCondition(3).build(), "label")
 *         .build("nll");
 * }</pre>
 */
public final class CinnGraphBuilder {

    private final ComputationGraphConfiguration.GraphBuilder graph;
    private final Map<String, InputType> inputs = new LinkedHashMap<>();
    private final List<String> latentParts = new ArrayList<>();
    private String current;
    private FlowShape shape;

    private CinnGraphBuilder(ComputationGraphConfiguration.GraphBuilder graph) {
        this.graph = graph;
    }

    public static CinnGraphBuilder create(NeuralNetConfiguration.Builder global) {
        return new CinnGraphBuilder(global.graphBuilder());
    }

    public static CinnGraphBuilder create(ComputationGraphConfiguration.GraphBuilder graph) {
        return new CinnGraphBuilder(graph);
    }

    /** DL4J's graph builder, for conditioning networks and anything else that is not on the invertible path. */
    public ComputationGraphConfiguration.GraphBuilder graph() {
        return graph;
    }

    /** Declares the data input and starts the flow ({@code <name>_flow} is the entry vertex). */
    public CinnGraphBuilder flowInput(String name, FlowShape dataShape) {
        requireNoFlow();
        InputType type = dataShape.isImage()
                ? InputType.convolutional(dataShape.height(), dataShape.width(), dataShape.channels())
                : InputType.feedForward(dataShape.size());
        input(name, type);
        current = name + "_flow";
        shape = dataShape;
        graph.addVertex(current, named(new FlowEntry(dataShape), current), name);
        return this;
    }

    /** Declares a condition input (any DL4J input type). */
    public CinnGraphBuilder conditionInput(String name, InputType type) {
        return input(name, type);
    }

    /** Declares any other graph input, in the order DL4J will expect the arrays. */
    public CinnGraphBuilder input(String name, InputType type) {
        inputs.put(name, type);
        graph.addInputs(name);
        return this;
    }

    /** Appends a block to the flow; its input shape is set from the current flow shape. */
    public CinnGraphBuilder add(String name, FlowVertex block, String... conditions) {
        requireFlow();
        block.setName(name);
        block.applyInputShape(shape);
        FlowShape out = block.outputShape();
        if (conditions.length != block.conditionShapes().size()) {
            throw new IllegalArgumentException(block.getClass().getSimpleName() + " '" + name + "': declares "
                    + block.conditionShapes().size() + " condition(s) " + block.conditionShapes() + ", got "
                    + conditions.length + " condition input(s)");
        }
        String[] in = new String[conditions.length + 1];
        in[0] = current;
        System.arraycopy(conditions, 0, in, 1, conditions.length);
        graph.addVertex(name, block, in);
        current = name;
        shape = out;
        return this;
    }

    /**
     * Sends the last {@code latentChannels} channels to the latent output now (multi-scale split-off): adds
     * {@code <name>_latent} and {@code <name>}, the continuing flow.
     */
    public CinnGraphBuilder split(String name, int latentChannels) {
        requireFlow();
        ChannelSplit latent = new ChannelSplit(name + "_latent", shape, latentChannels, ChannelSplit.Part.LATENT);
        ChannelSplit rest = new ChannelSplit(name, shape, latentChannels, ChannelSplit.Part.REST);
        graph.addVertex(name + "_latent", latent, current);
        graph.addVertex(name, rest, current);
        latentParts.add(name + "_latent");
        current = name;
        shape = rest.outputShape();
        return this;
    }

    /** Reads the current flow as a vector from here on (a no-op on the data: the layout is already flat). */
    public CinnGraphBuilder flatten() {
        requireFlow();
        shape = shape.flattened();
        return this;
    }

    public FlowShape currentShape() {
        return shape;
    }

    public String currentVertex() {
        return current;
    }

    /**
     * Ends the flow: merges all split-off latent parts with the final flow ({@code latent}, log-det last), adds the
     * {@link MaxLikelihoodLoss} output layer and sets the input types.
     */
    public ComputationGraphConfiguration build(String lossName) {
        return build(lossName, new MaxLikelihoodLoss());
    }

    public ComputationGraphConfiguration build(String lossName, MaxLikelihoodLoss loss) {
        requireFlow();
        String last = current;
        if (!latentParts.isEmpty()) {
            String[] parts = new String[latentParts.size() + 1];
            for (int i = 0; i < latentParts.size(); i++) parts[i] = latentParts.get(i);
            parts[latentParts.size()] = current;
            last = "latent";
            graph.addVertex(last, new MergeVertex(), parts);
        }
        graph.addLayer(lossName, loss, last);
        graph.setOutputs(lossName);
        graph.setInputTypes(inputs.values().toArray(new InputType[0]));
        return graph.build();
    }

    private static <T extends org.deeplearning4j.nn.conf.layers.samediff.SameDiffVertex> T named(T v, String name) {
        v.setName(name);
        return v;
    }

    private void requireFlow() {
        if (current == null) {
            throw new IllegalStateException("Call flowInput(...) before adding blocks");
        }
    }

    private void requireNoFlow() {
        if (current != null) {
            throw new IllegalStateException("flowInput(...) already called: one invertible path per graph");
        }
    }
}
