package io.github.dl4jcinn.layers;

import java.util.Objects;

/**
 * Shape of one example on the invertible path, without the batch dimension: an image {@code C x H x W}
 * or a vector of {@code D} features (stored as {@code D x 1 x 1}).
 *
 * <p>On the graph the data always travels flattened in NCHW order (see {@link io.github.dl4jcinn.layers.vertex.FlowVertex}),
 * so an image stage and a vector stage of the same size are the same tensor read two ways.
 */
public final class FlowShape {
    private final int channels;
    private final int height;
    private final int width;
    private final boolean image;

    private FlowShape(int channels, int height, int width, boolean image) {
        if (channels <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException("Flow shape must be positive, got " + channels + "x" + height + "x" + width);
        }
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.image = image;
    }

    public static FlowShape image(int channels, int height, int width) {
        return new FlowShape(channels, height, width, true);
    }

    public static FlowShape vector(int size) {
        return new FlowShape(size, 1, 1, false);
    }

    /** Reads the serialized triple of a vertex configuration: height 0 marks a vector. */
    public static FlowShape of(int channels, int height, int width) {
        return height <= 0 ? vector(channels) : image(channels, height, width);
    }

    public int channels() { return channels; }
    public int height() { return height; }
    public int width() { return width; }
    public boolean isImage() { return image; }

    /** Number of data columns {@code C*H*W} (the flow tensor has one more, the log-det). */
    public int size() { return channels * height * width; }

    /** Spatial positions per channel, {@code H*W} (1 for vectors). */
    public int pixels() { return height * width; }

    /** Same number of values read as a vector. */
    public FlowShape flattened() { return vector(size()); }

    /** Serialized height: 0 for vectors, so the triple round-trips through {@link #of}. */
    public int serialHeight() { return image ? height : 0; }
    public int serialWidth() { return image ? width : 0; }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof FlowShape)) return false;
        FlowShape s = (FlowShape) o;
        return channels == s.channels && height == s.height && width == s.width && image == s.image;
    }

    @Override
    public int hashCode() { return Objects.hash(channels, height, width, image); }

    @Override
    public String toString() {
        return image ? channels + "x" + height + "x" + width : "[" + channels + "]";
    }
}
