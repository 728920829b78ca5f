package io.github.dl4jcinn.layers.blocks;

import io.github.dl4jcinn.layers.vertex.EagerKernel;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.Map;

/**
 * Hand-written forward and backward pass of an {@link AffineCoupling} with fully connected subnets (the MNIST model's
 * block), in eager ND4J: the same math as the SameDiff definition, which stays the reference the tests compare with,
 * without SameDiff's per-op interpretation and copies. Forward intermediates are kept in the ACTIVATIONS workspace,
 * which DL4J keeps alive until the backward pass of the same iteration.
 *
 * <p>Backward, with {@code g} the incoming gradient of {@code [v1 | v2 | logdet]}:
 * <pre>
 *   ∂s2 = g_v2 ⊙ u2 ⊙ e2 + g_ld,  ∂t2 = g_v2,  ∂u2 = g_v2 ⊙ e2,  [∂v1, ∂c] += subnet2ᵀ[∂s2·clamp'(·), ∂t2]
 *   ∂s1 = g_v1 ⊙ u1 ⊙ e1 + g_ld,  ∂t1 = g_v1,  ∂u1 = g_v1 ⊙ e1,  [∂u2, ∂c] += subnet1ᵀ[∂s1·clamp'(·), ∂t1]
 * </pre>
 */
final class FullyConnectedCouplingKernel implements EagerKernel {

    private final int len1;
    private final int len2;
    private final int condSize;
    private final int layers;
    private final double leakySlope;
    private final Clamp clamp;
    private final double alpha;

    /** Forward cache of one half: subnet layer inputs (post-activation), raw s, exp(clamped s), the scaled input. */
    private static final class HalfCache {
        INDArray[] layerInputs;
        INDArray sRaw;
        INDArray logDet;
        INDArray expS;
        INDArray scaled;
    }

    private final HalfCache half1 = new HalfCache();
    private final HalfCache half2 = new HalfCache();

    FullyConnectedCouplingKernel(int len1, int len2, int condSize, Subnet subnet, Clamp clamp, double alpha) {
        this.len1 = len1;
        this.len2 = len2;
        this.condSize = condSize;
        this.layers = subnet.getHidden().length + 1;
        this.leakySlope = subnet.getLeakySlope();
        this.clamp = clamp;
        this.alpha = alpha;
    }

    @Override
    public INDArray forward(INDArray[] inputs, Map<String, INDArray> params, boolean training, LayerWorkspaceMgr mgr) {
        DataType dt = params.get("s1W0").dataType();
        INDArray flow = cast(inputs[0], dt);
        long n = flow.size(0);
        int d = len1 + len2;
        INDArray out = mgr.createUninitialized(ArrayType.ACTIVATIONS, dt, new long[]{n, d + 1}, 'c');
        try (MemoryWorkspace ws = scope(mgr, ArrayType.ACTIVATIONS)) {
            INDArray c = condition(inputs, n, dt);
            INDArray u1 = flow.get(NDArrayIndex.all(), NDArrayIndex.interval(0, len1));
            INDArray u2 = flow.get(NDArrayIndex.all(), NDArrayIndex.interval(len1, d));
            INDArray v1 = halfForward(half1, u1, u2, c, params, "s1", "gamma1", len1);
            INDArray v2 = halfForward(half2, u2, v1, c, params, "s2", "gamma2", len2);
            out.get(NDArrayIndex.all(), NDArrayIndex.interval(0, len1)).assign(v1);
            out.get(NDArrayIndex.all(), NDArrayIndex.interval(len1, d)).assign(v2);
            INDArray logDet = flow.get(NDArrayIndex.all(), NDArrayIndex.interval(d, d + 1)).dup()
                    .addi(half1.logDet).addi(half2.logDet);
            out.get(NDArrayIndex.all(), NDArrayIndex.interval(d, d + 1)).assign(logDet);
        }
        return out;
    }

    @Override
    public boolean hasInverse() {
        return true;
    }

