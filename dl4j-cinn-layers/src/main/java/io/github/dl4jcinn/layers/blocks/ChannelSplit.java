package io.github.dl4jcinn.layers.blocks;

import io.github.dl4jcinn.layers.FlowShape;
import io.github.dl4jcinn.layers.vertex.SingleInputCinnVertex;
import io.github.dl4jcinn.layers.vertex.FlowTensors;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.Map;

/**
 * One side of a multi-scale split (guided-generation paper Sec. 4.2, "split off ... channels as z"): the last
 * {@code latentChannels} channels leave the flow as a latent part, the others continue. A vertex has one output,
 * so a split is two vertices reading the same flow tensor: {@link Part#LATENT} emits {@code [N, k·H·W]} (no
 * log-det), {@link Part#REST} emits the remaining channels with the log-det column, as a flow tensor. Neither
 * changes the log-det. {@code CinnGraphBuilder.split(...)} adds both; the inverse pass joins them again.
 */
public class ChannelSplit extends SingleInputCinnVertex {

    public enum Part { REST, LATENT }

    private int latentChannels;
    private Part part = Part.REST;

    public ChannelSplit() {}

    public ChannelSplit(String name, FlowShape input, int latentChannels, Part part) {
        setName(name);
        configureShape(input);
        this.latentChannels = latentChannels;
        this.part = part;
        outputShape();
    }

    public FlowShape inputShape() {
        return configuredShape();
    }

    /** Shape of this side's data: the rest (flow) or the latent part. */
    public FlowShape outputShape() {
        FlowShape in = inputShape();
        if (latentChannels <= 0 || latentChannels >= in.channels()) {
            throw new IllegalArgumentException(describe() + ": split of " + latentChannels + " latent channels "
                    + "needs 0 < k < channels; input " + in + " has " + in.channels() + " channels");
        }
        int c = part == Part.LATENT ? latentChannels : in.channels() - latentChannels;
        return in.isImage() ? FlowShape.image(c, in.height(), in.width()) : FlowShape.vector(c);
    }

    /** True if this side carries the log-det column (the REST side). */
    public boolean carriesLogDet() {
        return part == Part.REST;
    }

    /** For each output column, the input column it copies (the log-det column maps to the input's log-det). */
    public int[] sourceColumns() {
        FlowShape in = inputShape();
        int restSize = (in.channels() - latentChannels) * in.pixels();
        if (part == Part.LATENT) {
            int[] cols = new int[in.size() - restSize];
            for (int i = 0; i < cols.length; i++) cols[i] = restSize + i;
            return cols;
        }
        int[] cols = new int[restSize + 1];
        for (int i = 0; i < restSize; i++) cols[i] = i;
        cols[restSize] = in.size();
        return cols;
    }

    @Override
    public SDVariable defineVertex(SameDiff sd, Map<String, SDVariable> inputs, Map<String, SDVariable> params,
                                   Map<String, SDVariable> masks) {
        FlowShape in = inputShape();
        SDVariable flow = inputs.get("flow");
        int restSize = (in.channels() - latentChannels) * in.pixels();
        if (part == Part.LATENT) {
            return FlowTensors.columns(flow, restSize, in.size());
        }
        return sd.concat(1, FlowTensors.columns(flow, 0, restSize), FlowTensors.logDet(flow, in));
    }

    @Override
    protected String inputName() {
        return "flow";
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... vertexInputs) throws InvalidInputTypeException {
        FlowShape in = inputShape();
        FlowShape out = outputShape();
        if (vertexInputs.length != 1 || vertexInputs[0].getType() != InputType.Type.FF
                || vertexInputs[0].arrayElementsPerExample() != in.size() + 1) {
            throw new InvalidInputTypeException(describe() + ": flow input expected feed-forward size "
                    + (in.size() + 1) + " (" + in + " + log-det column), got " + Arrays.toString(vertexInputs));
        }
        return InputType.feedForward(out.size() + (carriesLogDet() ? 1 : 0));
    }

    @Override
    public void validateInput(INDArray[] input) {
        FlowShape in = inputShape();
        if (input[0].rank() != 2 || input[0].size(1) != in.size() + 1) {
            throw new IllegalArgumentException(describe() + ": flow input expected [N, " + (in.size() + 1) + "] ("
                    + in + " + log-det column), got " + Arrays.toString(input[0].shape()));
        }
    }

    public int getLatentChannels() { return latentChannels; }
    public void setLatentChannels(int latentChannels) { this.latentChannels = latentChannels; }
    public Part getPart() { return part; }
    public void setPart(Part part) { this.part = part; }
}
