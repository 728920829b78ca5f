package io.github.dl4jcinn.layers.blocks;

import io.github.dl4jcinn.layers.FlowShape;
import io.github.dl4jcinn.layers.vertex.FlowStep;
import io.github.dl4jcinn.layers.vertex.FlowTensors;
import io.github.dl4jcinn.layers.vertex.FlowVertex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Map;

/**
 * Fixed random orthogonal 1x1 convolution ("soft channel permutation", guided-generation paper Sec. 3.4): mixes the
 * channels at every pixel with a seeded orthogonal matrix Q that is never trained, {@code y = Q x}, inverted by
 * {@code Q^T}. Log-det {@code H·W·log|det Q|}, computed from the matrix (zero up to rounding for an orthogonal Q).
 * On a vector stage it mixes all features.
 */
public class FixedOrthogonalConv1x1 extends FlowVertex {

    private long seed;

    public FixedOrthogonalConv1x1() {}

    public FixedOrthogonalConv1x1(long seed) {
        this.seed = seed;
    }

    @Override
    protected FlowStep forward(SameDiff sd, SDVariable x, List<SDVariable> conditions, Map<String, SDVariable> p) {
        return new FlowStep(mix(sd, x, true), logDet(x));
    }

    @Override
    protected FlowStep inverse(SameDiff sd, SDVariable y, List<SDVariable> conditions, Map<String, SDVariable> p) {
        SDVariable x = mix(sd, y, false);
        return new FlowStep(x, logDet(x));
    }

    /** Per-pixel {@code Q x} (rows: {@code x · Q^T}); the inverse {@code Q^T y} is rows {@code y · Q}. */
    private SDVariable mix(SameDiff sd, SDVariable v, boolean forward) {
        FlowShape in = inputShape();
        double[][] q = FixedMatrices.orthogonal(in.channels(), seed);
        SDVariable m = sd.constant(Nd4j.create(q).castTo(v.dataType()));
        if (forward) {
            m = m.permute(1, 0);
        }
        if (!in.isImage()) {
            return v.mmul(m);
        }
        int c = in.channels(), h = in.height(), w = in.width();
        SDVariable rows = v.permute(0, 2, 3, 1).reshape(-1, c);
        return rows.mmul(m).reshape(-1, h, w, c).permute(0, 3, 1, 2);
    }

    private SDVariable logDet(SDVariable like) {
        FlowShape in = inputShape();
        double value = in.pixels() * FixedMatrices.logAbsDet(FixedMatrices.orthogonal(in.channels(), seed));
        if (Math.abs(value) < 1e-9) {
            return null; // orthogonal: exactly volume preserving, up to rounding of the matrix
        }
        return FlowTensors.sumPerExample(like, in.isImage() ? 4 : 2, in.size()).mul(0).add(value);
    }

    public long getSeed() { return seed; }
    public void setSeed(long seed) { this.seed = seed; }
}