    /** {@code u2 = (v2 − t2(v1)) ⊘ exp(s2(v1))}, then {@code u1 = (v1 − t1(u2)) ⊘ exp(s1(u2))} (paper eq. 2). */
    @Override
    public INDArray inverse(INDArray flowOut, INDArray[] conditions, Map<String, INDArray> params) {
        DataType dt = params.get("s1W0").dataType();
        INDArray y = cast(flowOut, dt);
        long n = y.size(0);
        int d = len1 + len2;
        INDArray c = conditions.length > 0 ? cast(conditions[0], dt).reshape(n, condSize) : null;
        INDArray v1 = y.get(NDArrayIndex.all(), NDArrayIndex.interval(0, len1));
        INDArray v2 = y.get(NDArrayIndex.all(), NDArrayIndex.interval(len1, d));
        INDArray logDet = y.get(NDArrayIndex.all(), NDArrayIndex.interval(d, d + 1)).dup();
        INDArray u2 = halfInverse(v2, v1, c, params, "s2", "gamma2", len2, logDet);
        INDArray u1 = halfInverse(v1, u2, c, params, "s1", "gamma1", len1, logDet);
        return Nd4j.hstack(u1, u2, logDet);
    }

    /** Undoes one half: {@code (v − t) ⊘ exp(s)}; subtracts its log-det from {@code logDet} in place. */
    private INDArray halfInverse(INDArray v, INDArray other, INDArray c, Map<String, INDArray> p, String prefix,
                                 String gamma, int len, INDArray logDet) {
        INDArray h = c == null ? other : Nd4j.hstack(other, c);
        for (int k = 0; k < layers; k++) {
            INDArray z = h.mmul(p.get(prefix + "W" + k)).addiRowVector(p.get(prefix + "b" + k));
            if (k < layers - 1) {
                z = leakySlope > 0 ? Transforms.leakyRelu(z, leakySlope, false) : Transforms.relu(z, false);
            }
            h = z;
        }
        INDArray s = clamp(h.get(NDArrayIndex.all(), NDArrayIndex.interval(0, len)), p.get(gamma));
        INDArray t = h.get(NDArrayIndex.all(), NDArrayIndex.interval(len, 2 * len));
        logDet.subi(s.sum(true, 1));
        return v.sub(t).muli(Transforms.exp(s.negi(), false));
    }

    /** {@code x ⊙ exp(s(other, c)) + t(other, c)}, caching what the backward pass needs. */
    private INDArray halfForward(HalfCache cache, INDArray x, INDArray other, INDArray c, Map<String, INDArray> p,
                                 String prefix, String gamma, int len) {
        INDArray h = c == null ? other.dup() : Nd4j.hstack(other, c);
        cache.layerInputs = new INDArray[layers];
        for (int k = 0; k < layers; k++) {
            cache.layerInputs[k] = h;
            INDArray z = h.mmul(p.get(prefix + "W" + k)).addiRowVector(p.get(prefix + "b" + k));
            if (k < layers - 1) {
                z = leakySlope > 0 ? Transforms.leakyRelu(z, leakySlope, false) : Transforms.relu(z, false);
            }
            h = z;
        }
        cache.sRaw = h.get(NDArrayIndex.all(), NDArrayIndex.interval(0, len));
        INDArray t = h.get(NDArrayIndex.all(), NDArrayIndex.interval(len, 2 * len));
        INDArray s = clamp(cache.sRaw, p.get(gamma));
        cache.logDet = s.sum(true, 1);
        cache.expS = Transforms.exp(s, false);
        cache.scaled = x.dup();
        return x.mul(cache.expS).addi(t);
    }

    private INDArray clamp(INDArray sRaw, INDArray gamma) {
        switch (clamp) {
            case ATAN:
                return Transforms.atan(sRaw.div(alpha), false).muli(2.0 * alpha / Math.PI);
            case TANH:
                return Transforms.tanh(sRaw, true).muliRowVector(gamma);
            default:
                return sRaw.dup();
        }
    }

