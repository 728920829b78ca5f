package io.github.dl4jcinn.layers.vertex;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.api.TrainingConfig;
import org.deeplearning4j.nn.conf.layers.samediff.SDVertexParams;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.BaseGraphVertex;
import org.deeplearning4j.nn.params.SameDiffParamInitializer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collections;
import java.util.Map;

/** Runtime of a dl4j-cinn vertex that supplies an {@link EagerKernel}: no SameDiff on the training path. */
public class EagerGraphVertex extends BaseGraphVertex {

    private final CinnVertex config;
    private final EagerKernel kernel;
    private final INDArray params;
    private final Map<String, INDArray> paramTable;
    private INDArray gradients;
    private Map<String, INDArray> gradTable = Collections.emptyMap();

    public EagerGraphVertex(CinnVertex config, EagerKernel kernel, ComputationGraph graph, String name,
                            int vertexIndex, INDArray paramsView, boolean initParams, DataType dataType) {
        super(graph, name, vertexIndex, null, null, dataType);
        this.config = config;
        this.kernel = kernel;
        SDVertexParams vp = config.getVertexParams();
        this.paramTable = SameDiffParamInitializer.getInstance().subsetAndReshape(vp.getParameterKeys(),
                vp.getParamShapes(), paramsView, null, config);
        if (initParams) {
            config.initializeParameters(paramTable);
        }
        this.params = paramsView;
    }

    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        config.validateInput(inputs);
        return kernel.forward(inputs, paramTable, training, workspaceMgr);
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        INDArray[] dLdIn = kernel.backward(epsilon, inputs, paramTable, gradTable, workspaceMgr);
        Gradient g = new DefaultGradient();
        for (String p : paramTable.keySet()) {
            g.gradientForVariable().put(p, gradTable.get(p));
        }
        return new Pair<>(g, dLdIn);
    }

    @Override
    public void setBackpropGradientsViewArray(INDArray view) {
        this.gradients = view;
        SDVertexParams vp = config.getVertexParams();
        this.gradTable = SameDiffParamInitializer.getInstance().subsetAndReshape(vp.getParameterKeys(),
                vp.getParamShapes(), view, null, config);
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArrays(INDArray[] maskArrays, MaskState currentMaskState,
                                                           int minibatchSize) {
        return new Pair<>(null, currentMaskState);
    }

    @Override
    public boolean hasLayer() { return false; }

    @Override
    public Layer getLayer() { return null; }

    @Override
    public Map<String, INDArray> paramTable(boolean backpropOnly) { return paramTable; }

    @Override
    public TrainingConfig getConfig() { return config; }

    @Override
    public INDArray params() { return params; }

    @Override
    public INDArray getGradientsViewArray() { return gradients; }

    @Override
    public void clearVertex() { clear(); }

    @Override
    public String toString() {
        return "EagerGraphVertex(" + vertexName + ": " + config.getClass().getSimpleName() + ")";
    }
}
