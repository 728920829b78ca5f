package io.github.dl4jcinn.layers.blocks;

import io.github.dl4jcinn.layers.FlowShape;
import io.github.dl4jcinn.layers.vertex.FlowStep;
import io.github.dl4jcinn.layers.vertex.FlowTensors;
import io.github.dl4jcinn.layers.vertex.FlowVertex;
import org.deeplearning4j.nn.conf.layers.samediff.SDVertexParams;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Conditional affine coupling block (guided-generation paper, eq. 1-2, conditions concatenated to the subnet input):
 * <pre>
 *   v1 = u1 ⊙ exp(s1(u2, c)) + t1(u2, c)         u1 = (v1 − t1(u2, c)) ⊘ exp(s1(u2, c))
 *   v2 = u2 ⊙ exp(s2(v1, c)) + t2(v1, c)         u2 = (v2 − t2(v1, c)) ⊘ exp(s2(v1, c))
 *   log|det J| = Σ s1 + Σ s2
 * </pre>
 * Both halves are updated. The input is split along channels for images ({@code C/2} first) and along features for
 * vectors. Each of the two subnets produces {@code s} and {@code t} jointly. The condition may be absent
 * (unconditional block), a vector (broadcast over H x W for convolutional subnets) or an image of the block's
 * spatial size. A fully connected subnet on an image stage works on the flattened values.
 *
 * <pre>{@code AffineCoupling cc = AffineCoupling.builder()
 *         .subnet(Subnet.fullyConnected(512, 512, 512)).vectorCondition(10).clamp(Clamp.ATAN, 1.9).build();}</pre>
 */
public class AffineCoupling extends FlowVertex {

    private Subnet subnet = Subnet.fullyConnected(512);
    private Clamp clamp = Clamp.ATAN;
    private double clampAlpha = 1.9;
    private int conditionChannels;
    private int conditionHeight;
    private int conditionWidth;
    private Implementation implementation = Implementation.AUTO;

    /** Which runtime trains the block: the eager kernel where one exists (fully connected subnets), or SameDiff. */
    public enum Implementation { AUTO, SAMEDIFF }

    public AffineCoupling() {}

    public static Builder builder() {
        return new Builder();
    }

    // ---- the two directions, side by side ----

    @Override
    protected FlowStep forward(SameDiff sd, SDVariable x, List<SDVariable> conditions, Map<String, SDVariable> p) {
        SDVariable c = conditions.isEmpty() ? null : conditions.get(0);
        SDVariable u1 = half(x, 0, len1());
        SDVariable u2 = half(x, len1(), len1() + len2());
        SDVariable[] st1 = coefficients(sd, u2, c, p, 1, len1());
        SDVariable v1 = u1.mul(sd.math().exp(st1[0])).add(st1[1]);
        SDVariable[] st2 = coefficients(sd, v1, c, p, 2, len2());
        SDVariable v2 = u2.mul(sd.math().exp(st2[0])).add(st2[1]);
        return new FlowStep(sd.concat(1, v1, v2), logDet(st1[0], st2[0]));
    }

    @Override
    protected FlowStep inverse(SameDiff sd, SDVariable y, List<SDVariable> conditions, Map<String, SDVariable> p) {
        SDVariable c = conditions.isEmpty() ? null : conditions.get(0);
        SDVariable v1 = half(y, 0, len1());
        SDVariable v2 = half(y, len1(), len1() + len2());
        SDVariable[] st2 = coefficients(sd, v1, c, p, 2, len2());
        SDVariable u2 = v2.sub(st2[1]).mul(sd.math().exp(st2[0].neg()));
        SDVariable[] st1 = coefficients(sd, u2, c, p, 1, len1());
        SDVariable u1 = v1.sub(st1[1]).mul(sd.math().exp(st1[0].neg()));
        return new FlowStep(sd.concat(1, u1, u2), logDet(st1[0], st2[0]));
    }

