package io.github.dl4jcinn.zoo.conditioning;

/**
 * How the conditioning network takes part in training: the three settings of the guided-generation paper's
 * conditioning-network ablation (supplement, section 3). See {@link ConditioningSchedule}.
 */
public enum ConditioningMode {
    /**
     * Backbone and cINN trained jointly by the maximum-likelihood loss (the paper's model), optionally with the
     * backbone held fixed for the first K iterations ({@link ConditioningSchedule#joint(int)}).
     */
    JOINT,
    /** Backbone (pretrained or not) never trained: DL4J {@code FrozenLayer}s, batch norm in inference mode. */
    FIXED,
    /** No conditioning network: the raw condition image, average-pooled to each block's resolution, is fed as is. */
    NONE
}
