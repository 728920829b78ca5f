package io.github.dl4jcinn.layers.blocks;

import io.github.dl4jcinn.layers.FlowShape;
import io.github.dl4jcinn.layers.vertex.EagerKernel;
import io.github.dl4jcinn.layers.vertex.FlowStep;
import io.github.dl4jcinn.layers.vertex.FlowVertex;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.shape.Gather;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Map;

/**
 * Fixed random permutation of all values of an example (the MNIST model's "random permutation" after every coupling
 * block), seeded and never trained; log-det 0. {@code y[j] = x[perm[j]]}.
 *
 * <p>Training runs an eager kernel instead of SameDiff: SameDiff's {@code gather} has a broken gradient in DL4J
 * 1.0.0-M2.1 (throws on axis 1, silently wrong on axis 0), and a permutation-matrix product costs a dense GEMM.
 * The SameDiff {@code gather} below is still correct for values, so the inverse pass (no gradients) uses it.
 */
public class FixedPermutation extends FlowVertex {

    private long seed;

    public FixedPermutation() {}

    public FixedPermutation(long seed) {
        this.seed = seed;
    }

    private int[] permutation() {
        return FixedMatrices.permutation(inputShape().size(), seed);
    }

    @Override
    protected boolean imageLayout() {
        return false;
    }

    @Override
    protected FlowStep forward(SameDiff sd, SDVariable x, List<SDVariable> conditions, Map<String, SDVariable> p) {
        return FlowStep.volumePreserving(sd.gather(x, permutation(), 1));
    }

    @Override
    protected FlowStep inverse(SameDiff sd, SDVariable y, List<SDVariable> conditions, Map<String, SDVariable> p) {
        return FlowStep.volumePreserving(sd.gather(y, FixedMatrices.inverse(permutation()), 1));
    }

    @Override
    public EagerKernel eagerKernel() {
        return new Kernel(permutation());
    }

    public long getSeed() { return seed; }
    public void setSeed(long seed) { this.seed = seed; }

    /** Column gather on the flow tensor; the log-det column maps to itself. Backward gathers with the inverse. */
    static final class Kernel implements EagerKernel {
        private final INDArray forwardIndex;
        private final INDArray backwardIndex;

        Kernel(int[] perm) {
            this.forwardIndex = withLogDetColumn(perm);
            this.backwardIndex = withLogDetColumn(FixedMatrices.inverse(perm));
        }

        private static INDArray withLogDetColumn(int[] perm) {
            int[] full = new int[perm.length + 1];
            System.arraycopy(perm, 0, full, 0, perm.length);
            full[perm.length] = perm.length;
            return Nd4j.createFromArray(full);
        }

        @Override
        public INDArray forward(INDArray[] inputs, Map<String, INDArray> params, boolean training,
                                LayerWorkspaceMgr mgr) {
            return gatherColumns(inputs[0], forwardIndex, ArrayType.ACTIVATIONS, mgr);
        }

        @Override
        public INDArray[] backward(INDArray epsilon, INDArray[] inputs, Map<String, INDArray> params,
                                   Map<String, INDArray> paramGradients, LayerWorkspaceMgr mgr) {
            return new INDArray[]{gatherColumns(epsilon, backwardIndex, ArrayType.ACTIVATION_GRAD, mgr)};
        }

        @Override
        public boolean hasInverse() {
            return true;
        }

        @Override
        public INDArray inverse(INDArray flowOut, INDArray[] conditions, Map<String, INDArray> params) {
            // in whatever workspace the caller has open (the inverse pass opens one per block)
            return gather(flowOut, backwardIndex, Nd4j.createUninitialized(flowOut.dataType(), flowOut.shape(), 'c'));
        }

        private static INDArray gatherColumns(INDArray in, INDArray index, ArrayType type, LayerWorkspaceMgr mgr) {
            return gather(in, index, mgr.createUninitialized(type, in.dataType(), in.shape(), 'c'));
        }

        private static INDArray gather(INDArray in, INDArray index, INDArray out) {
            Gather gather = new Gather(in, index, 1);
            gather.addOutputArgument(out);
            Nd4j.exec(gather);
            return out;
        }
    }

    @Override
    public FlowShape outputShape() {
        return inputShape();
    }
}
