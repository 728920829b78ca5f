package io.github.dl4jcinn.zoo.conditioning;

/**
 * Where DL4J's ResNet50 ({@code deeplearning4j-zoo} 1.0.0-M2.1) can be cut, stage by stage: each value names the
 * vertex that ends the stage. Strides relative to the input (after the stem max pooling is replaced by a SAME-mode
 * one, see {@link Backbones#resnet50}): stem 4, stage 2 8 (DL4J's stage 2 downsamples, unlike the original ResNet),
 * stage 3 16, stage 4 32, stage 5 64. A 64x64 input gives 16, 8, 4, 2 and 1 pixel maps.
 */
public enum ResNetStage {
    STEM("stem-maxpool1", 64, 4),
    STAGE2("res2c_branch", 256, 8),
    STAGE3("res3d_branch", 512, 16),
    STAGE4("res4f_branch", 1024, 32),
    STAGE5("res5c_branch", 2048, 64);

    private final String vertex;
    private final int channels;
    private final int stride;

    ResNetStage(String vertex, int channels, int stride) {
        this.vertex = vertex;
        this.channels = channels;
        this.stride = stride;
    }

    /** The vertex whose output ends this stage. */
    public String vertex() {
        return vertex;
    }

    public int channels() {
        return channels;
    }

    /** Downsampling factor of this stage's output relative to the input. */
    public int stride() {
        return stride;
    }

    /** {@code stem}, {@code 2}..{@code 5} or {@code stage2}..{@code stage5}. */
    public static ResNetStage parse(String s) {
        String t = s.trim().toLowerCase(java.util.Locale.ROOT).replace("stage", "");
        switch (t) {
            case "stem": case "1": return STEM;
            case "2": return STAGE2;
            case "3": return STAGE3;
            case "4": return STAGE4;
            case "5": return STAGE5;
            default: throw new IllegalArgumentException("unknown ResNet50 stage '" + s + "'; use stem, 2, 3, 4 or 5");
        }
    }
}
