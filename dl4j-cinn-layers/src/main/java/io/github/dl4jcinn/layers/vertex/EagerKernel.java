package io.github.dl4jcinn.layers.vertex;

import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

/**
 * Hand-written forward/backward of a vertex in eager ND4J, for blocks where SameDiff is broken (gather's gradient)
 * or too slow. Implementations must return the output in {@code ArrayType.ACTIVATIONS} and input gradients in
 * {@code ArrayType.ACTIVATION_GRAD} of the given workspace manager, and write parameter gradients into the views.
 */
public interface EagerKernel {

    INDArray forward(INDArray[] inputs, Map<String, INDArray> params, boolean training, LayerWorkspaceMgr mgr);

    INDArray[] backward(INDArray epsilon, INDArray[] inputs, Map<String, INDArray> params,
                        Map<String, INDArray> paramGradients, LayerWorkspaceMgr mgr);

    /** True if {@link #inverse} is implemented, so sampling can skip SameDiff for this block. */
    default boolean hasInverse() {
        return false;
    }

    /**
     * Inference-only inverse on flow tensors: {@code [y | l]} to {@code [x | l − log|det J(x)|]}; the conditions are
     * the arrays the vertex receives as inputs 1.., unchanged.
     */
    default INDArray inverse(INDArray flowOut, INDArray[] conditions, Map<String, INDArray> params) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no eager inverse");
    }
}
