package io.github.dl4jcinn.layers.blocks;

import org.deeplearning4j.nn.conf.layers.samediff.SDVertexParams;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * The coefficient network of a coupling block: maps {@code [u, c]} to the joint {@code [s, t]}. Never inverted, so
 * it can be any network; two kinds cover the papers: fully connected (vectors, the MNIST model) and convolutional
 * with SAME padding (images; 3x3 kernels for conditional blocks, 1x1 for the unconditional ones of the
 * colorization model).
 *
 * <p>Initialisation follows the paper (Sec. 3.4): Xavier for every layer and, by default, the last layer zeroed so
 * that each block starts as the identity. JSON-safe: a plain bean.
 *
 * <pre>{@code Subnet.fullyConnected(512, 512, 512)        // (392+10) -> 512 -> 512 -> 512 -> 784, ReLU
 * Subnet.convolutional(3, 32, 32).leakySlope(0.05)  // conv3x3 -> lrelu -> conv3x3 -> lrelu -> conv3x3}</pre>
 */
public class Subnet implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    public enum Kind { FULLY_CONNECTED, CONVOLUTIONAL }

    private Kind kind = Kind.FULLY_CONNECTED;
    private int[] hidden = {512};
    private int kernelSize = 3;
    /** 0 gives ReLU; a positive slope gives leaky ReLU. */
    private double leakySlope = 0.0;
    private boolean zeroLastLayer = true;

    public Subnet() {}

    public static Subnet fullyConnected(int... hidden) {
        Subnet s = new Subnet();
        s.kind = Kind.FULLY_CONNECTED;
        s.hidden = hidden.clone();
        return s;
    }

    public static Subnet convolutional(int kernelSize, int... hiddenChannels) {
        Subnet s = new Subnet();
        s.kind = Kind.CONVOLUTIONAL;
        s.kernelSize = kernelSize;
        s.hidden = hiddenChannels.clone();
        s.leakySlope = 0.01;
        return s;
    }

    public Subnet leakySlope(double slope) {
        this.leakySlope = slope;
        return this;
    }

    public Subnet zeroLastLayer(boolean zero) {
        this.zeroLastLayer = zero;
        return this;
    }

    public boolean convolutional() {
        return kind == Kind.CONVOLUTIONAL;
    }

    // ---- definition, shared by the forward and the inverse pass of the block ----

    void defineParameters(SDVertexParams params, String prefix, long in, long out) {
        long prev = in;
        for (int i = 0; i <= hidden.length; i++) {
            long next = i < hidden.length ? hidden[i] : out;
            if (convolutional()) {
                params.addWeightParam(prefix + "W" + i, kernelSize, kernelSize, prev, next);
                params.addBiasParam(prefix + "b" + i, next);
            } else {
                params.addWeightParam(prefix + "W" + i, prev, next);
                params.addBiasParam(prefix + "b" + i, 1, next);
            }
            prev = next;
        }
    }

    void initializeParameters(Map<String, INDArray> params, String prefix) {
        for (int i = 0; i <= hidden.length; i++) {
            INDArray w = params.get(prefix + "W" + i);
            INDArray b = params.get(prefix + "b" + i);
            b.assign(0);
            boolean last = i == hidden.length;
            if (last && zeroLastLayer) {
                w.assign(0);
                continue;
            }
            long[] s = w.shape();
            double receptive = convolutional() ? (double) kernelSize * kernelSize : 1.0;
            double fanIn = s[s.length - 2] * receptive;
            double fanOut = s[s.length - 1] * receptive;
            WeightInit.XAVIER.getWeightInitFunction().init(fanIn, fanOut, s, 'c', w);
        }
    }

    SDVariable define(SameDiff sd, SDVariable input, Map<String, SDVariable> params, String prefix) {
        SDVariable h = input;
        for (int i = 0; i <= hidden.length; i++) {
            SDVariable w = params.get(prefix + "W" + i);
            SDVariable b = params.get(prefix + "b" + i);
            if (convolutional()) {
                Conv2DConfig conf = Conv2DConfig.builder().kH(kernelSize).kW(kernelSize)
                        .paddingMode(PaddingMode.SAME).dataFormat(Conv2DConfig.NCHW).build();
                h = sd.cnn().conv2d(h, w, b, conf);
            } else {
                h = h.mmul(w).add(b);
            }
            if (i < hidden.length) {
                h = leakySlope > 0 ? sd.nn().leakyRelu(h, leakySlope) : sd.nn().relu(h, 0);
            }
        }
        return h;
    }

    // ---- bean accessors (JSON) ----

    public Kind getKind() { return kind; }
    public void setKind(Kind kind) { this.kind = kind; }
    public int[] getHidden() { return hidden.clone(); }
    public void setHidden(int[] hidden) { this.hidden = hidden.clone(); }
    public int getKernelSize() { return kernelSize; }
    public void setKernelSize(int kernelSize) { this.kernelSize = kernelSize; }
    public double getLeakySlope() { return leakySlope; }
    public void setLeakySlope(double leakySlope) { this.leakySlope = leakySlope; }
    public boolean isZeroLastLayer() { return zeroLastLayer; }
    public void setZeroLastLayer(boolean zeroLastLayer) { this.zeroLastLayer = zeroLastLayer; }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Subnet)) return false;
        Subnet s = (Subnet) o;
        return kind == s.kind && Arrays.equals(hidden, s.hidden) && kernelSize == s.kernelSize
                && leakySlope == s.leakySlope && zeroLastLayer == s.zeroLastLayer;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, Arrays.hashCode(hidden), kernelSize, leakySlope, zeroLastLayer);
    }

    @Override
    public String toString() {
        return kind + Arrays.toString(hidden) + (convolutional() ? " k" + kernelSize : "")
                + (leakySlope > 0 ? " lrelu " + leakySlope : " relu");
    }
}
