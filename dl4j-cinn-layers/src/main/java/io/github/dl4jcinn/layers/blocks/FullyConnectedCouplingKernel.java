package io.github.dl4jcinn.layers.blocks;

import io.github.dl4jcinn.layers.vertex.EagerKernel;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.Map;

/**
 * Hand-written forward and backward pass of an {@link AffineCoupling} with fully connected subnets (the MNIST model's
 * block), in eager ND4J: the same math as the SameDiff definition, which stays the reference the tests compare with,
 * without SameDiff's per-op interpretation and copies. Forward intermediates are kept in the ACTIVATIONS workspace,
 * which DL4J keeps alive until the backward pass of the same iteration. The halves of the flow tensor are copied out
 * once into contiguous arrays and the results copied back once ({@link ColumnBlocks}); every element-wise op in
 * between runs on contiguous arrays, every matrix product is one GEMM ({@link DenseSubnetKernel}).
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
    private final DenseSubnetKernel subnet1;
    private final DenseSubnetKernel subnet2;
    private final Clamp clamp;
    private final double alpha;

    /** Forward cache of one half: its subnet input [other | condition] and layers, scaled x, raw s, exp(clamped s). */
    private static final class HalfCache {
        INDArray x;
        INDArray other;
        INDArray condition;
        DenseSubnetKernel.Activations acts;
        INDArray expS;
    }

    private final HalfCache half1 = new HalfCache();
    private final HalfCache half2 = new HalfCache();

    FullyConnectedCouplingKernel(int len1, int len2, int condSize, Subnet subnet, Clamp clamp, double alpha) {
        this.len1 = len1;
        this.len2 = len2;
        this.condSize = condSize;
        this.subnet1 = new DenseSubnetKernel(subnet, "s1", len1);
        this.subnet2 = new DenseSubnetKernel(subnet, "s2", len2);
        this.clamp = clamp;
        this.alpha = alpha;
    }

    @Override
    public INDArray forward(INDArray[] inputs, Map<String, INDArray> params, boolean training, LayerWorkspaceMgr mgr) {
        DataType dt = DenseSubnetKernel.dataType(params, "s1");
        INDArray flow = cast(inputs[0], dt);
        long n = flow.size(0);
        int d = len1 + len2;
        INDArray out = mgr.createUninitialized(ArrayType.ACTIVATIONS, dt, new long[]{n, d + 1}, 'c');
        try (MemoryWorkspace ws = scope(mgr, ArrayType.ACTIVATIONS)) {
            INDArray c = condition(inputs, n, dt);
            INDArray u1 = ColumnBlocks.copy(flow, 0, len1);
            INDArray u2 = ColumnBlocks.copy(flow, len1, d);
            INDArray logDet = ColumnBlocks.copy(flow, d, d + 1);
            INDArray v1 = halfForward(half1, subnet1, u1, u2, c, params, "gamma1", logDet);
            INDArray v2 = halfForward(half2, subnet2, u2, v1, c, params, "gamma2", logDet);
            ColumnBlocks.join(out, v1, v2, logDet);
        }
        return out;
    }

    /** {@code x ⊙ exp(s(other, c)) + t(other, c)}; adds the half's log-det to {@code logDet}. */
    private INDArray halfForward(HalfCache cache, DenseSubnetKernel subnet, INDArray x, INDArray other, INDArray c,
                                 Map<String, INDArray> p, String gamma, INDArray logDet) {
        cache.x = x;
        cache.other = other;
        cache.condition = c;
        cache.acts = subnet.forward(other, c, p);
        INDArray s = clamp(cache.acts.first, p.get(gamma));
        logDet.addi(s.sum(true, 1));
        cache.expS = Transforms.exp(s, false);
        return x.mul(cache.expS).addi(cache.acts.second);
    }

    @Override
    public boolean hasInverse() {
        return true;
    }

    /** {@code u2 = (v2 − t2(v1)) ⊘ exp(s2(v1))}, then {@code u1 = (v1 − t1(u2)) ⊘ exp(s1(u2))} (paper eq. 2). */
    @Override
    public INDArray inverse(INDArray flowOut, INDArray[] conditions, Map<String, INDArray> params) {
        DataType dt = DenseSubnetKernel.dataType(params, "s1");
        INDArray y = cast(flowOut, dt);
        long n = y.size(0);
        int d = len1 + len2;
        INDArray c = conditions.length > 0 ? cast(conditions[0], dt).reshape(n, condSize) : null;
        INDArray v1 = ColumnBlocks.copy(y, 0, len1);
        INDArray v2 = ColumnBlocks.copy(y, len1, d);
        INDArray logDet = ColumnBlocks.copy(y, d, d + 1);
        INDArray u2 = halfInverse(subnet2, v2, v1, c, params, "gamma2", logDet);
        INDArray u1 = halfInverse(subnet1, v1, u2, c, params, "gamma1", logDet);
        INDArray x = Nd4j.createUninitialized(dt, n, d + 1);
        ColumnBlocks.join(x, u1, u2, logDet);
        return x;
    }

    /** Undoes one half: {@code (v − t) ⊘ exp(s)}; subtracts its log-det from {@code logDet}. */
    private INDArray halfInverse(DenseSubnetKernel subnet, INDArray v, INDArray other, INDArray c,
                                 Map<String, INDArray> p, String gamma, INDArray logDet) {
        DenseSubnetKernel.Activations acts = subnet.forward(other, c, p);
        INDArray s = clamp(acts.first, p.get(gamma));
        logDet.subi(s.sum(true, 1));
        return v.sub(acts.second).muli(Transforms.exp(s.negi(), false));
    }

    /** The clamped scale as a new array (the raw one is left intact for the backward pass). */
    private INDArray clamp(INDArray sRaw, INDArray gamma) {
        switch (clamp) {
            case ATAN:
                return Transforms.atan(sRaw.mul(1.0 / alpha), false).muli(2.0 * alpha / Math.PI);
            case TANH:
                return Transforms.tanh(sRaw, true).muliRowVector(gamma);
            default:
                return sRaw.dup();
        }
    }

    @Override
    public INDArray[] backward(INDArray epsilon, INDArray[] inputs, Map<String, INDArray> params,
                               Map<String, INDArray> grads, LayerWorkspaceMgr mgr) {
        DataType dt = DenseSubnetKernel.dataType(params, "s1");
        INDArray eps = cast(epsilon, dt);
        long n = eps.size(0);
        int d = len1 + len2;
        INDArray gV1 = ColumnBlocks.copy(eps, 0, len1);
        INDArray gV2 = ColumnBlocks.copy(eps, len1, d);
        INDArray gLd = ColumnBlocks.copy(eps, d, d + 1);
        INDArray dCond = inputs.length > 1
                ? mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dt, inputs[1].shape(), 'c') : null;
        INDArray gCond = dCond == null ? null : dCond.reshape(n, condSize);

        // second half: v2 = u2 ⊙ e2 + t2(v1, c)
        INDArray gU2 = gV2.mul(half2.expS);
        gV1.addi(halfBackward(half2, subnet2, gV2, gLd, params, grads, "gamma2", gCond, 0.0));
        // first half: v1 = u1 ⊙ e1 + t1(u2, c)
        INDArray gU1 = gV1.mul(half1.expS);
        gU2.addi(halfBackward(half1, subnet1, gV1, gLd, params, grads, "gamma1", gCond, 1.0));

        INDArray dFlow = mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dt, new long[]{n, d + 1}, 'c');
        ColumnBlocks.join(dFlow, gU1, gU2, gLd);
        return dCond == null ? new INDArray[]{dFlow} : new INDArray[]{dFlow, dCond};
    }

    /**
     * Gradient of one half's subnet input {@code other}; writes the subnet's parameter gradients and puts the
     * condition's gradient into {@code gCond} (overwritten for {@code beta = 0}, added for 1).
     */
    private INDArray halfBackward(HalfCache cache, DenseSubnetKernel subnet, INDArray gOut, INDArray gLd,
                                  Map<String, INDArray> p, Map<String, INDArray> grads, String gamma, INDArray gCond,
                                  double beta) {
        // ∂L/∂s (clamped) = g_v ⊙ x ⊙ exp(s) + g_logdet, then through the clamp; ∂L/∂t = g_v
        INDArray gS = gOut.mul(cache.x).muli(cache.expS).addiColumnVector(gLd);
        clampBackward(gS, cache.acts.first, p.get(gamma), grads.get(gamma));
        return subnet.backward(gS, gOut, cache.other, cache.condition, cache.acts, p, grads, gCond, beta);
    }

    /** Multiplies {@code gS} in place by the clamp's derivative at {@code sRaw}; writes γ's gradient for TANH. */
    private void clampBackward(INDArray gS, INDArray sRaw, INDArray gamma, INDArray gammaGrad) {
        switch (clamp) {
            case ATAN: {
                // d/ds [2α/π · atan(s/α)] = (2/π) / (1 + (s/α)²)
                INDArray r = sRaw.mul(1.0 / alpha);
                gS.divi(r.muli(r).addi(1.0)).muli(2.0 / Math.PI);
                break;
            }
            case TANH: {
                INDArray th = Transforms.tanh(sRaw, true);
                gammaGrad.assign(gS.mul(th).sum(true, 0));
                gS.muliRowVector(gamma).muli(th.muli(th).rsubi(1.0));
                break;
            }
            default:
                break;
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