    /** Clamped log-scale s and shift t of half {@code j} (transforming {@code len} channels) from the other half. */
    private SDVariable[] coefficients(SameDiff sd, SDVariable other, SDVariable c, Map<String, SDVariable> p,
                                      int j, int len) {
        SDVariable in = c == null ? other : sd.concat(1, other, broadcastCondition(sd, c, other));
        SDVariable a = subnet.define(sd, in, p, subnetPrefix(j));
        SDVariable s = half(a, 0, len);
        SDVariable t = half(a, len, 2 * len);
        return new SDVariable[]{clamp(sd, s, p, j), t};
    }

    private SDVariable clamp(SameDiff sd, SDVariable s, Map<String, SDVariable> p, int j) {
        switch (clamp) {
            case ATAN:
                return sd.math().atan(s.div(clampAlpha)).mul(2.0 * clampAlpha / Math.PI);
            case TANH:
                SDVariable gamma = p.get(gammaName(j));
                if (imageLayout()) {
                    gamma = gamma.reshape(1, -1, 1, 1);
                }
                return sd.math().tanh(s).mul(gamma);
            default:
                return s;
        }
    }

    private SDVariable logDet(SDVariable s1, SDVariable s2) {
        int rank = imageLayout() ? 4 : 2;
        long pixels = imageLayout() ? inputShape().pixels() : 1;
        return FlowTensors.sumPerExample(s1, rank, len1() * pixels)
                .add(FlowTensors.sumPerExample(s2, rank, len2() * pixels));
    }

    /** A vector condition on a convolutional block is repeated over every pixel; FC subnets see it flat. */
    private SDVariable broadcastCondition(SameDiff sd, SDVariable c, SDVariable like) {
        FlowShape cond = conditionShapes().get(0);
        if (!imageLayout()) {
            return c.reshape(-1, cond.size()); // fully connected subnets read an image condition flattened
        }
        if (cond.isImage()) {
            return c;
        }
        FlowShape in = inputShape();
        return sd.tile(c.reshape(-1, cond.size(), 1, 1), 1, 1, in.height(), in.width());
    }

    private SDVariable half(SDVariable x, int from, int to) {
        FlowShape in = inputShape();
        return imageLayout()
                ? FlowTensors.channels(x, from, to, in.height(), in.width())
                : FlowTensors.columns(x, from, to);
    }

    /** Fully connected couplings train through a hand-written kernel (about 2x faster than SameDiff here). */
    @Override
    public io.github.dl4jcinn.layers.vertex.EagerKernel eagerKernel() {
        if (implementation != Implementation.AUTO || subnet.convolutional()) {
            return null;
        }
        outputShape();
        return new FullyConnectedCouplingKernel(len1(), len2(), conditionWidthForSubnet(), subnet, clamp, clampAlpha);
    }

    // ---- shapes and parameters ----

    /** Convolutional subnets need the image layout; fully connected ones read the flattened vector. */
    @Override
    protected boolean imageLayout() {
        return subnet.convolutional();
    }

    private FlowShape split() {
        FlowShape in = inputShape();
        return imageLayout() ? in : in.flattened();
    }

    int len1() {
        return split().channels() / 2;
    }

    int len2() {
        return split().channels() - len1();
    }

    @Override
    public FlowShape outputShape() {
        FlowShape in = inputShape();
        if (subnet.convolutional() && !in.isImage()) {
            throw new IllegalArgumentException(describe() + ": a convolutional subnet needs an image input, got "
                    + "vector " + in);
        }
        if (split().channels() < 2) {
            throw new IllegalArgumentException(describe() + ": coupling needs at least 2 "
                    + (imageLayout() ? "channels" : "features") + " to split, got input " + in);
        }
        if (imageLayout() && conditionChannels > 0 && conditionHeight > 0
                && (conditionHeight != in.height() || conditionWidth != in.width())) {
            throw new IllegalArgumentException(describe() + ": image condition must have the block's spatial size "
                    + in.height() + "x" + in.width() + ", got " + conditionShapes().get(0));
        }
        return in;
    }