    @Override
    public INDArray[] backward(INDArray epsilon, INDArray[] inputs, Map<String, INDArray> params,
                               Map<String, INDArray> grads, LayerWorkspaceMgr mgr) {
        DataType dt = params.get("s1W0").dataType();
        INDArray eps = cast(epsilon, dt);
        long n = eps.size(0);
        int d = len1 + len2;
        INDArray gV1 = eps.get(NDArrayIndex.all(), NDArrayIndex.interval(0, len1)).dup();
        INDArray gV2 = eps.get(NDArrayIndex.all(), NDArrayIndex.interval(len1, d));
        INDArray gLd = eps.get(NDArrayIndex.all(), NDArrayIndex.interval(d, d + 1));
        INDArray gCond = inputs.length > 1 ? Nd4j.zeros(dt, n, condSize) : null;

        INDArray gU2 = gV2.mul(half2.expS);
        INDArray gIn2 = halfBackward(half2, gV2, gLd, params, grads, "s2", "gamma2", len2);
        gV1.addi(gIn2.get(NDArrayIndex.all(), NDArrayIndex.interval(0, len1)));
        if (gCond != null) gCond.addi(gIn2.get(NDArrayIndex.all(), NDArrayIndex.interval(len1, len1 + condSize)));

        INDArray gU1 = gV1.mul(half1.expS);
        INDArray gIn1 = halfBackward(half1, gV1, gLd, params, grads, "s1", "gamma1", len1);
        gU2.addi(gIn1.get(NDArrayIndex.all(), NDArrayIndex.interval(0, len2)));
        if (gCond != null) gCond.addi(gIn1.get(NDArrayIndex.all(), NDArrayIndex.interval(len2, len2 + condSize)));

        INDArray dFlow = mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dt, new long[]{n, d + 1}, 'c');
        dFlow.get(NDArrayIndex.all(), NDArrayIndex.interval(0, len1)).assign(gU1);
        dFlow.get(NDArrayIndex.all(), NDArrayIndex.interval(len1, d)).assign(gU2);
        dFlow.get(NDArrayIndex.all(), NDArrayIndex.interval(d, d + 1)).assign(gLd);
        if (gCond == null) {
            return new INDArray[]{dFlow};
        }
        INDArray dCond = mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dt, inputs[1].shape(), 'c');
        dCond.assign(gCond.reshape(inputs[1].shape()));
        return new INDArray[]{dFlow, dCond};
    }

    /** Gradient of one half's subnet input {@code [other, c]}; writes the subnet's parameter gradients. */
    private INDArray halfBackward(HalfCache cache, INDArray gOut, INDArray gLd, Map<String, INDArray> p,
                                  Map<String, INDArray> grads, String prefix, String gamma, int len) {
        // ∂L/∂s (clamped) = g_v ⊙ x ⊙ exp(s) + g_logdet
        INDArray gS = gOut.mul(cache.scaled).muli(cache.expS).addiColumnVector(gLd);
        INDArray gA = Nd4j.hstack(clampBackward(gS, cache.sRaw, p.get(gamma), grads.get(gamma)), gOut);
        for (int k = layers - 1; k >= 0; k--) {
            INDArray h = cache.layerInputs[k];
            Nd4j.gemm(h, gA, grads.get(prefix + "W" + k), true, false, 1.0, 0.0);
            grads.get(prefix + "b" + k).assign(gA.sum(true, 0));
            INDArray gH = gA.mmul(p.get(prefix + "W" + k).transpose());
            if (k > 0) {
                // the layer input h is the previous layer's activation: h > 0 exactly where its pre-activation was
                INDArray slope = h.gt(0).castTo(gH.dataType());
                if (leakySlope > 0) {
                    slope.muli(1 - leakySlope).addi(leakySlope);
                }
                gH.muli(slope);
            }
            gA = gH;
        }
        return gA;
    }

    private INDArray clampBackward(INDArray gS, INDArray sRaw, INDArray gamma, INDArray gammaGrad) {
        switch (clamp) {
            case ATAN: {
                INDArray r = sRaw.div(alpha);
                return gS.div(r.muli(r).addi(1.0)).muli(2.0 / Math.PI);
            }
            case TANH: {
                INDArray th = Transforms.tanh(sRaw, true);
                gammaGrad.assign(gS.mul(th).sum(true, 0));
                return gS.mulRowVector(gamma).muli(th.mul(th).rsubi(1.0));
            }
            default:
                return gS;
        }
    }

    private INDArray condition(INDArray[] inputs, long n, DataType dt) {
        return inputs.length > 1 ? cast(inputs[1], dt).reshape(n, condSize) : null;
    }

    private static INDArray cast(INDArray a, DataType dt) {
        return a.dataType() == dt ? a : a.castTo(dt);
    }

    /** Allocations inside go to the given workspace when it is open, to the heap otherwise. */
    private static MemoryWorkspace scope(LayerWorkspaceMgr mgr, ArrayType type) {
        if (mgr.isScopedOut(type) || !mgr.isWorkspaceOpen(type)) {
            return Nd4j.getWorkspaceManager().scopeOutOfWorkspaces();
        }
        return mgr.notifyScopeBorrowed(type);
    }
}
