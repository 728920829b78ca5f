package io.github.dl4jcinn.zoo.conditioning;

import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.nd4j.linalg.learning.config.Adam;

import java.util.Locale;

/**
 * The conditioning-network training schedule: a {@link ConditioningMode} plus, for {@code JOINT}, the number of
 * initial iterations during which the backbone is held fixed (its learning rate is 0 until then, see
 * {@link FrozenStartSchedule}; the heads and the flow train from the start).
 *
 * <pre>{@code ConditioningSchedule.joint(0)      // jointly trained from the first step (the paper's model)
 * ConditioningSchedule.joint(500)    // backbone fixed for 500 iterations, then joint
 * ConditioningSchedule.fixed()       // 'Fixed c.n.' of the ablation
 * ConditioningSchedule.none()        // 'No c.n.' of the ablation
 * ConditioningSchedule.parse("joint:500")}</pre>
 */
public record ConditioningSchedule(ConditioningMode mode, int frozenIterations) {

    public ConditioningSchedule {
        if (mode == null) {
            throw new IllegalArgumentException("mode must not be null");
        }
        if (frozenIterations < 0) {
            throw new IllegalArgumentException("frozenIterations must be >= 0, got " + frozenIterations);
        }
        if (mode != ConditioningMode.JOINT && frozenIterations != 0) {
            throw new IllegalArgumentException("frozenIterations only applies to JOINT, got " + mode);
        }
    }

    public static ConditioningSchedule joint(int frozenIterations) {
        return new ConditioningSchedule(ConditioningMode.JOINT, frozenIterations);
    }

    public static ConditioningSchedule fixed() {
        return new ConditioningSchedule(ConditioningMode.FIXED, 0);
    }

    public static ConditioningSchedule none() {
        return new ConditioningSchedule(ConditioningMode.NONE, 0);
    }

    /** {@code joint}, {@code joint:K}, {@code fixed} or {@code none} (case-insensitive). */
    public static ConditioningSchedule parse(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        if (t.equals("fixed")) {
            return fixed();
        }
        if (t.equals("none")) {
            return none();
        }
        if (t.equals("joint")) {
            return joint(0);
        }
        if (t.startsWith("joint:")) {
            try {
                return joint(Integer.parseInt(t.substring(6)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad frozen-iteration count in '" + s + "'", e);
            }
        }
        throw new IllegalArgumentException("unknown conditioning schedule '" + s + "'; use joint, joint:K, fixed or none");
    }

    /**
     * Applies this schedule to backbone options: every backbone layer gets a copy of the joint model's Adam
     * (learning rate 0 for the first {@link #frozenIterations()} iterations, then the model's rate or schedule, see
     * {@link FrozenStartSchedule}) and its L2 coefficient; {@code FIXED} also freezes the backbone.
     */
    public Backbones.Options applyTo(Backbones.Options options, Adam adam, double l2, long seed) {
        Adam a = (Adam) adam.clone();
        if (frozenIterations > 0) {
            a.setLearningRateSchedule(adam.getLearningRateSchedule() != null
                    ? new FrozenStartSchedule(frozenIterations, adam.getLearningRateSchedule().clone())
                    : new FrozenStartSchedule(frozenIterations, adam.getLearningRate()));
        }
        FineTuneConfiguration ft = new FineTuneConfiguration.Builder().seed(seed).updater(a).l2(l2).l2Bias(l2)
                .trainingWorkspaceMode(WorkspaceMode.ENABLED).inferenceWorkspaceMode(WorkspaceMode.ENABLED).build();
        return options.fineTune(ft).frozen(mode == ConditioningMode.FIXED).seed(seed);
    }

    public boolean hasBackbone() {
        return mode != ConditioningMode.NONE;
    }

    @Override
    public String toString() {
        return mode == ConditioningMode.JOINT && frozenIterations > 0 ? "joint:" + frozenIterations
                : mode.name().toLowerCase(Locale.ROOT);
    }
}
