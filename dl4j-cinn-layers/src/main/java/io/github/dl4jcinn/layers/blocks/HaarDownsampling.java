package io.github.dl4jcinn.layers.blocks;

import io.github.dl4jcinn.layers.FlowShape;

/**
 * Haar wavelet downsampling (guided-generation paper, Sec. 3.4 and Fig. 3): each 2x2 patch becomes its average and
 * its horizontal, vertical and diagonal differences, scaled by 1/2 so the transform is orthonormal (log-det 0).
 * Output channels: averages of all input channels first, then horizontal, vertical and diagonal details.
 */
public class HaarDownsampling extends SpaceToChannels {

    private static final double[][] HAAR = {
            {0.5, 0.5, 0.5, 0.5},     // average
            {0.5, -0.5, 0.5, -0.5},   // horizontal detail: left minus right
            {0.5, 0.5, -0.5, -0.5},   // vertical detail: top minus bottom
            {0.5, -0.5, -0.5, 0.5}};  // diagonal detail

    public HaarDownsampling() {}

    public HaarDownsampling(FlowShape inputShape) {
        applyInputShape(inputShape);
    }

    @Override
    protected double[][] patchTransform() {
        return HAAR;
    }
}
