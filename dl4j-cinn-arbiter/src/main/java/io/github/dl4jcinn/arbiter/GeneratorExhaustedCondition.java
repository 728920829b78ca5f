package io.github.dl4jcinn.arbiter;

import org.deeplearning4j.arbiter.optimize.api.termination.TerminationCondition;
import org.deeplearning4j.arbiter.optimize.runner.IOptimizationRunner;

/**
 * Ends a search once the candidate generator has nothing left and no candidate is still running. Arbiter 1.0.0-beta7
 * has no such condition: a grid search whose last candidates failed while being generated (they are counted neither as
 * completed nor as failed) would otherwise poll until another condition (time) ends it.
 */
public class GeneratorExhaustedCondition implements TerminationCondition {

    public GeneratorExhaustedCondition() {}

    @Override
    public void initialize(IOptimizationRunner runner) {
        // stateless
    }

    @Override
    public boolean terminate(IOptimizationRunner runner) {
        return !runner.getConfiguration().getCandidateGenerator().hasMoreCandidates()
                && runner.numCandidatesQueued() == 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GeneratorExhaustedCondition;
    }

    @Override
    public int hashCode() {
        return 17;
    }

    @Override
    public String toString() {
        return "GeneratorExhaustedCondition()";
    }
}
