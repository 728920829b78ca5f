package io.github.dl4jcinn.layers.vertex;

import org.nd4j.autodiff.samediff.SDVariable;

/**
 * Result of one direction of a block: the transformed data (in the block's own layout, NCHW or [N, D]) and the
 * block's log|det J| per example as an [N, 1] column, or {@code null} when it is identically zero.
 * In both directions the log-det is that of the <em>forward</em> map at the corresponding input.
 */
public final class FlowStep {
    private final SDVariable data;
    private final SDVariable logDet;

    public FlowStep(SDVariable data, SDVariable logDet) {
        this.data = data;
        this.logDet = logDet;
    }

    public static FlowStep volumePreserving(SDVariable data) {
        return new FlowStep(data, null);
    }

    public SDVariable data() { return data; }

    public SDVariable logDet() { return logDet; }
}
