package io.github.dl4jcinn.zoo.eval;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Arrays;

/**
 * Label fidelity and diversity of class-conditional samples.
 * <ul>
 *   <li>fidelity of class k: fraction of the samples generated for label k that the independent classifier assigns
 *       to k (NaN if no sample was generated for k); the mean is over the classes that have samples;</li>
 *   <li>diversity of class k: variance of each pixel across the samples generated for k (population variance),
 *       averaged over the pixels; 0 means every sample of the class is identical (mode collapse), so a working
 *       model must give values above 0. The mean is over the classes with at least two samples.</li>
 * </ul>
 * Samples are judged as the PNGs show them: clipped to [0, 1].
 *
 * @param fidelity  per class
 * @param diversity per class
 */
public record GenerationQuality(double[] fidelity, double meanFidelity, double[] diversity, double meanDiversity) {

    /** Fidelity and diversity of {@code samples [N, ...]} generated for {@code intended}, judged as {@code predicted}. */
    public static GenerationQuality measure(INDArray samples, int[] intended, int[] predicted, int numClasses) {
        double[] f = fidelity(intended, predicted, numClasses);
        double[] d = diversity(samples, intended, numClasses);
        return new GenerationQuality(f, mean(f), d, mean(d));
    }

    public static double[] fidelity(int[] intended, int[] predicted, int numClasses) {
        if (intended.length != predicted.length) {
            throw new IllegalArgumentException(intended.length + " intended labels but " + predicted.length
                    + " predictions");
        }
        int[] total = new int[numClasses];
        int[] hit = new int[numClasses];
        for (int i = 0; i < intended.length; i++) {
            total[intended[i]]++;
            if (predicted[i] == intended[i]) hit[intended[i]]++;
        }
        double[] f = new double[numClasses];
        for (int k = 0; k < numClasses; k++) f[k] = total[k] == 0 ? Double.NaN : hit[k] / (double) total[k];
        return f;
    }

    public static double[] diversity(INDArray samples, int[] intended, int numClasses) {
        if (samples.size(0) != intended.length) {
            throw new IllegalArgumentException(samples.size(0) + " samples but " + intended.length + " labels");
        }
        INDArray flat = samples.reshape('c', samples.size(0), -1).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE);
        flat = org.nd4j.linalg.ops.transforms.Transforms.min(org.nd4j.linalg.ops.transforms.Transforms.max(flat, 0.0,
                true), 1.0, false);
        double[] d = new double[numClasses];
        for (int k = 0; k < numClasses; k++) {
            final int cls = k;
            int[] rows = java.util.stream.IntStream.range(0, intended.length).filter(i -> intended[i] == cls)
                    .toArray();
            if (rows.length < 2) {
                d[k] = Double.NaN;
                continue;
            }
            INDArray x = flat.get(NDArrayIndex.indices(Arrays.stream(rows).asLongStream().toArray()),
                    NDArrayIndex.all());
            INDArray var = x.var(false, 0); // population variance per pixel
            d[k] = var.meanNumber().doubleValue();
        }
        return d;
    }

    private static double mean(double[] v) {
        return Arrays.stream(v).filter(x -> !Double.isNaN(x)).average().orElse(Double.NaN);
    }
}
