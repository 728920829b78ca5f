package io.github.dl4jcinn.zoo.color;

import io.github.dl4jcinn.layers.training.FiniteLossGuard;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A time- or iteration-budgeted training loop for the colorization cINN and its regression baseline on
 * {@link LabData}: shuffled epochs of random horizontal flips, Gaussian noise σ = {@code config.noiseSigma} on the
 * standardised a, b for the cINN (paper: 0.05), none for the regression CNN (it is trained on the clean target).
 * Stops at the first non-finite loss ({@link FiniteLossGuard}).
 */
public final class ColorTraining {

    private static final Logger log = LoggerFactory.getLogger(ColorTraining.class);

    private ColorTraining() {}

    /** Loss per iteration and timing of a finished run. */
    public record Result(List<Double> losses, int iterations, double seconds, int examplesSeen) {
        /** Mean loss of the last {@code k} iterations. */
        public double recentLoss(int k) {
            int from = Math.max(0, losses.size() - k);
            return losses.subList(from, losses.size()).stream().mapToDouble(Double::doubleValue).average()
                    .orElse(Double.NaN);
        }
    }

    /**
     * Trains until {@code maxSeconds} or {@code maxIterations} (whichever comes first; 0 = no limit on that one).
     */
    public static Result train(ComputationGraph graph, ColorModelFiles.Kind kind, ColorizationCinn.Config c,
                               LabData data, double maxSeconds, int maxIterations, int logEvery) {
        if (maxSeconds <= 0 && maxIterations <= 0) {
            throw new IllegalArgumentException("give a time or an iteration budget");
        }
        if (data.size() < c.batchSize) {
            throw new IllegalArgumentException("only " + data.size() + " training tiles for batch " + c.batchSize);
        }
        if (graph.getListeners() == null || graph.getListeners().stream().noneMatch(l -> l instanceof FiniteLossGuard)) {
            graph.addListeners(new FiniteLossGuard());   // once, also when a caller trains in chunks
        }
        SplittableRandom rng = new SplittableRandom(c.seed);
        int[] order = shuffled(data.size(), rng);
        int pos = 0;
        List<Double> losses = new ArrayList<>();
        long start = System.nanoTime();
        int it = 0;
        int seen = 0;
        while (true) {
            double elapsed = (System.nanoTime() - start) / 1e9;
            if ((maxSeconds > 0 && elapsed >= maxSeconds) || (maxIterations > 0 && it >= maxIterations)) {
                break;
            }
            if (pos + c.batchSize > order.length) {
                order = shuffled(data.size(), rng);
                pos = 0;
            }
            int[] idx = java.util.Arrays.copyOfRange(order, pos, pos + c.batchSize);
            pos += c.batchSize;
            graph.fit(batch(kind, c, data, idx, rng, true));
            double loss = graph.score();
            losses.add(loss);
            it++;
            seen += idx.length;
            if (logEvery > 0 && (it % logEvery == 0 || it == 1)) {
                log.info("{} iteration {} loss {} ({} s)", kind, it, String.format("%.4f", loss),
                        String.format("%.0f", (System.nanoTime() - start) / 1e9));
            }
        }
        return new Result(losses, it, (System.nanoTime() - start) / 1e9, seen);
    }

    /** One training batch: features {@code [L/100, ab]} and dummy labels (cINN), or {@code [L/100]} and ab (CNN). */
    public static MultiDataSet batch(ColorModelFiles.Kind kind, ColorizationCinn.Config c, LabData data, int[] idx,
                                     SplittableRandom rng, boolean augment) {
        boolean[] flip = augment ? LabData.randomFlips(idx.length, rng) : null;
        INDArray l = data.lInput(idx, flip);
        INDArray ab = data.abInput(idx, flip, c.abMean, c.abStd);
        if (kind == ColorModelFiles.Kind.CNN) {
            return new MultiDataSet(new INDArray[]{l}, new INDArray[]{ab});
        }
        if (augment && c.noiseSigma > 0) {
            float[] noise = new float[(int) ab.length()];
            for (int i = 0; i < noise.length; i++) {
                noise[i] = (float) (c.noiseSigma * rng.nextGaussian());
            }
            ab.addi(Nd4j.create(noise, ab.shape(), 'c'));
        }
        return new MultiDataSet(new INDArray[]{l, ab}, new INDArray[]{Nd4j.zeros(idx.length, 1)});
    }

    /**
     * Mean loss over {@code data} (whole batches only), without noise, flips or updates: for the cINN the
     * maximum-likelihood loss in nats per dimension without the {@code ½ ln 2π} constant, for the CNN the MSE of the
     * standardised a, b.
     */
    public static double evaluateLoss(ComputationGraph graph, ColorModelFiles.Kind kind, ColorizationCinn.Config c,
                                      LabData data, int batch) {
        double sum = 0;
        int n = 0;
        for (int from = 0; from + batch <= data.size(); from += batch) {
            int[] idx = new int[batch];
            for (int j = 0; j < batch; j++) {
                idx[j] = from + j;
            }
            sum += graph.score(batch(kind, c, data, idx, null, false), false) * batch;
            n += batch;
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    private static int[] shuffled(int n, SplittableRandom rng) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }
}
