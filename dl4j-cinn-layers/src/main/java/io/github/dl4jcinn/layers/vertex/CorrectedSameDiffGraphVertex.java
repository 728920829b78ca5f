package io.github.dl4jcinn.layers.vertex;

import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.samediff.DL4JSameDiffMemoryMgr;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.array.SingleThreadArrayHolder;
import org.nd4j.autodiff.samediff.internal.InferenceSession;
import org.nd4j.autodiff.samediff.internal.SessionMemMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runtime of a SameDiff-defined dl4j-cinn vertex, replacing DL4J 1.0.0-M2.1's {@code SameDiffGraphVertex}, which
 * is wrong in three ways (reproduced and root-caused in the project's DL4J notes):
 * <ol>
 *   <li>gradients come out exactly 2x too large per vertex, compounding along a chain: its
 *       {@code ExternalErrorsFunction.doDiff()} both registers and returns the incoming epsilon, and
 *       {@code DifferentialFunction.diff()} adds the two. Here the epsilon enters as the loss
 *       {@code sum(output * epsilon)}, whose gradient with respect to the output is exactly the epsilon;</li>
 *   <li>{@code doBackward()} builds the gradient function inside the training workspace, so reduce ops keep axis
 *       arrays in memory that is overwritten next iteration. Here every graph construction is scoped out of
 *       workspaces, so training keeps workspaces ENABLED;</li>
 *   <li>{@code setBackpropGradientsViewArray()} never stores the view, so per-layer gradient normalisation is a
 *       silent no-op. Here it is stored.</li>
 * </ol>
 */
public class CorrectedSameDiffGraphVertex extends CinnRuntimeVertex {

    private static final String EPSILON = "__cinn_epsilon";
    private static final String GRAD_FUNCTION = "grad";

    private SameDiff sameDiff;
    private String outputName;

    public CorrectedSameDiffGraphVertex(CinnVertex config, ComputationGraph graph, String name, int vertexIndex,
                                        INDArray paramsView, boolean initParams, DataType dataType) {
        super(config, graph, name, vertexIndex, paramsView, initParams, dataType);
    }

    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        config.validateInput(inputs);
        ensureInitialised();
        Map<String, INDArray> placeholders = inputPlaceholders();

        SessionMemMgr mmgr = new DL4JSameDiffMemoryMgr(
                workspaceMgr.getWorkspaceName(ArrayType.FF_WORKING_MEM),
                workspaceMgr.getWorkspaceName(ArrayType.ACTIVATIONS),
                workspaceMgr.getConfiguration(ArrayType.FF_WORKING_MEM),
                workspaceMgr.getConfiguration(ArrayType.ACTIVATIONS));
        InferenceSession session = sameDiff.getSessions().computeIfAbsent(Thread.currentThread().getId(),
                id -> SameDiff.getInferenceFactory().create(sameDiff));
        session.setMmgr(mmgr);

        INDArray result = sameDiff.outputSingle(placeholders, outputName);
        sameDiff.clearPlaceholders(true);
        sameDiff.clearOpInputs();
        return intoWorkspace(result, ArrayType.ACTIVATIONS, workspaceMgr);
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        config.validateInput(inputs);
        ensureInitialised();
        List<String> inputNames = config.getVertexParams().getInputs();
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            if (!sameDiff.hasGradientFunction()) {
                SDVariable output = sameDiff.getVariable(outputName);
                long[] epsShape = output.getShape() != null ? output.getShape().clone() : epsilon.shape().clone();
                epsShape[0] = -1;
                SDVariable eps = sameDiff.placeHolder(EPSILON, output.dataType(), epsShape);
                SDVariable loss = output.mul(eps).sum();
                sameDiff.setLossVariables(loss);
                sameDiff.createGradFunction(inputNames.toArray(new String[0]));
            }
        }

        SessionMemMgr mmgr = new DL4JSameDiffMemoryMgr(
                workspaceMgr.getWorkspaceName(ArrayType.BP_WORKING_MEM),
                workspaceMgr.getWorkspaceName(ArrayType.ACTIVATION_GRAD),
                workspaceMgr.getConfiguration(ArrayType.BP_WORKING_MEM),
                workspaceMgr.getConfiguration(ArrayType.ACTIVATION_GRAD));
        SameDiff gradFn = sameDiff.getFunction(GRAD_FUNCTION);
        gradFn.getSessions().computeIfAbsent(Thread.currentThread().getId(),
                id -> SameDiff.getInferenceFactory().create(gradFn)).setMmgr(mmgr);

        Map<String, INDArray> placeholders = inputPlaceholders();
        placeholders.put(EPSILON, epsilon);
        List<String> required = new ArrayList<>(inputNames);
        required.addAll(paramTable.keySet());
        Map<String, INDArray> grads = sameDiff.calculateGradients(placeholders, required);

        Gradient g = new DefaultGradient();
        for (String p : paramTable.keySet()) {
            INDArray view = gradTable.get(p);
            INDArray sdGrad = grads.get(p);
            if (sdGrad == null) {
                view.assign(0);
            } else {
                view.assign(sdGrad);
            }
            g.gradientForVariable().put(p, view);
        }
        INDArray[] dLdIn = new INDArray[inputNames.size()];
        for (int j = 0; j < dLdIn.length; j++) {
            INDArray d = grads.get(inputNames.get(j));
            if (d == null) {
                // an input that does not influence the output (e.g. an unused condition) gets a zero gradient
                dLdIn[j] = workspaceMgr.create(ArrayType.ACTIVATION_GRAD, dataType, inputs[j].shape());
                dLdIn[j].assign(0);
            } else {
                dLdIn[j] = intoWorkspace(d, ArrayType.ACTIVATION_GRAD, workspaceMgr);
            }
        }
        sameDiff.clearPlaceholders(true);
        sameDiff.clearOpInputs();
        return new Pair<>(g, dLdIn);
    }

    private Map<String, INDArray> inputPlaceholders() {
        Map<String, INDArray> ph = new LinkedHashMap<>();
        List<String> names = config.getVertexParams().getInputs();
        for (int i = 0; i < inputs.length; i++) {
            // inputs of another precision (e.g. double data into a float network) are cast, as DL4J layers do
            ph.put(names.get(i), inputs[i].dataType() == dataType ? inputs[i] : inputs[i].castTo(dataType));
        }
        return ph;
    }

    private static INDArray intoWorkspace(INDArray arr, ArrayType type, LayerWorkspaceMgr mgr) {
        if (mgr.isScopedOut(type)) {
            return arr.isAttached() ? arr.detach() : arr;
        }
        String wsName = mgr.getWorkspaceName(type);
        if (arr.isAttached() && arr.data().getParentWorkspace() != null
                && wsName.equals(arr.data().getParentWorkspace().getId())) {
            return arr;
        }
        return mgr.dup(type, arr);
    }

    private void ensureInitialised() {
        if (sameDiff != null) {
            return;
        }
        // Graph construction allocates (constants, axis arrays): it must never land in a training workspace.
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            SameDiff sd = SameDiff.create();
            sd.setArrayHolders(new SingleThreadArrayHolder(), new SingleThreadArrayHolder(), false);
            Map<String, SDVariable> inputVars = new LinkedHashMap<>();
            List<String> names = config.getVertexParams().getInputs();
            for (int i = 0; i < names.size(); i++) {
                long[] shape = inputs[i].shape().clone();
                shape[0] = -1;
                inputVars.put(names.get(i), sd.placeHolder(names.get(i), dataType, shape));
            }
            Map<String, SDVariable> paramVars = new LinkedHashMap<>();
            for (Map.Entry<String, long[]> e : config.getVertexParams().getParamShapes().entrySet()) {
                paramVars.put(e.getKey(), sd.var(e.getKey(), dataType, e.getValue()));
            }
            SDVariable out = config.defineVertex(sd, inputVars, paramVars, Collections.emptyMap());
            if (out == null) {
                throw new IllegalStateException(config.describe() + " defined no output");
            }
            for (Map.Entry<String, INDArray> e : paramTable.entrySet()) {
                sd.associateArrayWithVariable(e.getValue(), sd.getVariable(e.getKey()));
            }
            this.outputName = out.name();
            this.sameDiff = sd;
        }
    }
}