    @Override
    public List<FlowShape> conditionShapes() {
        return conditionChannels <= 0 ? Collections.emptyList()
                : Collections.singletonList(FlowShape.of(conditionChannels, conditionHeight, conditionWidth));
    }

    /** Condition values each subnet sees per position (all of a flattened condition for FC subnets). */
    private int conditionWidthForSubnet() {
        if (conditionChannels <= 0) {
            return 0;
        }
        FlowShape c = conditionShapes().get(0);
        return imageLayout() ? c.channels() : c.size();
    }

    @Override
    protected void defineBlockParameters(SDVertexParams params) {
        outputShape(); // validates before shapes are derived
        int cw = conditionWidthForSubnet();
        subnet.defineParameters(params, subnetPrefix(1), len2() + cw, 2L * len1());
        subnet.defineParameters(params, subnetPrefix(2), len1() + cw, 2L * len2());
        if (clamp == Clamp.TANH) {
            params.addWeightParam(gammaName(1), 1, len1());
            params.addWeightParam(gammaName(2), 1, len2());
        }
    }

    @Override
    protected void initializeBlockParameters(Map<String, INDArray> params) {
        subnet.initializeParameters(params, subnetPrefix(1));
        subnet.initializeParameters(params, subnetPrefix(2));
        if (clamp == Clamp.TANH) {
            params.get(gammaName(1)).assign(1);
            params.get(gammaName(2)).assign(1);
        }
    }

    private static String subnetPrefix(int j) {
        return "s" + j; // no underscore: DL4J splits gradient keys at the last one
    }

    private static String gammaName(int j) {
        return "gamma" + j;
    }

    // ---- bean accessors (JSON) ----

    public Subnet getSubnet() { return subnet; }
    public void setSubnet(Subnet subnet) { this.subnet = subnet; }
    public Clamp getClamp() { return clamp; }
    public void setClamp(Clamp clamp) { this.clamp = clamp; }
    public double getClampAlpha() { return clampAlpha; }
    public void setClampAlpha(double clampAlpha) { this.clampAlpha = clampAlpha; }
    public int getConditionChannels() { return conditionChannels; }
    public void setConditionChannels(int conditionChannels) { this.conditionChannels = conditionChannels; }
    public int getConditionHeight() { return conditionHeight; }
    public void setConditionHeight(int conditionHeight) { this.conditionHeight = conditionHeight; }
    public int getConditionWidth() { return conditionWidth; }
    public Implementation getImplementation() { return implementation; }
    public void setImplementation(Implementation implementation) { this.implementation = implementation; }
    public void setConditionWidth(int conditionWidth) { this.conditionWidth = conditionWidth; }

    /** Fluent configuration; the input shape is filled in by {@code CinnGraphBuilder} unless given here. */
    public static final class Builder {
        private final AffineCoupling c = new AffineCoupling();

        public Builder subnet(Subnet subnet) { c.subnet = subnet; return this; }
        public Builder clamp(Clamp clamp) { c.clamp = clamp; return this; }
        public Builder clamp(Clamp clamp, double alpha) { c.clamp = clamp; c.clampAlpha = alpha; return this; }
        public Builder vectorCondition(int size) { return condition(FlowShape.vector(size)); }
        public Builder imageCondition(int ch, int h, int w) { return condition(FlowShape.image(ch, h, w)); }

        public Builder condition(FlowShape shape) {
            c.conditionChannels = shape.channels();
            c.conditionHeight = shape.serialHeight();
            c.conditionWidth = shape.serialWidth();
            return this;
        }

        public Builder inputShape(FlowShape shape) { c.applyInputShape(shape); return this; }
        public Builder implementation(Implementation implementation) { c.implementation = implementation; return this; }

        public AffineCoupling build() {
            return c;
        }
    }
}
