package io.github.dl4jcinn.zoo.parallel;

import io.github.dl4jcinn.layers.vertex.CinnVertex;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Watches every replica ParallelWrapper trains. At {@code onGradientCalculation} (after the backward pass, before the
 * updater and the step) a replica's parameters are those every worker started the round with, i.e. the result of
 * the previous round's averaging: it records, per iteration and replica, a copy of each cINN vertex's own parameter
 * arrays (the views its runtime computes with), of the updater state, and the norm of each vertex's gradient.
 */
final class ReplicaProbe extends BaseTrainingListener {

    /** One replica at the start of one round. */
    static final class Snapshot {
        final Object model;
        final Map<String, Map<String, INDArray>> vertexParams = new TreeMap<>();
        final Map<String, Double> vertexGradNorms = new TreeMap<>();
        final Map<String, String> runtimes = new TreeMap<>();
        final INDArray updaterState;

        Snapshot(ComputationGraph g) {
            this.model = g;
            for (GraphVertex v : g.getVertices()) {
                if (!(g.getConfiguration().getVertices().get(v.getVertexName()) instanceof CinnVertex)
                        || v.numParams() == 0) {
                    continue;
                }
                Map<String, INDArray> p = new TreeMap<>();
                for (Map.Entry<String, INDArray> e : v.paramTable(false).entrySet()) {
                    p.put(e.getKey(), e.getValue().dup());
                }
                vertexParams.put(v.getVertexName(), p);
                INDArray grad = v.getGradientsViewArray();
                vertexGradNorms.put(v.getVertexName(), grad == null ? Double.NaN : grad.norm2Number().doubleValue());
                runtimes.put(v.getVertexName(), v.getClass().getSimpleName());
            }
            INDArray state = g.getUpdater().getStateViewArray();
            this.updaterState = state == null ? null : state.dup();
        }
    }

    private final Map<Integer, List<Snapshot>> byIteration = new TreeMap<>();
    private final Map<Object, Boolean> models = new IdentityHashMap<>();

    @Override
    public synchronized void onGradientCalculation(Model model) {
        ComputationGraph g = (ComputationGraph) model;
        models.put(g, Boolean.TRUE);
        byIteration.computeIfAbsent(g.getIterationCount(), k -> new ArrayList<>()).add(new Snapshot(g));
    }

    private final List<Object> epochEnds = new ArrayList<>();

    @Override
    public synchronized void onEpochEnd(Model model) {
        epochEnds.add(model);
    }

    /** The model of every onEpochEnd call. */
    synchronized List<Object> epochEnds() {
        return new ArrayList<>(epochEnds);
    }

    synchronized Map<Integer, List<Snapshot>> byIteration() {
        Map<Integer, List<Snapshot>> copy = new LinkedHashMap<>();
        byIteration.forEach((k, v) -> copy.put(k, Collections.unmodifiableList(new ArrayList<>(v))));
        return copy;
    }

    synchronized List<Object> models() {
        return new ArrayList<>(models.keySet());
    }

    /** Elements that differ, bit for bit (AssertJ's containsExactly is quadratic on 600 k elements). */
    static int bitMismatches(float[] x, float[] y) {
        if (x.length != y.length) {
            throw new AssertionError("lengths differ: " + x.length + " vs " + y.length);
        }
        int n = 0;
        for (int i = 0; i < x.length; i++) {
            if (Float.floatToIntBits(x[i]) != Float.floatToIntBits(y[i])) {
                n++;
            }
        }
        return n;
    }
}
