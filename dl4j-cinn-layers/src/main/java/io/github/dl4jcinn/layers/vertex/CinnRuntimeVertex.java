package io.github.dl4jcinn.layers.vertex;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.api.TrainingConfig;
import org.deeplearning4j.nn.conf.layers.samediff.SDVertexParams;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.BaseGraphVertex;
import org.deeplearning4j.nn.params.SameDiffParamInitializer;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collections;
import java.util.Map;

/**
 * What every dl4j-cinn runtime vertex shares: parameter and gradient views carved out of DL4J's flat arrays in the
 * order of the configuration's {@link SDVertexParams}, initialisation on creation, and the stored gradient view that
 * DL4J's own SameDiff vertex forgets (so per-layer gradient normalisation works). Masks are not supported: flows
 * have none.
 */
public abstract class CinnRuntimeVertex extends BaseGraphVertex {

    protected final CinnVertex config;
    protected final Map<String, INDArray> paramTable;
    private final INDArray params;
    private INDArray gradients;
    protected Map<String, INDArray> gradTable = Collections.emptyMap();

    protected CinnRuntimeVertex(CinnVertex config, ComputationGraph graph, String name, int vertexIndex,
                                INDArray paramsView, boolean initParams, DataType dataType) {
        super(graph, name, vertexIndex, null, null, dataType);
        this.config = config;
        SDVertexParams vp = config.getVertexParams();
        this.paramTable = SameDiffParamInitializer.getInstance().subsetAndReshape(vp.getParameterKeys(),
                vp.getParamShapes(), paramsView, null, config);
        if (initParams) {
            config.initializeParameters(paramTable);
        }
        this.params = paramsView;
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
        return getClass().getSimpleName() + "(" + vertexName + ": " + config.getClass().getSimpleName() + ")";
    }
}
