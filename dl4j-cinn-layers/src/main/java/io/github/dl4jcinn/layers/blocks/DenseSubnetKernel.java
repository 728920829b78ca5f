package io.github.dl4jcinn.layers.blocks;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce.Mmul;
import org.nd4j.linalg.api.ops.impl.transforms.same.Sign;
import org.nd4j.linalg.api.blas.params.MMulTranspose;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.Map;

/**
 * Forward and backward pass of one fully connected {@link Subnet} of a coupling in eager ND4J, written for speed:
 * <ul>
 *   <li>every matrix product is one GEMM straight into its result (ND4J's {@code mmul} computes into a
 *       column-major temporary and copies it back);</li>
 *   <li>the first layer takes its input as two parts {@code [x | c]} and multiplies each by its block of rows of
 *       {@code W0} instead of concatenating them;</li>
 *   <li>the last layer is computed as two GEMMs on its two column blocks, so the coupling gets {@code s} and
 *       {@code t} as separate contiguous arrays (element-wise ops on column views are ~9x slower, see
 *       {@link ColumnBlocks});</li>
 *   <li>the ReLU derivative is {@code sign(h)}, two plain transforms (25x faster here than the fused
 *       {@code thresholdedrelu_bp} op: 54 µs against 1.4 ms on 256 x 512 floats).</li>
 * </ul>
 * New arrays go to whatever workspace is open, so callers decide their lifetime.
 */
final class DenseSubnetKernel {

    private final String prefix;
    private final int layers;
    private final double leakySlope;
    private final long split;

    /** Layer outputs of one forward pass: hidden activations, then the last layer as two column blocks. */
    static final class Activations {
        final INDArray[] hidden;
        final INDArray first;
        final INDArray second;

        Activations(INDArray[] hidden, INDArray first, INDArray second) {
            this.hidden = hidden;
            this.first = first;
            this.second = second;
        }
    }

    /** @param split width of the first column block of the last layer's output ({@code s}; the rest is {@code t}) */
    DenseSubnetKernel(Subnet subnet, String prefix, long split) {
        this.prefix = prefix;
        this.layers = subnet.getHidden().length + 1;
        this.leakySlope = subnet.getLeakySlope();
        this.split = split;
    }

    /** The layers on input {@code [x | c]} ({@code c} may be null). */
    Activations forward(INDArray x, INDArray c, Map<String, INDArray> p) {
        INDArray ones = Nd4j.ones(x.dataType(), x.size(0), 1);
        INDArray[] hidden = new INDArray[layers - 1];
        INDArray h = null;
        for (int k = 0; k < layers - 1; k++) {
            INDArray w = weight(p, k);
            INDArray z = Nd4j.createUninitialized(w.dataType(), x.size(0), w.size(1));
            affine(k == 0 ? x : h, k == 0 ? c : null, w, p.get(prefix + "b" + k), ones, z);
            if (leakySlope > 0) {
                Transforms.leakyRelu(z, leakySlope, false);
            } else {
                Transforms.relu(z, false);
            }
            hidden[k] = z;
            h = z;
        }
        int last = layers - 1;
        INDArray w = weight(p, last);
        INDArray b = p.get(prefix + "b" + last);
        long width = w.size(1);
        INDArray in = layers == 1 ? x : h;
        INDArray cIn = layers == 1 ? c : null;
        INDArray first = Nd4j.createUninitialized(w.dataType(), x.size(0), split);
        INDArray second = Nd4j.createUninitialized(w.dataType(), x.size(0), width - split);
        affine(in, cIn, ColumnBlocks.columns(w, 0, split), ColumnBlocks.columns(b, 0, split), ones, first);
        affine(in, cIn, ColumnBlocks.columns(w, split, width), ColumnBlocks.columns(b, split, width), ones, second);
        return new Activations(hidden, first, second);
    }

    /**
     * {@code z = [in | c]·w + b}, {@code c} multiplying the rows of {@code w} below those of {@code in}; the bias as
     * the rank-1 product {@code ones·b} (half the time of ND4J's row-vector broadcast here).
     */
    private static void affine(INDArray in, INDArray c, INDArray w, INDArray b, INDArray ones, INDArray z) {
        long nIn = in.size(1);
        gemm(in, c == null ? w : ColumnBlocks.rows(w, 0, nIn), z, false, false, 0.0);
        if (c != null) {
            gemm(c, ColumnBlocks.rows(w, nIn, w.size(0)), z, false, false, 1.0);
        }
        gemm(ones, b, z, false, false, 1.0);
    }

