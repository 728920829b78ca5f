package io.github.dl4jcinn.zoo.conditioning;

import java.util.Arrays;

/**
 * What one conditioning head must produce for its coupling block(s): {@code channels} maps at
 * {@code height x width}, or (with {@code global}) a vector of {@code channels}.
 *
 * <p>The head's layers follow the guided-generation supplement (section 2): as many 3x3 stride-2 convolutions
 * (leaky ReLU, slope 0.01) as halve the feature map to the target size, with the widths in
 * {@code stridedWidths} (default: {@code 2 x channels}), then a 3x3 convolution to {@code channels} and batch
 * normalisation. A target finer than the features (small presets whose backbone output is coarser than the flow)
 * gets the convolution and batch norm at the feature resolution, then nearest-neighbour upsampling. A global head
 * runs one stride-2 convolution per entry of {@code stridedWidths} (the last one producing {@code channels}), then
 * global average pooling and batch normalisation.
 *
 * @param channels      output channels (vector length for global heads)
 * @param height        output height (1 for global heads)
 * @param width         output width (1 for global heads)
 * @param global        true for a globally pooled vector (the colorization model's fully connected level)
 * @param stridedWidths widths of the stride-2 convolutions; null for the default
 */
public record HeadSpec(int channels, int height, int width, boolean global, int[] stridedWidths) {

    public static HeadSpec image(int channels, int height, int width) {
        return new HeadSpec(channels, height, width, false, null);
    }

    public static HeadSpec image(int channels, int height, int width, int... stridedWidths) {
        return new HeadSpec(channels, height, width, false, stridedWidths.clone());
    }

    /** A vector head: stride-2 convolutions of the given widths (last = length), global average pool, batch norm. */
    public static HeadSpec global(int... stridedWidths) {
        if (stridedWidths.length == 0) {
            throw new IllegalArgumentException("a global head needs at least one strided convolution");
        }
        return new HeadSpec(stridedWidths[stridedWidths.length - 1], 1, 1, true, stridedWidths.clone());
    }

    /** Width of the {@code i}-th of {@code n} stride-2 convolutions. */
    int stridedWidth(int i, int n) {
        if (stridedWidths != null && stridedWidths.length > 0) {
            return stridedWidths[Math.min(i, stridedWidths.length - 1)];
        }
        return 2 * channels;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HeadSpec h && h.channels == channels && h.height == height && h.width == width
                && h.global == global && Arrays.equals(h.stridedWidths, stridedWidths);
    }

    @Override
    public int hashCode() {
        return 31 * java.util.Objects.hash(channels, height, width, global) + Arrays.hashCode(stridedWidths);
    }

    @Override
    public String toString() {
        return (global ? "global[" + channels + "]" : channels + "x" + height + "x" + width)
                + (stridedWidths != null ? " strided " + Arrays.toString(stridedWidths) : "");
    }
}
