package io.github.dl4jcinn.layers.training;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

/**
 * Stops training at the first non-finite loss or parameter and says where it appeared, instead of letting NaN
 * spread silently through the weights (DL4J keeps fitting on NaN). Add it with {@code graph.addListeners(...)}.
 * The exception names the iteration, the score and the first vertex (topological order) whose parameters are not
 * finite; checkpoints written before that point are untouched.
 */
public class FiniteLossGuard extends BaseTrainingListener {

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        double score = model.score();
        String badVertex = model instanceof ComputationGraph ? firstNonFiniteVertex((ComputationGraph) model) : null;
        if (!Double.isFinite(score) || badVertex != null) {
            throw new NonFiniteLossException("Training diverged at iteration " + iteration + " (epoch " + epoch
                    + "): loss " + score + (badVertex == null ? "" : "; first non-finite parameters in vertex '"
                    + badVertex + "'") + ". Lower the learning rate, enable clamping, or check the input data.",
                    iteration);
        }
    }

    /** First vertex in topological order with a NaN or infinite parameter, or null. */
    public static String firstNonFiniteVertex(ComputationGraph graph) {
        for (int idx : graph.topologicalSortOrder()) {
            GraphVertex v = graph.getVertices()[idx];
            Map<String, INDArray> params = v.paramTable(false);
            if (params == null) {
                continue;
            }
            for (INDArray p : params.values()) {
                if (!isFinite(p)) {
                    return v.getVertexName();
                }
            }
        }
        return null;
    }

    static boolean isFinite(INDArray a) {
        double s = a.sumNumber().doubleValue();
        return Double.isFinite(s);
    }
}
