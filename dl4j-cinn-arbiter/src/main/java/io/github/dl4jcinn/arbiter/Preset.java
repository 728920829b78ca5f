package io.github.dl4jcinn.arbiter;

import org.deeplearning4j.arbiter.optimize.api.CandidateGenerator;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;
import org.deeplearning4j.arbiter.optimize.api.data.DataSource;
import org.deeplearning4j.arbiter.optimize.generator.GridSearchCandidateGenerator;
import org.deeplearning4j.arbiter.optimize.generator.RandomSearchGenerator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A ready sweep: a parameter space, how to search it, and the data it is sized for. Made by {@link Presets}.
 *
 * @param name              preset name ({@code paper-fig10}, ...)
 * @param description       one paragraph for the report
 * @param space             the Arbiter space
 * @param grid              grid search ({@code Sequential}: every point once, in order) or random search
 * @param candidates        number of candidates (grid: its size)
 * @param discretization    grid points per continuous leaf
 * @param dataSource        Arbiter data source class ({@link DigitDataSource} or {@link ColorTileDataSource})
 * @param dataset           default data set ({@link DigitDataSource#DATASET}; ignored for colorization)
 * @param trainExamples     default training images
 * @param validationExamples default validation images
 * @param reference         name of the candidate the others are compared with in the report ({@code null}: the best)
 * @param claims            what the paper says about each candidate, by candidate name (may be empty)
 */
public record Preset(String name, String description, ParameterSpace<CinnCandidateConfig> space, boolean grid,
                     int candidates, int discretization, Class<? extends DataSource> dataSource, String dataset, int trainExamples, int validationExamples,
                     String reference, Map<String, String> claims) {

    /** True for colorization sweeps (scores are NLL of standardised a, b, not 8-bit bits/dim). */
    public boolean colorization() {
        return dataSource == ColorTileDataSource.class;
    }

    /** A fresh Arbiter generator over {@link #space()}. */
    public CandidateGenerator generator(long seed) {
        CandidateGenerator g = grid
                ? new GridSearchCandidateGenerator(space, discretization, GridSearchCandidateGenerator.Mode.Sequential,
                null)
                : new RandomSearchGenerator(space, null);
        g.setRngSeed(seed);
        return g;
    }

    /** The configurations the sweep will try, in order (draws them from a fresh generator). */
    public List<CinnCandidateConfig> plannedCandidates(long seed) {
        CandidateGenerator g = generator(seed);
        List<CinnCandidateConfig> l = new ArrayList<>();
        while (g.hasMoreCandidates() && l.size() < candidates) {
            l.add((CinnCandidateConfig) g.getCandidate().getValue());
        }
        return l;
    }
}
