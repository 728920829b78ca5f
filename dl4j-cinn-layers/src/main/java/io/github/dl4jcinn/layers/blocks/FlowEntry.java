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
 * Start of the invertible path: turns the data input (feed-forward {@code [N, D]}, convolutional {@code [N, C, H, W]}
 * or convolutional-flat) into the flow tensor {@code [N, D + 1]} with a zero log-det column.
 */
public class FlowEntry extends SingleInputCinnVertex {


    public FlowEntry() {}

    public FlowEntry(FlowShape shape) {
        configureShape(shape);
    }

    public FlowShape shape() {
        return configuredShape();
    }

    @Override
    public SDVariable defineVertex(SameDiff sd, Map<String, SDVariable> inputs, Map<String, SDVariable> params,
                                   Map<String, SDVariable> masks) {
        SDVariable flat = inputs.get("x").reshape(-1, shape().size());
        SDVariable zero = FlowTensors.columns(flat, 0, 1).mul(0);
        return sd.concat(1, flat, zero);
    }

    @Override
    protected String inputName() {
        return "x";
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... vertexInputs) throws InvalidInputTypeException {
        FlowShape s = shape();
        InputType t = vertexInputs[0];
        boolean ok = t.arrayElementsPerExample() == s.size();
        if (ok && t.getType() == InputType.Type.CNN) {
            InputType.InputTypeConvolutional c = (InputType.InputTypeConvolutional) t;
            ok = s.isImage() && c.getChannels() == s.channels() && c.getHeight() == s.height()
                    && c.getWidth() == s.width();
        }
        if (!ok) {
            throw new InvalidInputTypeException(describe() + ": data input expected " + s + " (" + s.size()
                    + " values per example), got " + t);
        }
        return InputType.feedForward(s.size() + 1);
    }

    @Override
    public void validateInput(INDArray[] input) {
        FlowShape s = shape();
        INDArray x = input[0];
        long perExample = x.length() / Math.max(1, x.size(0));
        boolean ok = perExample == s.size() && (x.rank() == 2 || x.rank() == 4);
        if (ok && x.rank() == 4) {
            ok = x.size(1) == s.channels() && x.size(2) == s.height() && x.size(3) == s.width();
        }
        if (!ok) {
            throw new IllegalArgumentException(describe() + ": data input expected "
                    + (s.isImage() ? "[N, " + s.channels() + ", " + s.height() + ", " + s.width() + "] or " : "")
                    + "[N, " + s.size() + "], got " + Arrays.toString(x.shape()));
        }
    }

}