    /**
     * Back-propagates the gradients of the last layer's two output blocks through the layers of {@code acts};
     * writes the parameter gradients into {@code grads}.
     *
     * @param gCond receives the gradient of {@code c} ({@code beta = 0}: overwritten, 1: added); null if no condition
     * @return the gradient of {@code x}
     */
    INDArray backward(INDArray gFirst, INDArray gSecond, INDArray x, INDArray c, Activations acts,
                      Map<String, INDArray> p, Map<String, INDArray> grads, INDArray gCond, double beta) {
        int last = layers - 1;
        INDArray w = weight(p, last);
        INDArray gW = grads.get(prefix + "W" + last);
        INDArray gB = grads.get(prefix + "b" + last);
        long width = w.size(1);
        INDArray in = layers == 1 ? x : acts.hidden[last - 1];
        INDArray cIn = layers == 1 ? c : null;
        INDArray ones = Nd4j.ones(gFirst.dataType(), 1, gFirst.size(0));
        // weight and bias gradients of the two column blocks, written straight into the gradient views
        affineGradient(in, cIn, gFirst, ColumnBlocks.columns(gW, 0, split), ColumnBlocks.columns(gB, 0, split),
                ones);
        affineGradient(in, cIn, gSecond, ColumnBlocks.columns(gW, split, width),
                ColumnBlocks.columns(gB, split, width), ones);
        INDArray gIn = Nd4j.createUninitialized(gFirst.dataType(), gFirst.size(0), in.size(1));
        INDArray gCondIn = cIn == null ? null : gCond;
        inputGradient(gFirst, ColumnBlocks.columns(w, 0, split), gIn, 0.0, gCondIn, beta);
        inputGradient(gSecond, ColumnBlocks.columns(w, split, width), gIn, 1.0, gCondIn, 1.0);
        if (layers == 1) {
            return gIn;
        }
        INDArray gA = gIn;
        for (int k = last - 1; k >= 0; k--) {
            activationBackward(acts.hidden[k], gA);
            INDArray hIn = k == 0 ? x : acts.hidden[k - 1];
            INDArray cK = k == 0 ? c : null;
            affineGradient(hIn, cK, gA, grads.get(prefix + "W" + k), grads.get(prefix + "b" + k), ones);
            INDArray gH = Nd4j.createUninitialized(gA.dataType(), gA.size(0), hIn.size(1));
            inputGradient(gA, weight(p, k), gH, 0.0, cK == null ? null : gCond, beta);
            gA = gH;
        }
        return gA;
    }

    /**
     * Gradient of the layer input {@code [in | c]} for output gradient {@code g}: {@code gIn = g·w_inᵀ + betaIn·gIn}
     * with {@code w_in} the first {@code gIn.columns()} rows of {@code w}, and, unless {@code gCond} is null,
     * {@code gCond = g·w_cᵀ + betaCond·gCond} with {@code w_c} the rows below.
     */
    private static void inputGradient(INDArray g, INDArray w, INDArray gIn, double betaIn, INDArray gCond,
                                      double betaCond) {
        long nIn = gIn.size(1);
        gemm(g, ColumnBlocks.rows(w, 0, nIn), gIn, false, true, betaIn);
        if (gCond != null) {
            gemm(g, ColumnBlocks.rows(w, nIn, w.size(0)), gCond, false, true, betaCond);
        }
    }

    /**
     * {@code gW = [in | c]ᵀ·g} and {@code gb = onesᵀ·g} (the column sums, as a GEMM: 4x faster here than ND4J's
     * reduction along the batch axis plus the copy into the view), written into the given (possibly strided) views.
     */
    private static void affineGradient(INDArray in, INDArray c, INDArray g, INDArray gW, INDArray gB,
                                       INDArray onesRow) {
        long nIn = in.size(1);
        gemm(in, g, c == null ? gW : ColumnBlocks.rows(gW, 0, nIn), true, false, 0.0);
        if (c != null) {
            gemm(c, g, ColumnBlocks.rows(gW, nIn, gW.size(0)), true, false, 0.0);
        }
        gemm(onesRow, g, gB, false, false, 0.0);
    }

    /**
     * {@code g ⊙ act'(pre)}, in place; {@code h = act(pre)} is positive exactly where {@code pre} is, so for ReLU the
     * derivative is {@code sign(h)} (0 or 1).
     */
    private void activationBackward(INDArray h, INDArray g) {
        INDArray slope;
        if (leakySlope > 0) {
            slope = h.gt(0).castTo(g.dataType()).muli(1 - leakySlope).addi(leakySlope);
        } else {
            slope = h.ulike();
            Nd4j.exec(new Sign(h, slope));
        }
        g.muli(slope);
    }

    private INDArray weight(Map<String, INDArray> p, int k) {
        return p.get(prefix + "W" + k);
    }

    /**
     * {@code c = op(a)·op(b) + beta·c} as one GEMM. The matmul op itself, not {@code Nd4j.gemm}, which refuses a
     * strided {@code c}: libnd4j passes a row-major view's leading dimension to BLAS (checked by the eager-vs-SameDiff
     * gradient tests).
     */
    static void gemm(INDArray a, INDArray b, INDArray c, boolean transposeA, boolean transposeB, double beta) {
        Nd4j.exec(new Mmul(a, b, c, 1.0, beta, MMulTranspose.builder().transposeA(transposeA)
                .transposeB(transposeB).build()));
    }

    static DataType dataType(Map<String, INDArray> p, String prefix) {
        return p.get(prefix + "W0").dataType();
    }
}
