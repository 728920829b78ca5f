package io.github.dl4jcinn.layers.blocks;

import io.github.dl4jcinn.layers.FlowShape;

/**
 * The i-RevNet / RealNVP checkerboard squeeze (space-to-depth without mixing): the ablation alternative to
 * {@link HaarDownsampling}. Channel {@code k*C + c} holds the pixel at patch offset k = 2*dy + dx of channel c.
 */
public class CheckerboardSqueeze extends SpaceToChannels {

    private static final double[][] IDENTITY = {
            {1, 0, 0, 0},
            {0, 1, 0, 0},
            {0, 0, 1, 0},
            {0, 0, 0, 1}};

    public CheckerboardSqueeze() {}

    public CheckerboardSqueeze(FlowShape inputShape) {
        applyInputShape(inputShape);
    }

    @Override
    protected double[][] patchTransform() {
        return IDENTITY;
    }
}
