package io.github.dl4jcinn.layers.loss;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffOutputLayer;
import io.github.dl4jcinn.layers.vertex.FlowTensors;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

/**
 * Maximum-likelihood loss of a cINN (guided-generation paper, eq. 6):
 * {@code L = mean_i( ½‖z_i‖² − log|J_i| )}, read from the final flow tensor {@code [N, D + 1]} (all latent parts,
 * log-det last). With {@code perDimension} (default) the loss is divided by D, i.e. reported in nats per dimension
 * without the constant {@code ½·ln 2π}; the optimum is the same, and it makes learning rates and weight decay
 * comparable across model sizes (the PyTorch reference does the same). Weight decay (the eq. 6 prior term) comes
 * from the updater configuration. See {@link LikelihoodMetrics} for NLL and bits/dim.
 *
 * <p>DL4J specifics handled here: {@code fit()} always passes labels, so labels are declared but ignored (feed any
 * {@code [N, 1]} array); DL4J divides the score by the minibatch size, so the SameDiff loss is the batch sum; and a
 * one-element unused parameter makes the graph trainable even when every other parameter lives in SameDiff vertices
 * (DL4J M2.1's {@code ComputationGraph.numParams()} counts layers only and {@code fit()} returns at once when it is 0).
 * The layer's output (what {@code graph.output(...)} returns) is its input: {@code [z | log-det]}.
 */
public class MaxLikelihoodLoss extends SameDiffOutputLayer {

    public static final String UNUSED_PARAM = "trainableMarker";

    private long nIn;
    private boolean perDimension = true;

    public MaxLikelihoodLoss() {}

    public MaxLikelihoodLoss(boolean perDimension) {
        this.perDimension = perDimension;
    }

    @Override
    public SDVariable defineLayer(SameDiff sd, SDVariable input, SDVariable labels, Map<String, SDVariable> params) {
        long d = nIn - 1;
        SDVariable z = FlowTensors.columns(input, 0, d);
        SDVariable logDet = FlowTensors.columns(input, d, d + 1);
        SDVariable perExample = z.mul(z).sum(true, 1).mul(0.5).sub(logDet);
        SDVariable loss = perExample.sum();
        if (perDimension) {
            loss = loss.div(d);
        }
        return loss.add(params.get(UNUSED_PARAM).sum().mul(0));
    }

    @Override
    public String activationsVertexName() {
        return org.deeplearning4j.nn.layers.samediff.SameDiffOutputLayer.INPUT_KEY;
    }

    @Override
    public void defineParameters(SDLayerParams params) {
        params.addWeightParam(UNUSED_PARAM, 1, 1);
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        params.get(UNUSED_PARAM).assign(0);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        return inputType;
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        if (nIn <= 0 || override) {
            if (inputType.getType() != InputType.Type.FF) {
                throw new IllegalArgumentException("MaxLikelihoodLoss '" + getLayerName() + "': expected the flow "
                        + "tensor [N, D + 1] (feed-forward), got " + inputType);
            }
            nIn = inputType.arrayElementsPerExample();
        }
    }

    /** Number of latent dimensions D. */
    public long dimensions() {
        return nIn - 1;
    }

    public long getNIn() { return nIn; }
    public void setNIn(long nIn) { this.nIn = nIn; }
    public boolean isPerDimension() { return perDimension; }
    public void setPerDimension(boolean perDimension) { this.perDimension = perDimension; }

    @Override
    public boolean equals(Object o) {
        return super.equals(o) && o instanceof MaxLikelihoodLoss && ((MaxLikelihoodLoss) o).nIn == nIn
                && ((MaxLikelihoodLoss) o).perDimension == perDimension;
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + Long.hashCode(nIn) + (perDimension ? 1 : 0);
    }
}
