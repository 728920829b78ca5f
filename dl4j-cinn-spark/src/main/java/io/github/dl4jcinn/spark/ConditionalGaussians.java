package io.github.dl4jcinn.spark;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generated class-conditional data for the Spark example and its test: example i has class {@code k = i mod K};
 * its D values are independent Gaussians with standard deviation {@code sigma} around a class mean that is
 * {@code +offset} in dimension {@code k}, {@code -offset} in dimension {@code (k + K) mod D}, and 0 elsewhere.
 *
 * <p>Minibatches are {@link MultiDataSet}s as a cINN graph from {@link SparkCinnTraining#graph} expects them:
 * features {@code [x (N x D), one-hot class (N x K)]}, labels {@code [zeros (N x 1)]} (the maximum-likelihood loss
 * ignores them, DL4J's {@code fit} needs one array per output). The optimum loss per dimension (nats, without the
 * constant) is {@code 1/2 + ln(sigma)}.
 */
public final class ConditionalGaussians {

    private final int dims;
    private final int classes;
    private final double offset;
    private final double sigma;

    public ConditionalGaussians(int dims, int classes, double offset, double sigma) {
        if (classes < 1 || dims < 2 || classes > dims) {
            throw new IllegalArgumentException("Need 2 <= dims and 1 <= classes <= dims, got dims=" + dims
                    + ", classes=" + classes);
        }
        this.dims = dims;
        this.classes = classes;
        this.offset = offset;
        this.sigma = sigma;
    }

    public int dims() { return dims; }
    public int classes() { return classes; }

    /** Mean of class {@code k} in dimension {@code d}. */
    public double mean(int k, int d) {
        if (d == k) return offset;
        if (d == (k + classes) % dims) return -offset;
        return 0.0;
    }

    /** {@code examples} examples cut into minibatches of {@code batch} (the last one may be shorter). */
    public List<org.nd4j.linalg.dataset.api.MultiDataSet> batches(int examples, int batch, long seed) {
        Random random = new Random(seed);
        List<org.nd4j.linalg.dataset.api.MultiDataSet> out = new ArrayList<>();
        for (int from = 0; from < examples; from += batch) {
            int n = Math.min(batch, examples - from);
            float[] x = new float[n * dims];
            float[] c = new float[n * classes];
            for (int i = 0; i < n; i++) {
                int k = (from + i) % classes;
                c[i * classes + k] = 1f;
                for (int d = 0; d < dims; d++) {
                    x[i * dims + d] = (float) (mean(k, d) + sigma * random.nextGaussian());
                }
            }
            out.add(new MultiDataSet(
                    new INDArray[]{Nd4j.create(x, new long[]{n, dims}, DataType.FLOAT),
                            Nd4j.create(c, new long[]{n, classes}, DataType.FLOAT)},
                    new INDArray[]{Nd4j.zeros(DataType.FLOAT, n, 1)}));
        }
        return out;
    }

    /** One-hot condition {@code [n, K]} for class {@code k}. */
    public INDArray oneHot(int n, int k) {
        INDArray c = Nd4j.zeros(DataType.FLOAT, n, classes);
        c.getColumn(k).assign(1);
        return c;
    }
}
