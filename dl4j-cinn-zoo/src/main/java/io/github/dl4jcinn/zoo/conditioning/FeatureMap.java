package io.github.dl4jcinn.zoo.conditioning;

/**
 * One output of a conditioning backbone: the vertex that produces it and its shape per example, {@code C x H x W}
 * for feature maps or {@code C x 1 x 1} with {@code vector == true} for a globally pooled feature vector.
 */
public record FeatureMap(String vertex, int channels, int height, int width, boolean vector) {

    public static FeatureMap image(String vertex, int channels, int height, int width) {
        return new FeatureMap(vertex, channels, height, width, false);
    }

    public static FeatureMap vector(String vertex, int size) {
        return new FeatureMap(vertex, size, 1, 1, true);
    }

    @Override
    public String toString() {
        return vertex + (vector ? " [" + channels + "]" : " " + channels + "x" + height + "x" + width);
    }
}
