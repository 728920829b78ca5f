package io.github.dl4jcinn.zoo.latent;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.eigen.Eigen;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Principal component analysis of latent codes {@code z [N, D]} (eigen-decomposition of the covariance, in double
 * precision): the mean, the directions sorted by decreasing variance, and their variances.
 *
 * <pre>{@code
 * LatentPca pca = LatentPca.fit(z);
 * INDArray along = pca.point(0, 2.0);   // mean + 2 standard deviations along the first principal direction
 * }</pre>
 */
public final class LatentPca {

    private final INDArray mean;        // [D]
    private final INDArray components;  // [D, D], column i = direction i
    private final double[] variances;   // descending

    private LatentPca(INDArray mean, INDArray components, double[] variances) {
        this.mean = mean;
        this.components = components;
        this.variances = variances;
    }

    public static LatentPca fit(INDArray z) {
        if (z.rank() != 2 || z.size(0) < 2) {
            throw new IllegalArgumentException("PCA needs latents [N >= 2, D], got " + Arrays.toString(z.shape()));
        }
        INDArray x = z.castTo(DataType.DOUBLE);
        INDArray mean = x.mean(0);
        INDArray centred = x.subRowVector(mean);
        INDArray cov = centred.transpose().mmul(centred).divi(z.size(0) - 1);
        INDArray vectors = cov.dup('f');
        INDArray values = Eigen.symmetricGeneralizedEigenvalues(vectors, true); // ascending, vectors in columns
        int d = (int) values.length();
        Integer[] order = IntStream.range(0, d).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(i -> -values.getDouble(i)));
        INDArray sorted = Nd4j.create(DataType.DOUBLE, d, d);
        double[] var = new double[d];
        for (int j = 0; j < d; j++) {
            sorted.putColumn(j, vectors.getColumn(order[j]));
            var[j] = Math.max(0, values.getDouble(order[j]));
        }
        return new LatentPca(mean, sorted, var);
    }

    /** {@code mean + sd * sqrt(variance_i) * direction_i}, as a row {@code [1, D]}. */
    public INDArray point(int component, double standardDeviations) {
        INDArray dir = components.getColumn(component);
        return mean.add(dir.mul(standardDeviations * Math.sqrt(variances[component]))).reshape(1, -1);
    }

    /** Point in the plane of two components, both offsets in standard deviations. */
    public INDArray point(int c1, double sd1, int c2, double sd2) {
        INDArray p = mean.add(components.getColumn(c1).mul(sd1 * Math.sqrt(variances[c1])));
        return p.addi(components.getColumn(c2).mul(sd2 * Math.sqrt(variances[c2]))).reshape(1, -1);
    }

    public INDArray mean() { return mean; }

    /** Direction i as {@code [D]}. */
    public INDArray direction(int i) { return components.getColumn(i); }

    public double variance(int i) { return variances[i]; }

    /** Fraction of the total variance carried by the first {@code k} components. */
    public double explainedVariance(int k) {
        double total = Arrays.stream(variances).sum();
        return Arrays.stream(variances, 0, k).sum() / total;
    }

    public int dimensions() { return variances.length; }

    /** First k directions as rows {@code [k, D]}. */
    public INDArray directions(int k) {
        return components.get(NDArrayIndex.all(), NDArrayIndex.interval(0, k)).transpose().dup();
    }
}
