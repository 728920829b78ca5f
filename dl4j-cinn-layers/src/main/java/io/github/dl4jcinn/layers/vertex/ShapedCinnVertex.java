package io.github.dl4jcinn.layers.vertex;

import io.github.dl4jcinn.layers.FlowShape;

/**
 * A dl4j-cinn vertex configured with one example shape {@code (channels, height, width)}, stored as three bean
 * properties so DL4J's JSON keeps them (height 0 marks a vector, see {@link FlowShape#of}).
 */
public abstract class ShapedCinnVertex extends CinnVertex {

    private int channels;
    private int height;
    private int width;

    /** The configured shape; null until set. */
    protected FlowShape configuredShape() {
        return channels <= 0 ? null : FlowShape.of(channels, height, width);
    }

    protected void configureShape(FlowShape shape) {
        this.channels = shape.channels();
        this.height = shape.serialHeight();
        this.width = shape.serialWidth();
    }

    public int getChannels() { return channels; }
    public void setChannels(int channels) { this.channels = channels; }
    public int getHeight() { return height; }
    public void setHeight(int height) { this.height = height; }
    public int getWidth() { return width; }
    public void setWidth(int width) { this.width = width; }
}
