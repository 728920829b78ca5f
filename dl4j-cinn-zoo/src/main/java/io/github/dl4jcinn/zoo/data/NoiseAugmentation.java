package io.github.dl4jcinn.zoo.data;

import java.util.SplittableRandom;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.MultiDataSetPreProcessor;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Adds random noise to the images (feature array 0) of each batch; conditions (features 1..) and labels are left
 * untouched. Works for feature 0 of any rank and data type.
 *
 * <p>Two modes, which assume different pixel scalings. This matters because bits/dim is computed from the
 * density of the scaled data, so the scaling must match the mode:
 * <ul>
 *   <li>{@link #gaussian(double, long)}: {@code x + sigma * N(0, 1)}. A regulariser, not a dequantisation:
 *       sigma is in the units of the features, so the paper's {@value #MNIST_SIGMA} for MNIST assumes
 *       {@code pixel / 255} in [0, 1] (what {@link ConditionalImageIterator} produces by default). The resulting
 *       negative log-likelihood is that of the noisy continuous data, not a bound on the discrete pixels.</li>
 *   <li>{@link #uniformDequantization(long)}: {@code x + u / 256}, {@code u ~ U[0, 1)}. Assumes
 *       {@code x = pixel / 256} (build the iterator with {@code pixelDivisor(256)}), so each of the 256 grey levels
 *       k becomes the bin [k/256, (k+1)/256) and the data fill [0, 1) exactly. Then the discrete log-likelihood
 *       is bounded by the continuous one and {@code bits/dim = nll_nats / (D ln 2) + 8}
 *       (the 8 = log2 256 accounts for the bin width 1/256). Used with pixel / 255 the bins would overlap and
 *       that bits/dim formula would be wrong.</li>
 * </ul>
 *
 * <p>Noise is drawn on the Java side from a seeded {@link SplittableRandom}: the same seed gives the same noise
 * sequence on any ND4J backend and leaves the global ND4J generator alone. The features array is replaced, not
 * modified in place, so a cached batch does not accumulate noise over epochs.
 */
public final class NoiseAugmentation implements MultiDataSetPreProcessor {

    /** Gaussian noise level the cINN paper uses on MNIST, for images scaled to [0, 1]. */
    public static final double MNIST_SIGMA = 0.02;

    /** Grey levels of an 8-bit image; the dequantisation bin width is 1 / this. */
    public static final int LEVELS = 256;

    /** Which noise is added. */
    public enum Mode {
        /** {@code x + sigma * N(0, 1)}, any scaling (sigma in feature units). */
        GAUSSIAN,
        /** {@code x + U[0, 1) / 256}, for {@code x = pixel / 256}. */
        UNIFORM_DEQUANTIZATION
    }

    private final Mode mode;
    private final double sigma;
    private final long seed;
    private SplittableRandom rng;

    private NoiseAugmentation(Mode mode, double sigma, long seed) {
        this.mode = mode;
        this.sigma = sigma;
        this.seed = seed;
        this.rng = new SplittableRandom(seed);
    }

    /** Gaussian noise with standard deviation {@code sigma} (in feature units, e.g. 0.02 for pixel/255). */
    public static NoiseAugmentation gaussian(double sigma, long seed) {
        if (!(sigma >= 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("sigma must be finite and >= 0, got " + sigma);
        }
        return new NoiseAugmentation(Mode.GAUSSIAN, sigma, seed);
    }

    /** Uniform dequantisation {@code x + u/256}, for images scaled as {@code pixel / 256}. */
    public static NoiseAugmentation uniformDequantization(long seed) {
        return new NoiseAugmentation(Mode.UNIFORM_DEQUANTIZATION, 0, seed);
    }

    public Mode mode() {
        return mode;
    }

    /** Standard deviation of the Gaussian mode (0 for dequantisation). */
    public double sigma() {
        return sigma;
    }

    public long seed() {
        return seed;
    }

    /** Restarts the noise sequence from the seed, e.g. to replay an evaluation. */
    public synchronized void reseed() {
        rng = new SplittableRandom(seed);
    }

    /**
     * Restarts the noise sequence at a stream derived from (seed, {@code step}) only. A trainer calls this before
     * every batch with the iteration number, so the noise of iteration k is the same whether or not the run was
     * interrupted and resumed before it (a {@link SplittableRandom}'s position cannot be saved).
     */
    public synchronized void reseedForStep(long step) {
        rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + step * 0xC2B2AE3D27D4EB4FL + 1);
    }

    @Override
    public void preProcess(MultiDataSet multiDataSet) {
        multiDataSet.setFeatures(0, addNoise(multiDataSet.getFeatures(0)));
    }

    /** Returns {@code x} plus noise as a new array of the same shape and data type; {@code x} is unchanged. */
    public synchronized INDArray addNoise(INDArray x) {
        long length = x.length();
        if (length > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("array too large for noise: " + length + " elements");
        }
        float[] noise = new float[(int) length];
        if (mode == Mode.GAUSSIAN) {
            for (int i = 0; i < noise.length; i++) {
                noise[i] = (float) (sigma * rng.nextGaussian());
            }
        } else {
            float below = Math.nextDown(1f / LEVELS);
            for (int i = 0; i < noise.length; i++) {
                // min(): rounding to float must not turn u/256 (u < 1) into exactly 1/256, the next bin
                noise[i] = Math.min((float) (rng.nextDouble() / LEVELS), below);
            }
        }
        INDArray n = Nd4j.create(noise, x.shape(), 'c');
        if (n.dataType() != x.dataType()) {
            n = n.castTo(x.dataType());
        }
        return x.add(n);
    }

    @Override
    public String toString() {
        return mode == Mode.GAUSSIAN ? "NoiseAugmentation[gaussian sigma=" + sigma + ", seed=" + seed + "]"
                : "NoiseAugmentation[uniform dequantization 1/" + LEVELS + ", seed=" + seed + "]";
    }
}
