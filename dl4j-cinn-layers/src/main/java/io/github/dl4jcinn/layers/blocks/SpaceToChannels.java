package io.github.dl4jcinn.layers.blocks;

import io.github.dl4jcinn.layers.FlowShape;
import io.github.dl4jcinn.layers.vertex.FlowStep;
import io.github.dl4jcinn.layers.vertex.FlowVertex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Map;

/**
 * Downsampling {@code C x H x W -> 4C x H/2 x W/2}: every 2x2 patch {@code (x00, x01, x10, x11)} of a channel becomes
 * four values {@code M · patch} with a fixed orthonormal 4x4 matrix M, so the log-det is 0 and the inverse is
 * {@code M^T}. Output channels are grouped by component: channel {@code k*C + c} holds component k of input
 * channel c (for Haar, the first C channels are the averages, the last 3C the details that a split sends off early).
 */
public abstract class SpaceToChannels extends FlowVertex {

    /** The orthonormal patch transform; rows are output components, columns the patch (x00, x01, x10, x11). */
    protected abstract double[][] patchTransform();

    @Override
    protected FlowStep forward(SameDiff sd, SDVariable x, List<SDVariable> conditions, Map<String, SDVariable> p) {
        FlowShape in = inputShape();
        int c = in.channels(), h2 = in.height() / 2, w2 = in.width() / 2;
        SDVariable patches = x.reshape(-1, c, h2, 2, w2, 2).permute(0, 1, 2, 4, 3, 5).reshape(-1, 4);
        SDVariable mixed = patches.mmul(matrix(sd, x, true));
        SDVariable y = mixed.reshape(-1, c, h2, w2, 4).permute(0, 4, 1, 2, 3).reshape(-1, 4 * c, h2, w2);
        return FlowStep.volumePreserving(y);
    }

    @Override
    protected FlowStep inverse(SameDiff sd, SDVariable y, List<SDVariable> conditions, Map<String, SDVariable> p) {
        FlowShape in = inputShape();
        int c = in.channels(), h2 = in.height() / 2, w2 = in.width() / 2;
        SDVariable mixed = y.reshape(-1, 4, c, h2, w2).permute(0, 2, 3, 4, 1).reshape(-1, 4);
        SDVariable patches = mixed.mmul(matrix(sd, y, false));
        SDVariable x = patches.reshape(-1, c, h2, w2, 2, 2).permute(0, 1, 2, 4, 3, 5)
                .reshape(-1, c, in.height(), in.width());
        return FlowStep.volumePreserving(x);
    }

    /** Row vectors are transformed as {@code p · M^T} forward and {@code q · M} backward (M orthonormal). */
    private SDVariable matrix(SameDiff sd, SDVariable like, boolean transposed) {
        double[][] m = patchTransform();
        double[][] out = new double[4][4];
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                out[i][j] = transposed ? m[j][i] : m[i][j];
            }
        }
        return sd.constant(Nd4j.create(out).castTo(like.dataType()));
    }

    @Override
    public FlowShape outputShape() {
        FlowShape in = inputShape();
        if (!in.isImage() || in.height() % 2 != 0 || in.width() % 2 != 0) {
            throw new IllegalArgumentException(describe() + ": needs an image input with even height and width, got "
                    + in);
        }
        return FlowShape.image(4 * in.channels(), in.height() / 2, in.width() / 2);
    }
}
