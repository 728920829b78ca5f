package io.github.dl4jcinn.layers.vertex;

import io.github.dl4jcinn.layers.FlowShape;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.conf.layers.samediff.SDVertexParams;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * One invertible block on the flow path: the single contract every block fulfils.
 *
 * <ul>
 *   <li>{@link #forward} and {@link #inverse}, side by side in each subclass, written once in SameDiff. The forward
 *       definition is what DL4J trains (autodiff gives the gradients); the inverse is what
 *       {@link io.github.dl4jcinn.layers.inverse.CinnInverse} chains to sample. Both report the forward log|det J|.</li>
 *   <li>{@link #outputShape()} from {@link #inputShape()}, and {@link #conditionShapes()}: shapes are checked when the
 *       graph is configured ({@link #getOutputType}) and on every call ({@link #validateInput}).</li>
 * </ul>
 * Vertex input 0 is the incoming flow tensor {@code [N, C*H*W + 1]} (see {@link FlowTensors}); inputs 1.. are the
 * conditions, in the order of {@link #conditionShapes()}: any DL4J vertex output, feed-forward or convolutional.
 */
public abstract class FlowVertex extends ShapedCinnVertex {

    public static final String FLOW_INPUT = "flow";

    protected FlowVertex() {}

    // ---- the block contract ----

    /** Forward map {@code y = f(x; c)} on data in {@link #imageLayout()} layout, with its log|det J|. */
    protected abstract FlowStep forward(SameDiff sd, SDVariable x, List<SDVariable> conditions,
                                        Map<String, SDVariable> params);

    /** Inverse map {@code x = f^-1(y; c)}, with the forward log|det J| at that x. */
    protected abstract FlowStep inverse(SameDiff sd, SDVariable y, List<SDVariable> conditions,
                                        Map<String, SDVariable> params);

    /** Output shape for the configured input shape; validates the input shape (throws with a clear message). */
    public FlowShape outputShape() {
        return inputShape();
    }

    /** Shapes of the condition inputs (vector or image), in vertex input order. */
    public List<FlowShape> conditionShapes() {
        return Collections.emptyList();
    }

    /** True if {@link #forward}/{@link #inverse} want NCHW data, false for [N, D]. */
    protected boolean imageLayout() {
        return inputShape().isImage();
    }

    protected void defineBlockParameters(SDVertexParams params) {}

    protected void initializeBlockParameters(Map<String, INDArray> params) {}

    // ---- shape bookkeeping ----

    public FlowShape inputShape() {
        FlowShape shape = configuredShape();
        if (shape == null) {
            throw new IllegalStateException(describe() + ": input shape not set (use the builder's inputShape(...) "
                    + "or add the block through CinnGraphBuilder, which tracks shapes)");
        }
        return shape;
    }

    /** Sets the input shape; subclasses validate it in {@link #outputShape()}. */
    public void applyInputShape(FlowShape shape) {
        configureShape(shape);
        setVertexParams(null); // parameter shapes depend on the input shape
    }

    // ---- SameDiffVertex plumbing, written once for every block ----

    @Override
    public final void defineParametersAndInputs(SDVertexParams params) {
        List<String> inputs = new ArrayList<>();
        inputs.add(FLOW_INPUT);
        for (int i = 0; i < conditionShapes().size(); i++) {
            inputs.add(conditionInputName(i));
        }
        params.defineInputs(inputs.toArray(new String[0]));
        defineBlockParameters(params);
    }

    public static String conditionInputName(int i) {
        return "cond" + i;
    }

    @Override
    public final void initializeParameters(Map<String, INDArray> params) {
        initializeBlockParameters(params);
    }

    @Override
    public final SDVariable defineVertex(SameDiff sd, Map<String, SDVariable> inputs,
                                         Map<String, SDVariable> params, Map<String, SDVariable> masks) {
        FlowShape in = inputShape();
        SDVariable flow = inputs.get(FLOW_INPUT);
        SDVariable x = FlowTensors.data(flow, in, imageLayout());
        FlowStep step = forward(sd, x, conditionsFrom(inputs), params);
        SDVariable logDet = FlowTensors.logDet(flow, in);
        if (step.logDet() != null) {
            logDet = logDet.add(step.logDet());
        }
        return FlowTensors.join(sd, step.data(), outputShape(), logDet);
    }

    /**
     * The inverse as a flow-tensor map, used to chain blocks backwards: takes {@code [N, D_out + 1]} and returns
     * {@code [N, D_in + 1]}, whose last column is the incoming column minus this block's forward log-det.
     * Conditions arrive as they were fed to the vertex; they are reshaped here the same way as in the forward pass.
     */
    public SDVariable defineInverse(SameDiff sd, SDVariable flowOut, List<SDVariable> conditions,
                                    Map<String, SDVariable> params) {
        FlowShape out = outputShape();
        SDVariable y = FlowTensors.data(flowOut, out, imageLayout());
        List<SDVariable> conds = new ArrayList<>();
        for (int i = 0; i < conditions.size(); i++) {
            conds.add(conditionLayout(conditions.get(i), i));
        }
        FlowStep step = inverse(sd, y, conds, params);
        SDVariable logDet = FlowTensors.logDet(flowOut, out);
        if (step.logDet() != null) {
            logDet = logDet.sub(step.logDet());
        }
        return FlowTensors.join(sd, step.data(), inputShape(), logDet);
    }

    private List<SDVariable> conditionsFrom(Map<String, SDVariable> inputs) {
        List<SDVariable> conds = new ArrayList<>();
        for (int i = 0; i < conditionShapes().size(); i++) {
            conds.add(conditionLayout(inputs.get(conditionInputName(i)), i));
        }
        return conds;
    }

    /** A condition as the block reads it: NCHW for image conditions, [N, D] for vector conditions. */
    private SDVariable conditionLayout(SDVariable c, int i) {
        FlowShape s = conditionShapes().get(i);
        return FlowTensors.toLayout(c, s, s.isImage());
    }

    // ---- validation with messages that name the vertex, the expected and the actual shape ----

    @Override
    public int minVertexInputs() {
        return 1 + conditionShapes().size();
    }

    @Override
    public int maxVertexInputs() {
        return 1 + conditionShapes().size();
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... vertexInputs) throws InvalidInputTypeException {
        FlowShape in = inputShape();
        FlowShape out = outputShape();
        int expectedInputs = 1 + conditionShapes().size();
        if (vertexInputs.length != expectedInputs) {
            throw new InvalidInputTypeException(describe() + ": expected " + expectedInputs + " inputs (flow + "
                    + conditionShapes().size() + " condition(s)), got " + vertexInputs.length);
        }
        long flowSize = vertexInputs[0].arrayElementsPerExample();
        if (vertexInputs[0].getType() != InputType.Type.FF || flowSize != in.size() + 1) {
            throw new InvalidInputTypeException(describe() + ": flow input expected feed-forward size "
                    + (in.size() + 1) + " (" + in + " + log-det column), got " + vertexInputs[0]);
        }
        for (int i = 0; i < conditionShapes().size(); i++) {
            checkConditionType(i, vertexInputs[i + 1]);
        }
        return InputType.feedForward(out.size() + 1);
    }

    private void checkConditionType(int i, InputType t) {
        FlowShape s = conditionShapes().get(i);
        boolean ok = t.arrayElementsPerExample() == s.size();
        if (ok && s.isImage() && t.getType() == InputType.Type.CNN) {
            InputType.InputTypeConvolutional c = (InputType.InputTypeConvolutional) t;
            ok = c.getChannels() == s.channels() && c.getHeight() == s.height() && c.getWidth() == s.width();
        }
        if (!ok) {
            throw new InvalidInputTypeException(describe() + ": condition " + i + " expected " + s + " ("
                    + s.size() + " values per example), got " + t);
        }
    }

    @Override
    public void validateInput(INDArray[] input) {
        FlowShape in = inputShape();
        INDArray flow = input[0];
        if (flow.rank() != 2 || flow.size(1) != in.size() + 1) {
            throw new IllegalArgumentException(describe() + ": flow input expected [N, " + (in.size() + 1) + "] ("
                    + in + " + log-det column), got " + Arrays.toString(flow.shape()));
        }
        for (int i = 0; i < conditionShapes().size(); i++) {
            FlowShape s = conditionShapes().get(i);
            INDArray c = input[i + 1];
            long perExample = c.length() / Math.max(1, c.size(0));
            boolean ok = c.size(0) == flow.size(0) && perExample == s.size();
            if (ok && c.rank() == 4 && s.isImage()) {
                ok = c.size(1) == s.channels() && c.size(2) == s.height() && c.size(3) == s.width();
            }
            if (!ok) {
                throw new IllegalArgumentException(describe() + ": condition " + i + " expected [" + flow.size(0)
                        + ", " + (s.isImage() ? s.channels() + ", " + s.height() + ", " + s.width() : s.size())
                        + "], got " + Arrays.toString(c.shape()));
            }
        }
    }
}
