package io.github.dl4jcinn.zoo.models;

import io.github.dl4jcinn.layers.vertex.FlowStep;
import io.github.dl4jcinn.layers.vertex.FlowTensors;
import io.github.dl4jcinn.layers.vertex.FlowVertex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

import java.util.List;
import java.util.Map;

/**
 * Fixed data standardisation as the first block of a flow: {@code y = (x − mean) / std}, log|det J| =
 * {@code −D · ln std}; no parameters. It is the usual MNIST preprocessing (mean 0.128, std 0.305 of pixel/255)
 * moved inside the model, so the model still reads and produces {@code pixel / 255} images and its likelihood, bits
 * per dimension and samples need no separate (de)normalisation step.
 */
public class Standardize extends FlowVertex {

    /** Mean and standard deviation of MNIST training pixels scaled to [0, 1]. */
    public static final double MNIST_MEAN = 0.128;
    public static final double MNIST_STD = 0.305;

    private double mean = MNIST_MEAN;
    private double std = MNIST_STD;

    public Standardize() {}

    public Standardize(double mean, double std) {
        if (!(std > 0)) {
            throw new IllegalArgumentException("std must be > 0, got " + std);
        }
        this.mean = mean;
        this.std = std;
    }

    @Override
    protected boolean imageLayout() {
        return false;
    }

    @Override
    protected FlowStep forward(SameDiff sd, SDVariable x, List<SDVariable> conditions, Map<String, SDVariable> p) {
        return new FlowStep(x.sub(mean).div(std), constantLogDet(x));
    }

    @Override
    protected FlowStep inverse(SameDiff sd, SDVariable y, List<SDVariable> conditions, Map<String, SDVariable> p) {
        return new FlowStep(y.mul(std).add(mean), constantLogDet(y));
    }

    /** {@code −D ln std} for every example, as a column {@code [N, 1]}. */
    private SDVariable constantLogDet(SDVariable like) {
        long d = inputShape().size();
        return FlowTensors.sumPerExample(like, 2, d).mul(0).add(-d * Math.log(std));
    }

    public double getMean() { return mean; }
    public void setMean(double mean) { this.mean = mean; }
    public double getStd() { return std; }
    public void setStd(double std) { this.std = std; }
}
