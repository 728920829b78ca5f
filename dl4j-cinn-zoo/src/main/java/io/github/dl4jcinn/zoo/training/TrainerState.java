package io.github.dl4jcinn.zoo.training;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a training run stands: saved next to every checkpoint (and inside it) so that {@code --resume} continues at
 * exactly this point. A plain bean for JSON.
 */
public class TrainerState {

    /** Updates applied so far (= the graph's iteration count). */
    public int iteration;
    /** Current epoch, 0-based (= the graph's epoch count). */
    public int epoch;
    /** Batches of the current epoch already used. */
    public int batchInEpoch;
    /**
     * Minibatches used so far, over all epochs: the iteration count when training on one device, {@code workers}
     * per round with replicas. The noise of a minibatch is seeded by its index in this count.
     */
    public long batchesSeen;
    /** The run's seed: data order, noise and sampling derive from it and the position above. */
    public long seed;
    /** Training examples used so far. */
    public long samplesSeen;
    /** Seconds spent in training steps so far (excludes evaluation and checkpoints). */
    public double trainSeconds;
    /** Iterations at which the training curve was recorded. */
    public List<Integer> curveIterations = new ArrayList<>();
    /** Mean training loss (DL4J score, nats/dim without the constant) since the previous point. */
    public List<Double> curveLoss = new ArrayList<>();
    /** Epochs (1-based, completed) with a test-set point. */
    public List<Integer> testEpochs = new ArrayList<>();
    /** Iterations at which those test points were taken. */
    public List<Integer> testIterations = new ArrayList<>();
    /** Test bits/dim after those epochs (on the evaluation subset). */
    public List<Double> testBitsPerDim = new ArrayList<>();
    /** Free-form description of the run (data set, model), for humans and the CLI. */
    public Map<String, Object> info = new LinkedHashMap<>();

    public TrainerState() {}
}
