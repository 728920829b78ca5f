package io.github.dl4jcinn.zoo.color;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;

/**
 * The diversity metrics of the guided-generation paper's Table 1, for colorizations that generate the chroma
 * {@code (a, b)} of an image given its lightness.
 *
 * <p>For an image i with true chroma {@code y_i} and K generated colorizations {@code y_i^(1..K)} (K = 8 in the
 * paper), each with P pixels and 2 channels:
 * <ul>
 *   <li><b>best-of-K MSE</b>: {@code MSE_i^(k) = (1/2P) Σ_{c,p} (y_i^(k)[c,p] − y_i[c,p])²};
 *       {@code best_i = min_k MSE_i^(k)}; reported: the mean of {@code best_i} over images. A diverse model is
 *       rewarded when <em>one</em> of its samples is close to the truth.</li>
 *   <li><b>variance</b>: the pixel-wise variance between the K samples,
 *       {@code var_i = (1/2P) Σ_{c,p} (1/(K−1)) Σ_k (y_i^(k)[c,p] − ȳ_i[c,p])²} with {@code ȳ_i} the mean of the K
 *       samples (unbiased, the {@code torch.var} default); reported: the mean over images. 0 for a deterministic
 *       method.</li>
 * </ul>
 * Each mean comes with its standard error over images (the paper's ± values). Units: here a, b are in CIE Lab units,
 * so both numbers are in Lab units squared, computed at the model's ab resolution. The paper does not state its
 * units or scaling, so absolute values are comparable between methods measured here, not with the paper.
 * Deterministic baselines give K identical samples: best-of-K is then their plain MSE and the variance 0; the
 * grey-only baseline predicts {@code a = b = 0}.
 *
 * <pre>{@code ColorMetrics m = new ColorMetrics();
 * m.add(truth, samples);          // truth [N,2,H,W], samples: K arrays [N,2,H,W], Lab units
 * ColorMetrics.Result r = m.result();}</pre>
 */
public final class ColorMetrics {

    private final List<double[]> perImage = new ArrayList<>();   // {best MSE, variance}
    private int samplesPerImage = -1;

    /** Adds one image: {@code truth} has 2P values, {@code samples} K >= 1 arrays of the same length. */
    public void add(double[] truth, double[][] samples) {
        int k = samples.length;
        if (k < 1) {
            throw new IllegalArgumentException("need at least one sample");
        }
        if (samplesPerImage >= 0 && samplesPerImage != k) {
            throw new IllegalArgumentException("every image needs the same number of samples: " + samplesPerImage
                    + " before, " + k + " now");
        }
        samplesPerImage = k;
        int d = truth.length;
        double best = Double.POSITIVE_INFINITY;
        for (double[] s : samples) {
            if (s.length != d) {
                throw new IllegalArgumentException("sample has " + s.length + " values, truth " + d);
            }
            double sq = 0;
            for (int i = 0; i < d; i++) {
                double e = s[i] - truth[i];
                sq += e * e;
            }
            best = Math.min(best, sq / d);
        }
        double var = 0;
        if (k > 1) {
            for (int i = 0; i < d; i++) {
                double mean = 0;
                for (double[] s : samples) {
                    mean += s[i];
                }
                mean /= k;
                double ss = 0;
                for (double[] s : samples) {
                    double e = s[i] - mean;
                    ss += e * e;
                }
                var += ss / (k - 1);
            }
            var /= d;
        }
        perImage.add(new double[]{best, var});
    }

    /** Adds a batch: {@code truth [N, 2, H, W]}, {@code samples} K arrays of the same shape (Lab units). */
    public void add(INDArray truth, INDArray[] samples) {
        long n = truth.size(0);
        double[][] t = rows(truth);
        double[][][] s = new double[samples.length][][];
        for (int k = 0; k < samples.length; k++) {
            if (!java.util.Arrays.equals(samples[k].shape(), truth.shape())) {
                throw new IllegalArgumentException("sample " + k + " has shape "
                        + java.util.Arrays.toString(samples[k].shape()) + ", truth "
                        + java.util.Arrays.toString(truth.shape()));
            }
            s[k] = rows(samples[k]);
        }
        for (int i = 0; i < n; i++) {
            double[][] si = new double[samples.length][];
            for (int k = 0; k < samples.length; k++) {
                si[k] = s[k][i];
            }
            add(t[i], si);
        }
    }

    public int images() {
        return perImage.size();
    }

    public Result result() {
        int n = perImage.size();
        if (n == 0) {
            throw new IllegalStateException("no images added");
        }
        double[] mean = new double[2];
        double[] sq = new double[2];
        for (double[] v : perImage) {
            for (int j = 0; j < 2; j++) {
                mean[j] += v[j];
            }
        }
        mean[0] /= n;
        mean[1] /= n;
        for (double[] v : perImage) {
            for (int j = 0; j < 2; j++) {
                sq[j] += (v[j] - mean[j]) * (v[j] - mean[j]);
            }
        }
        double se0 = n > 1 ? Math.sqrt(sq[0] / (n - 1) / n) : 0;
        double se1 = n > 1 ? Math.sqrt(sq[1] / (n - 1) / n) : 0;
        return new Result(mean[0], se0, mean[1], se1, n, samplesPerImage);
    }

    private static double[][] rows(INDArray a) {
        INDArray flat = a.castTo(DataType.DOUBLE).reshape('c', a.size(0), a.length() / a.size(0));
        return flat.toDoubleMatrix();
    }

    /**
     * Means over images with standard errors; Lab units squared.
     *
     * @param bestOfKMse      mean over images of the best sample's MSE
     * @param bestOfKMseError its standard error
     * @param variance        mean over images of the pixel-wise sample variance
     * @param varianceError   its standard error
     * @param images          number of images
     * @param samples         samples per image (K)
     */
    public record Result(double bestOfKMse, double bestOfKMseError, double variance, double varianceError,
                         int images, int samples) {
        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "best-of-%d MSE %.2f ± %.2f, variance %.2f ± %.2f (%d images)",
                    samples, bestOfKMse, bestOfKMseError, variance, varianceError, images);
        }
    }
}
