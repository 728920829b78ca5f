package io.github.dl4jcinn.layers.vertex;

import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Runtime of a dl4j-cinn vertex that supplies an {@link EagerKernel}: no SameDiff on the training path. */
public class EagerGraphVertex extends CinnRuntimeVertex {

    private final EagerKernel kernel;

    public EagerGraphVertex(CinnVertex config, EagerKernel kernel, ComputationGraph graph, String name,
                            int vertexIndex, INDArray paramsView, boolean initParams, DataType dataType) {
        super(config, graph, name, vertexIndex, paramsView, initParams, dataType);
        this.kernel = kernel;
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
}
