package io.github.dl4jcinn.layers.blocks;

import io.github.dl4jcinn.layers.FlowShape;
import io.github.dl4jcinn.layers.vertex.FlowStep;
import io.github.dl4jcinn.layers.vertex.FlowTensors;
import io.github.dl4jcinn.layers.vertex.FlowVertex;
import org.deeplearning4j.nn.conf.layers.samediff.SDVertexParams;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.Map;

/**
 * Activation normalisation (Glow): a learned per-channel affine map {@code y = (x + b) · exp(logScale)}, log-det
 * {@code H·W·Σ logScale}. Starts as the identity; {@link io.github.dl4jcinn.layers.training.ActNormInitializer}
 * sets b and logScale from a data batch so that every channel starts with zero mean and unit variance.
 * On a vector stage it normalises each feature.
 */
public class ActNorm extends FlowVertex {

    public static final String BIAS = "bias";
    public static final String LOG_SCALE = "logScale";

    public ActNorm() {}

    @Override
    protected FlowStep forward(SameDiff sd, SDVariable x, List<SDVariable> conditions, Map<String, SDVariable> p) {
        SDVariable y = x.add(perChannel(p.get(BIAS))).mul(sd.math().exp(perChannel(p.get(LOG_SCALE))));
        return new FlowStep(y, logDet(sd, x, p));
    }

    @Override
    protected FlowStep inverse(SameDiff sd, SDVariable y, List<SDVariable> conditions, Map<String, SDVariable> p) {
        SDVariable x = y.mul(sd.math().exp(perChannel(p.get(LOG_SCALE)).neg())).sub(perChannel(p.get(BIAS)));
        return new FlowStep(x, logDet(sd, x, p));
    }

    private SDVariable logDet(SameDiff sd, SDVariable like, Map<String, SDVariable> p) {
        SDVariable total = p.get(LOG_SCALE).sum().mul(inputShape().pixels());
        SDVariable zeros = FlowTensors.sumPerExample(like, inputShape().isImage() ? 4 : 2, inputShape().size()).mul(0);
        return zeros.add(total);
    }

    private SDVariable perChannel(SDVariable v) {
        return inputShape().isImage() ? v.reshape(1, -1, 1, 1) : v;
    }

    @Override
    protected void defineBlockParameters(SDVertexParams params) {
        FlowShape in = inputShape();
        params.addBiasParam(BIAS, 1, in.channels());
        params.addWeightParam(LOG_SCALE, 1, in.channels());
    }

    @Override
    protected void initializeBlockParameters(Map<String, INDArray> params) {
        params.get(BIAS).assign(0);
        params.get(LOG_SCALE).assign(0);
    }
}
