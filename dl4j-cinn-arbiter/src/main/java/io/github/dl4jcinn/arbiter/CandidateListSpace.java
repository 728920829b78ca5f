package io.github.dl4jcinn.arbiter;

import org.deeplearning4j.arbiter.optimize.api.AbstractParameterSpace;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;
import org.deeplearning4j.arbiter.optimize.api.TaskCreatorProvider;
import org.deeplearning4j.arbiter.optimize.parameter.discrete.DiscreteParameterSpace;
import org.deeplearning4j.arbiter.optimize.serde.jackson.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A parameter space of hand-picked configurations: one discrete leaf choosing among them. A grid search over it
 * ({@code GridSearchCandidateGenerator}, any discretisation, {@code Sequential}) trains each configuration once, in
 * order; a random search samples them. For ablations that are not a product of independent choices (e.g. "the
 * full model, a variant, and a deliberately diverging one").
 */
public class CandidateListSpace extends AbstractParameterSpace<CinnCandidateConfig> {

    static {
        TaskCreatorProvider.registerDefaultTaskCreatorClass(CandidateListSpace.class, CinnTaskCreator.class);
    }

    private List<CinnCandidateConfig> candidates;
    private DiscreteParameterSpace<Integer> choice;

    /** For JSON. */
    protected CandidateListSpace() {}

    public CandidateListSpace(List<CinnCandidateConfig> candidates) {
        if (candidates.size() < 2) {
            // a one-value discrete leaf breaks Arbiter's grid search (see CinnParameterSpace)
            throw new IllegalArgumentException("a candidate list needs at least 2 configurations, got "
                    + candidates.size() + "; use CinnParameterSpace with fixed values for one");
        }
        this.candidates = new ArrayList<>();
        Integer[] idx = new Integer[candidates.size()];
        for (int i = 0; i < idx.length; i++) {
            this.candidates.add(candidates.get(i).copy().validate());
            idx[i] = i;
        }
        this.choice = new DiscreteParameterSpace<>(idx);
    }

    public List<CinnCandidateConfig> candidates() {
        List<CinnCandidateConfig> l = new ArrayList<>();
        for (CinnCandidateConfig c : candidates) l.add(c.copy());
        return l;
    }

    @Override
    public CinnCandidateConfig getValue(double[] parameterValues) {
        Object i = choice.getValue(parameterValues);
        return candidates.get(((Number) i).intValue()).copy();
    }

    @Override
    public int numParameters() {
        return 1;
    }

    @Override
    public List<ParameterSpace> collectLeaves() {
        return List.of(choice);
    }

    @Override
    public boolean isLeaf() {
        return false;
    }

    @Override
    public void setIndices(int... indices) {
        throw new UnsupportedOperationException("not a leaf");
    }

    public String toJson() {
        try {
            return JsonMapper.getMapper().writeValueAsString(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static CandidateListSpace fromJson(String json) {
        try {
            return JsonMapper.getMapper().readValue(json, CandidateListSpace.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CandidateListSpace && candidates.equals(((CandidateListSpace) o).candidates)
                && choice.equals(((CandidateListSpace) o).choice);
    }

    @Override
    public int hashCode() {
        return Objects.hash(candidates, choice);
    }

    @Override
    public String toString() {
        return "CandidateListSpace(" + candidates.size() + " configurations)";
    }
}
