package io.github.dl4jcinn.arbiter;

import io.github.dl4jcinn.layers.loss.LikelihoodMetrics;
import io.github.dl4jcinn.zoo.color.ColorModelFiles;
import io.github.dl4jcinn.zoo.color.ColorizationCinn;
import io.github.dl4jcinn.zoo.color.LabData;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.util.Locale;

/**
 * Colorization candidates ({@link CinnCandidateConfig.Task#COLORIZATION}): the zoo's {@link ColorizationCinn} preset
 * named by the candidate, with the candidate's conditioning-network mode, learning rate, batch size, noise, clamp
 * alpha, L2 and seed, and the a, b statistics of the training tiles.
 */
public final class ColorizationCandidates {

    /** A trained colorization graph with the configuration (data scaling) it needs for scoring. */
    public record Model(ComputationGraph graph, ColorizationCinn.Config config) {}

    private ColorizationCandidates() {}

    public static ColorizationCinn.Config config(CinnCandidateConfig candidate, LabData train) {
        CinnCandidateConfig r = candidate.resolved();
        ColorizationCinn.Config c = ColorizationCinn.preset(r.getColorModel());
        c.conditioning(r.getConditioning().name().toLowerCase(Locale.ROOT));
        c.learningRate = r.getLearningRate();
        c.batchSize = r.getBatchSize();
        c.noiseSigma = r.getNoiseSigma();
        c.clampAlpha = r.getClampAlpha();
        c.l2 = r.getL2();
        c.seed = r.getSeed();
        if (train != null) {
            c.dataStatistics(train.abMean(), train.abStd());
        }
        return c;
    }

    /**
     * Validation NLL in bits per a/b value of the standardised chroma ({@code (ab − mean)/std} of the training
     * tiles), no noise: comparable between candidates on the same data, not an 8-bit bits/dim.
     */
    public static double validationBitsPerDim(Model m, LabData validation) {
        int batch = Math.min(32, validation.size());
        double loss = io.github.dl4jcinn.zoo.color.ColorTraining.evaluateLoss(m.graph(), ColorModelFiles.Kind.CINN,
                m.config(), validation, batch);
        double bpd = LikelihoodMetrics.nllFromLoss(loss) / Math.log(2);
        return Double.isFinite(bpd) ? bpd : Double.NaN;
    }
}
