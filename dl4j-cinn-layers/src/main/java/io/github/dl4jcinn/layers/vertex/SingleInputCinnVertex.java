package io.github.dl4jcinn.layers.vertex;

import org.deeplearning4j.nn.conf.layers.samediff.SDVertexParams;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

/** A shaped vertex with exactly one input and no parameters (the flow entry, the two sides of a split). */
public abstract class SingleInputCinnVertex extends ShapedCinnVertex {

    /** Name of the single input in the SameDiff definition. */
    protected abstract String inputName();

    @Override
    public void defineParametersAndInputs(SDVertexParams params) {
        params.defineInputs(inputName());
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {}

    @Override
    public int minVertexInputs() { return 1; }

    @Override
    public int maxVertexInputs() { return 1; }
}
