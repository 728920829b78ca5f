package io.github.dl4jcinn.zoo.conditioning;

import org.nd4j.linalg.schedule.ISchedule;

import java.util.Objects;

/**
 * Learning rate 0 for the first {@code frozenIterations} iterations, then the wrapped schedule (or a constant). Given
 * to the backbone layers' Adam, it holds the backbone exactly fixed for those iterations (Adam's step is
 * proportional to the learning rate, and DL4J's L2 penalty passes through the updater) while the rest of the graph
 * trains, in one graph with one optimizer state. JSON-safe (DL4J stores the class name and the bean fields).
 *
 * <p>Batch-norm running statistics are not parameters updated by the learning rate: they keep adapting during the
 * frozen phase (ResNet backbones; VGG16 has no batch norm).
 */
public class FrozenStartSchedule implements ISchedule {

    private int frozenIterations;
    private ISchedule after;
    private double afterValue;

    public FrozenStartSchedule() {}

    public FrozenStartSchedule(int frozenIterations, ISchedule after) {
        this.frozenIterations = frozenIterations;
        this.after = after;
    }

    public FrozenStartSchedule(int frozenIterations, double afterValue) {
        this.frozenIterations = frozenIterations;
        this.afterValue = afterValue;
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        if (iteration < frozenIterations) {
            return 0.0;
        }
        return after != null ? after.valueAt(iteration, epoch) : afterValue;
    }

    @Override
    public ISchedule clone() {
        return after != null ? new FrozenStartSchedule(frozenIterations, after.clone())
                : new FrozenStartSchedule(frozenIterations, afterValue);
    }

    public int getFrozenIterations() { return frozenIterations; }
    public void setFrozenIterations(int frozenIterations) { this.frozenIterations = frozenIterations; }
    public ISchedule getAfter() { return after; }
    public void setAfter(ISchedule after) { this.after = after; }
    public double getAfterValue() { return afterValue; }
    public void setAfterValue(double afterValue) { this.afterValue = afterValue; }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof FrozenStartSchedule)) return false;
        FrozenStartSchedule s = (FrozenStartSchedule) o;
        return frozenIterations == s.frozenIterations && Objects.equals(after, s.after) && afterValue == s.afterValue;
    }

    @Override
    public int hashCode() {
        return Objects.hash(frozenIterations, after, afterValue);
    }

    @Override
    public String toString() {
        return "FrozenStartSchedule(0 until " + frozenIterations + ", then " + (after != null ? after : afterValue) + ")";
    }
}
