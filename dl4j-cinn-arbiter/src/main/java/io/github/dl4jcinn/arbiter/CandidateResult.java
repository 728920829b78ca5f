package io.github.dl4jcinn.arbiter;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * What one trained (or failed) candidate left behind: status, score, timings and its curves. A plain bean: one row
 * of the sweep's CSV and one {@code result.json} per candidate ({@link SweepResults}).
 */
public class CandidateResult implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Outcome of a candidate. */
    public enum Status {
        /** Trained for all planned iterations; the score is its final validation bits/dim. */
        COMPLETED,
        /** Diverged (NaN/Inf loss, parameters or validation score) or could not be built/trained; see reason. */
        FAILED
    }

    /** Arbiter's candidate index. */
    public int index;
    /** Identifies the candidate and the training settings (resume skips a candidate whose key is in the CSV). */
    public String key;
    public String name;
    public Status status;
    /** Final validation bits/dim (all validation images, uniform dequantisation); NaN if failed. */
    public double score = Double.NaN;
    /** Best intermediate validation bits/dim. */
    public double bestValidation = Double.NaN;
    /** Mean training loss of the last curve point, as bits/dim of the (noisy) training data. */
    public double finalTrainBitsPerDim = Double.NaN;
    /** Iterations actually trained (up to the failure for a failed candidate). */
    public int iterations;
    /** Wall-clock seconds of the whole candidate (build, training, validation). */
    public double seconds;
    /** Training seconds per iteration (excluding validation). */
    public double secondsPerIteration = Double.NaN;
    /**
     * Largest rise of the training curve above its running minimum, in bits/dim: a measure of instability for
     * candidates that did not diverge outright (a healthy curve only goes down, up to batch noise).
     */
    public double maxSpike = Double.NaN;
    /** Parameters of the model. */
    public long parameters;
    /** Why it failed (one line), or empty. */
    public String reason = "";
    public CinnCandidateConfig config;
    /** Training curve: iteration of each point, mean training loss as bits/dim over the preceding window. */
    public List<Integer> trainIterations = new ArrayList<>();
    public List<Double> trainBitsPerDim = new ArrayList<>();
    /** Validation curve (subset of the validation images; the last point uses all of them). */
    public List<Integer> validationIterations = new ArrayList<>();
    public List<Double> validationBitsPerDim = new ArrayList<>();

    public CandidateResult() {}

    public boolean completed() {
        return status == Status.COMPLETED;
    }
}
