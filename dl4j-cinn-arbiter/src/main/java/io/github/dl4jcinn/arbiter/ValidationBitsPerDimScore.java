package io.github.dl4jcinn.arbiter;

import io.github.dl4jcinn.zoo.color.LabData;
import io.github.dl4jcinn.zoo.data.LabeledImages;
import io.github.dl4jcinn.zoo.eval.DequantizedLikelihood;
import org.deeplearning4j.arbiter.optimize.api.data.DataProvider;
import org.deeplearning4j.arbiter.optimize.api.data.DataSource;
import org.deeplearning4j.arbiter.optimize.api.score.ScoreFunction;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Arbiter score of a trained cINN: validation bits per dimension (lower is better), from the data source's
 * {@link DataSource#testData() validation images} with the zoo's {@link DequantizedLikelihood} (uniform
 * dequantisation of each 8-bit pixel, one seeded draw: an upper bound on the discrete NLL, the same noise for every
 * candidate). A model whose output is not finite scores {@code NaN}; {@link CinnTaskCreator} records that as a
 * failure. Colorization models ({@link ColorizationCandidates.Model}) are scored on the data source's validation
 * tiles by {@link ColorizationCandidates#validationBitsPerDim}.
 */
public class ValidationBitsPerDimScore implements ScoreFunction {

    private static final long serialVersionUID = 1L;

    /** Dequantisation-noise seed, fixed so all candidates see the same validation data. */
    public static final long SEED = 29;
    private static final int BATCH = 250;

    private int maxExamples;

    /** Scores on all validation images. */
    public ValidationBitsPerDimScore() {}

    /** Scores on the first {@code maxExamples} validation images ({@code <= 0}: all). */
    public ValidationBitsPerDimScore(int maxExamples) {
        this.maxExamples = maxExamples;
    }

    @Override
    public double score(Object model, Class<? extends DataSource> dataSource, Properties dataSourceProperties) {
        DataSource ds = CinnTaskCreator.instantiate(dataSource, dataSourceProperties);
        if (model instanceof ColorizationCandidates.Model) {
            return ColorizationCandidates.validationBitsPerDim((ColorizationCandidates.Model) model,
                    (LabData) ds.testData());
        }
        return score((ComputationGraph) model, (LabeledImages) ds.testData(), maxExamples);
    }

    /** Bits/dim of {@code graph} on the first {@code maxExamples} of {@code validation} ({@code <= 0}: all). */
    public static double score(ComputationGraph graph, LabeledImages validation, int maxExamples) {
        double bpd = DequantizedLikelihood.evaluate(graph, validation, CinnModels.NUM_CLASSES, maxExamples,
                BATCH, SEED).bitsPerDim();
        return Double.isFinite(bpd) ? bpd : Double.NaN;
    }

    @Override
    public double score(Object model, DataProvider dataProvider, Map<String, Object> dataParameters) {
        throw new UnsupportedOperationException("use the DataSource variant (Arbiter's DataProvider is deprecated)");
    }

    @Override
    public boolean minimize() {
        return true;
    }

    @Override
    public List<Class<?>> getSupportedModelTypes() {
        return List.of(ComputationGraph.class, ColorizationCandidates.Model.class);
    }

    @Override
    public List<Class<?>> getSupportedDataTypes() {
        return List.of(LabeledImages.class, LabData.class);
    }

    public int getMaxExamples() {
        return maxExamples;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ValidationBitsPerDimScore && ((ValidationBitsPerDimScore) o).maxExamples == maxExamples;
    }

    @Override
    public int hashCode() {
        return maxExamples;
    }

    @Override
    public String toString() {
        return "ValidationBitsPerDimScore(" + (maxExamples > 0 ? maxExamples + " images" : "all") + ")";
    }
}
