package io.github.dl4jcinn.zoo.eval;

import io.github.dl4jcinn.layers.loss.LikelihoodMetrics;
import io.github.dl4jcinn.zoo.data.LabeledImages;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.SplittableRandom;

/**
 * Test-set negative log-likelihood and bits per dimension of an image cINN with inputs (image, one-hot label), as a
 * proper upper bound on the discrete 8-bit NLL.
 *
 * <p>Data scaling: the model is trained on {@code pixel / 255} (in [0, 1]) plus Gaussian noise of sigma 0.02, the
 * paper's augmentation. For evaluation every test pixel is <em>uniformly dequantised</em> on the same scale:
 * {@code x = (pixel + u - 1/2) / 255}, {@code u ~ U[0, 1)}, one draw per pixel, seeded. Grey level k thus owns the
 * bin {@code [(k - 1/2)/255, (k + 1/2)/255)} of width 1/255, centred on the training value k/255; the bins do not
 * overlap, so by Jensen's inequality
 * <pre>  bits/dim = ( NLL_nats(x) / D + ln 255 ) / ln 2   (NLL including the ½ ln 2π term)</pre>
 * is an upper bound on the discrete NLL of the 8-bit test images (the standard variational dequantisation bound, with
 * one noise sample per image). In {@link LikelihoodMetrics#bitsPerDim(double, double)} terms this is
 * {@code inputStd = 255/256}. Because the model was trained on Gaussian-blurred data of width about 5 grey levels,
 * the bound is looser than for a model trained with uniform dequantisation; compare numbers of this project with
 * each other, and with published results only when the training noise matches.
 */
public final class DequantizedLikelihood {

    /** ln 255: the bin width 1/255 turned into nats per dimension. */
    public static final double LN_BIN = Math.log(255.0);

    private DequantizedLikelihood() {}

    /** Result over the evaluated examples. */
    public record Result(double nllNatsPerDim, double bitsPerDim, int examples) {}

    /**
     * Evaluates the first {@code maxExamples} test images (all if {@code maxExamples <= 0}) in batches.
     *
     * @param seed seed of the dequantisation noise (the same seed gives the same number)
     */
    public static Result evaluate(ComputationGraph graph, LabeledImages test, int numClasses, int maxExamples,
                                  int batchSize, long seed) {
        int n = maxExamples <= 0 ? test.count() : Math.min(maxExamples, test.count());
        if (n == 0) {
            throw new IllegalArgumentException("no test examples to evaluate");
        }
        SplittableRandom rng = new SplittableRandom(seed);
        int d = test.pixelsPerImage();
        double weightedNll = 0;
        for (int start = 0; start < n; start += batchSize) {
            int m = Math.min(batchSize, n - start);
            INDArray x = dequantised(test, start, m, rng);
            INDArray c = oneHot(test, start, m, numClasses);
            INDArray out = graph.output(false, x, c)[0];
            weightedNll += LikelihoodMetrics.nllNatsPerDim(out) * m;
        }
        double nll = weightedNll / n;
        return new Result(nll, bitsPerDim(nll), n);
    }

    /**
     * How much the model uses the label, without a classifier: bits/dim of the same test images (same dequantisation
     * noise) under wrong labels ({@link LabeledImages#withShiftedLabels(int)}) minus bits/dim under their own. 0 for
     * a model that ignores the label; times {@code D ln 2} it is the mean extra cost in nats per image.
     *
     * @param own the result of {@link #evaluate} for the same arguments (reused, not recomputed)
     */
    public static double wrongLabelGap(ComputationGraph graph, LabeledImages test, int numClasses, int maxExamples,
                                       int batchSize, long seed, Result own) {
        Result wrong = evaluate(graph, test.withShiftedLabels(numClasses), numClasses, maxExamples, batchSize, seed);
        return wrong.bitsPerDim() - own.bitsPerDim();
    }

    /** Bits/dim of the 8-bit data from NLL nats/dim of {@code (pixel + u - 1/2)/255}. */
    public static double bitsPerDim(double nllNatsPerDim) {
        return (nllNatsPerDim + LN_BIN) / Math.log(2);
    }

    /** Images {@code [m, 1, rows, cols]} as {@code (pixel + u - 1/2) / 255}. */
    static INDArray dequantised(LabeledImages data, int start, int m, SplittableRandom rng) {
        int d = data.pixelsPerImage();
        byte[] px = data.pixels();
        float[] v = new float[m * d];
        for (int i = 0; i < m * d; i++) {
            v[i] = (float) (((px[start * d + i] & 0xFF) + rng.nextDouble() - 0.5) / 255.0);
        }
        return Nd4j.create(v, new long[]{m, 1, data.rows(), data.cols()}, 'c');
    }

    /** Images {@code [m, 1, rows, cols]} as {@code pixel / 255}, no noise. */
    public static INDArray clean(LabeledImages data, int start, int m) {
        int d = data.pixelsPerImage();
        byte[] px = data.pixels();
        float[] v = new float[m * d];
        for (int i = 0; i < m * d; i++) {
            v[i] = (px[start * d + i] & 0xFF) / 255f;
        }
        return Nd4j.create(v, new long[]{m, 1, data.rows(), data.cols()}, 'c');
    }

    /** One-hot labels {@code [m, numClasses]} of examples start..start+m-1. */
    public static INDArray oneHot(LabeledImages data, int start, int m, int numClasses) {
        INDArray c = Nd4j.zeros(DataType.FLOAT, m, numClasses);
        for (int i = 0; i < m; i++) {
            c.putScalar(i, data.label(start + i), 1f);
        }
        return c;
    }

    /** One-hot rows for the given labels. */
    public static INDArray oneHot(int[] labels, int numClasses) {
        INDArray c = Nd4j.zeros(DataType.FLOAT, labels.length, numClasses);
        for (int i = 0; i < labels.length; i++) {
            c.putScalar(i, labels[i], 1f);
        }
        return c;
    }
}
