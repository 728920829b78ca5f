package io.github.dl4jcinn.layers.blocks;

/** How a coupling block bounds its log-scale {@code s} before {@code exp(s)}. */
public enum Clamp {
    /** Soft clamp of the guided-generation paper (eq. 7): {@code s = 2α/π · atan(s/α)}, so |s| < α. */
    ATAN,
    /** Image-to-image paper (Sec. 3): {@code s = γ · tanh(r)}, γ a learned per-channel parameter. */
    TANH,
    /** Raw s (the paper's "no clamping" ablation). */
    NONE
}
