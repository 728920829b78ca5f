package io.github.dl4jcinn.layers.loss;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Negative log-likelihood and bits per dimension from the final flow tensor {@code [z | log|det J|]}.
 *
 * <p>NLL of one example in nats: {@code ½‖z‖² + (D/2)·ln 2π − log|det J|} (exact density of the model input).
 * Bits/dim for 8-bit data: with the model input {@code x = (x01 − mean)/std} and {@code x01 = (pixel + u)/256},
 * {@code u ~ U[0,1)} (uniform dequantisation), {@code bpd = (NLL/D + ln(256·std)) / ln 2} is an upper bound on the
 * discrete 8-bit NLL (with std = 1 it is {@code (NLL/D)/ln 2 + 8}). If training used Gaussian noise of width σ
 * instead, the same number is only an approximation: the model then learned a blurred density, so compare such
 * numbers with each other, not with published uniform-dequantisation results.
 */
public final class LikelihoodMetrics {
    private static final double LN2 = Math.log(2);
    private static final double HALF_LN_2PI = 0.5 * Math.log(2 * Math.PI);

    private LikelihoodMetrics() {}

    /** Mean NLL in nats per dimension over the examples of one flow tensor. */
    public static double nllNatsPerDim(INDArray flowOut) {
        long d = flowOut.size(1) - 1;
        INDArray z = flowOut.get(NDArrayIndex.all(), NDArrayIndex.interval(0, d));
        INDArray logDet = flowOut.get(NDArrayIndex.all(), NDArrayIndex.point(d));
        double sq = z.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).norm2Number().doubleValue();
        double meanHalfSq = 0.5 * sq * sq / flowOut.size(0);
        double meanLogDet = logDet.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).meanNumber().doubleValue();
        return (meanHalfSq - meanLogDet) / d + HALF_LN_2PI;
    }

    /** Bits per dimension of 8-bit data from NLL in nats per dimension; see the class comment for assumptions. */
    public static double bitsPerDim(double nllNatsPerDim, double inputStd) {
        return (nllNatsPerDim + Math.log(256.0 * inputStd)) / LN2;
    }

    /** The loss reported by {@link MaxLikelihoodLoss} (per dimension, no constant) as NLL nats per dimension. */
    public static double nllFromLoss(double lossPerDim) {
        return lossPerDim + HALF_LN_2PI;
    }
}
