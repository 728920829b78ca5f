package io.github.dl4jcinn.spark;

import io.github.dl4jcinn.layers.vertex.CinnVertex;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.optimize.api.BaseTrainingListener;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A training listener that Spark ships to the executors with the training master. In local mode the executors run
 * in the test's JVM, so what they record lands in a static list. At {@code onGradientCalculation} (before the
 * updater and the step) it records the parameters each executor's network holds for every cINN vertex, the vertex's
 * runtime class and its gradient norm.
 */
final class WorkerProbe extends BaseTrainingListener implements Serializable {
    private static final long serialVersionUID = 1L;

    static final class Snapshot {
        final int iteration;
        final int model;
        final String thread;
        final Map<String, float[]> params = new TreeMap<>();
        final Map<String, String> runtimes = new TreeMap<>();
        final Map<String, Double> gradNorms = new TreeMap<>();

        Snapshot(ComputationGraph g) {
            iteration = g.getIterationCount();
            model = System.identityHashCode(g);
            thread = Thread.currentThread().getName();
            for (GraphVertex v : g.getVertices()) {
                if (v.numParams() == 0 || !(g.getConfiguration().getVertices().get(v.getVertexName())
                        instanceof CinnVertex)) {
                    continue;
                }
                params.put(v.getVertexName(), v.params().dup().ravel().toFloatVector());
                runtimes.put(v.getVertexName(), v.getClass().getSimpleName());
                gradNorms.put(v.getVertexName(), v.getGradientsViewArray() == null ? Double.NaN
                        : v.getGradientsViewArray().norm2Number().doubleValue());
            }
        }
    }

    static final List<Snapshot> SNAPSHOTS = new ArrayList<>();

    @Override
    public void onGradientCalculation(Model model) {
        Snapshot s = new Snapshot((ComputationGraph) model);
        synchronized (SNAPSHOTS) {
            SNAPSHOTS.add(s);
        }
    }

    static List<Snapshot> snapshots() {
        synchronized (SNAPSHOTS) {
            return new ArrayList<>(SNAPSHOTS);
        }
    }

    static void clear() {
        synchronized (SNAPSHOTS) {
            SNAPSHOTS.clear();
        }
    }
}
