package io.github.dl4jcinn.zoo.training;

/**
 * Training produced a NaN or infinite loss, parameter or gradient. Thrown before the offending update is applied,
 * so the graph still holds the parameters of the previous iteration. The message names the iteration, the epoch
 * and the first vertex (in topological order) whose parameters, gradients or activations are not finite.
 */
public class NonFiniteTrainingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int iteration;
    private final int epoch;
    private final double loss;
    private final String firstBadParameterVertex;
    private final String firstBadGradientVertex;
    private final String firstBadActivationVertex;

    public NonFiniteTrainingException(int iteration, int epoch, double loss, String firstBadParameterVertex,
                                      String firstBadGradientVertex, String firstBadActivationVertex) {
        super(message(iteration, epoch, loss, firstBadParameterVertex, firstBadGradientVertex,
                firstBadActivationVertex));
        this.iteration = iteration;
        this.epoch = epoch;
        this.loss = loss;
        this.firstBadParameterVertex = firstBadParameterVertex;
        this.firstBadGradientVertex = firstBadGradientVertex;
        this.firstBadActivationVertex = firstBadActivationVertex;
    }

    /** The same failure with the first vertex whose forward activations are non-finite added (diagnosed later). */
    public NonFiniteTrainingException withActivationVertex(String vertex) {
        NonFiniteTrainingException e = new NonFiniteTrainingException(iteration, epoch, loss,
                firstBadParameterVertex, firstBadGradientVertex, vertex);
        e.setStackTrace(getStackTrace());
        return e;
    }

    private static String message(int iteration, int epoch, double loss, String params, String grads,
                                  String activations) {
        StringBuilder sb = new StringBuilder("Non-finite training state at iteration ").append(iteration)
                .append(" (epoch ").append(epoch).append("): loss ").append(loss);
        sb.append("; first vertex with non-finite parameters: ").append(params == null ? "none" : "'" + params + "'");
        sb.append("; first vertex with non-finite gradients: ").append(grads == null ? "none" : "'" + grads + "'");
        if (activations != null) {
            sb.append("; first vertex with non-finite activations: '").append(activations).append("'");
        }
        sb.append(". Training stopped before applying this update. Typical causes: learning rate too high, "
                + "no or a too loose clamp on the coupling scales, unnormalised input data.");
        return sb.toString();
    }

    /** Iteration (0-based count of updates applied before the failing one). */
    public int iteration() { return iteration; }

    public int epoch() { return epoch; }

    public double loss() { return loss; }

    /** First vertex in topological order with a non-finite parameter, or {@code null}. */
    public String firstBadParameterVertex() { return firstBadParameterVertex; }

    /** First vertex in topological order with a non-finite gradient, or {@code null}. */
    public String firstBadGradientVertex() { return firstBadGradientVertex; }

    /** First vertex in topological order whose output on the failing batch is non-finite, or {@code null}. */
    public String firstBadActivationVertex() { return firstBadActivationVertex; }

    /** The most specific culprit: parameters, else activations, else gradients. */
    public String culprit() {
        if (firstBadParameterVertex != null) return firstBadParameterVertex;
        if (firstBadActivationVertex != null) return firstBadActivationVertex;
        return firstBadGradientVertex;
    }
}
