package io.github.dl4jcinn.zoo.eval;

import io.github.dl4jcinn.zoo.data.LabeledImages;
import io.github.dl4jcinn.zoo.report.Json;
import io.github.dl4jcinn.zoo.training.Checkpoints;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The independent judge of label fidelity: a small DL4J CNN (conv 5x5x8, max-pool, conv 3x3x16, max-pool,
 * dense 64 ReLU, softmax; 33 k parameters, cheap enough to train on 2 CPU cores in a minute or two) trained by the
 * project on the real training images ({@code pixel / 255}), never on cINN samples. Its own test accuracy is measured on the real test set and kept with it, so every fidelity number can be
 * read against it.
 *
 * <pre>{@code
 * DigitClassifier judge = DigitClassifier.loadOrTrain(runDir.resolve("classifier-mnist.zip"), train, test, 2, 1);
 * int[] predicted = judge.predict(samples);   // samples [N, 1, 28, 28] in [0, 1]
 * }</pre>
 */
public final class DigitClassifier {

    private static final Logger LOG = LoggerFactory.getLogger(DigitClassifier.class);

    private final MultiLayerNetwork net;
    private final double testAccuracy;

    DigitClassifier(MultiLayerNetwork net, double testAccuracy) {
        this.net = net;
        this.testAccuracy = testAccuracy;
    }

    /** The network configuration (28x28 grey input by default). */
    public static MultiLayerConfiguration configuration(int height, int width, int numClasses, long seed) {
        return new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(new Adam(2e-3))
                .weightInit(WeightInit.RELU)
                .list()
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(8).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .build())
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(16).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .build())
                .layer(new DenseLayer.Builder().nOut(64).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(numClasses)
                        .activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER).build())
                .setInputType(InputType.convolutional(height, width, 1))
                .build();
    }

    /** Trains on {@code train} for {@code epochs} (batch 128, shuffled), then measures accuracy on {@code test}. */
    public static DigitClassifier train(LabeledImages train, LabeledImages test, int numClasses, int epochs,
                                        long seed) {
        MultiLayerNetwork net = new MultiLayerNetwork(configuration(train.rows(), train.cols(), numClasses, seed));
        net.init();
        int batch = 128;
        int n = train.count();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        SplittableRandom rng = new SplittableRandom(seed);
        long t0 = System.nanoTime();
        for (int e = 0; e < epochs; e++) {
            for (int i = n - 1; i > 0; i--) {
                int k = rng.nextInt(i + 1);
                int t = order[i];
                order[i] = order[k];
                order[k] = t;
            }
            for (int start = 0; start < n; start += batch) {
                int m = Math.min(batch, n - start);
                int[] idx = java.util.Arrays.copyOfRange(order, start, start + m);
                net.fit(new DataSet(images(train, idx), oneHot(train, idx, numClasses)));
            }
            LOG.info("Classifier epoch {}/{} done ({} s)", e + 1, epochs, (System.nanoTime() - t0) / 1_000_000_000);
        }
        DigitClassifier c = new DigitClassifier(net, Double.NaN);
        double acc = c.accuracy(test);
        LOG.info(String.format(java.util.Locale.ROOT, "Classifier test accuracy %.4f on %d real test images",
                acc, test.count()));
        return new DigitClassifier(net, acc);
    }

    /**
     * The cached classifier in {@code file} (plus {@code <file>.json} with its test accuracy), or a newly trained
     * one saved there.
     */
    public static DigitClassifier loadOrTrain(Path file, LabeledImages train, LabeledImages test, int numClasses,
                                              int epochs, long seed) throws IOException {
        Path meta = metaFile(file);
        if (Files.isRegularFile(file) && Files.isRegularFile(meta)) {
            MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(file.toFile(), false);
            double acc = ((Number) Json.readMap(meta).get("testAccuracy")).doubleValue();
            LOG.info("Using the cached classifier {} (test accuracy {})", file, acc);
            return new DigitClassifier(net, acc);
        }
        LOG.info("Training the judge classifier on {} real training images ({} epochs); cached in {}",
                train.count(), epochs, file);
        DigitClassifier c = train(train, test, numClasses, epochs, seed);
        c.save(file, train.count(), epochs);
        return c;
    }

    public void save(Path file, int trainExamples, int epochs) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".classifier", ".tmp");
        try {
            ModelSerializer.writeModel(net, tmp.toFile(), false);
            Checkpoints.moveAtomically(tmp, file);
        } finally {
            Files.deleteIfExists(tmp);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("testAccuracy", testAccuracy);
        m.put("trainExamples", trainExamples);
        m.put("epochs", epochs);
        m.put("architecture", "conv5x5x8-maxpool-conv3x3x16-maxpool-dense64-softmax");
        Checkpoints.writeAtomically(metaFile(file), Json.write(m));
    }

    private static Path metaFile(Path file) {
        return file.resolveSibling(file.getFileName() + ".json");
    }

    /** Accuracy on real test images (no noise, {@code pixel / 255}). */
    public double accuracy(LabeledImages test) {
        int correct = 0;
        for (int start = 0; start < test.count(); start += 500) {
            int m = Math.min(500, test.count() - start);
            int[] p = predict(DequantizedLikelihood.clean(test, start, m));
            for (int i = 0; i < m; i++) {
                if (p[i] == test.label(start + i)) correct++;
            }
        }
        return correct / (double) test.count();
    }

    /** Class probabilities {@code [N, classes]} of images {@code [N, 1, H, W]} in [0, 1]. */
    public INDArray probabilities(INDArray images) {
        return net.output(images, false);
    }

    /** Most probable class per image. */
    public int[] predict(INDArray images) {
        int n = (int) images.size(0);
        int[] out = new int[n];
        for (int start = 0; start < n; start += 500) {
            int m = Math.min(500, n - start);
            INDArray chunk = images.get(NDArrayIndex.interval(start, start + m), NDArrayIndex.all(),
                    NDArrayIndex.all(), NDArrayIndex.all());
            INDArray arg = Nd4j.argMax(probabilities(chunk), 1);
            for (int i = 0; i < m; i++) out[start + i] = arg.getInt(i);
        }
        return out;
    }

    /** Accuracy on the real test set when it was trained (NaN if not measured). */
    public double testAccuracy() {
        return testAccuracy;
    }

    public MultiLayerNetwork network() {
        return net;
    }

    private static INDArray images(LabeledImages data, int[] idx) {
        int d = data.pixelsPerImage();
        float[] v = new float[idx.length * d];
        byte[] px = data.pixels();
        for (int j = 0; j < idx.length; j++) {
            for (int p = 0; p < d; p++) v[j * d + p] = (px[idx[j] * d + p] & 0xFF) / 255f;
        }
        return Nd4j.create(v, new long[]{idx.length, 1, data.rows(), data.cols()}, 'c');
    }

    private static INDArray oneHot(LabeledImages data, int[] idx, int numClasses) {
        int[] labels = new int[idx.length];
        for (int j = 0; j < idx.length; j++) labels[j] = data.label(idx[j]);
        return DequantizedLikelihood.oneHot(labels, numClasses);
    }
}
