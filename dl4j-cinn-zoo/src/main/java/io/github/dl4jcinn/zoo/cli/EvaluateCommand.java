package io.github.dl4jcinn.zoo.cli;

import io.github.dl4jcinn.zoo.data.LabeledImages;
import io.github.dl4jcinn.zoo.data.Split;
import io.github.dl4jcinn.zoo.eval.DequantizedLikelihood;
import io.github.dl4jcinn.zoo.eval.DigitClassifier;
import io.github.dl4jcinn.zoo.eval.GenerationQuality;
import io.github.dl4jcinn.zoo.latent.ConditionalFigures;
import io.github.dl4jcinn.zoo.report.Json;
import io.github.dl4jcinn.zoo.training.Checkpoints;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** {@code cinn evaluate}: test bits/dim, label fidelity and diversity of samples. */
final class EvaluateCommand {

    private EvaluateCommand() {}

    static Args args() {
        return new Args("evaluate", "Evaluates a trained model: test bits/dim (uniform-dequantisation bound) and how"
                + " much more\nthe test images cost under wrong labels (0 if the model ignores the label), and for"
                + " samples drawn\nfor every label: label fidelity judged by an independent small DL4J CNN trained on "
                + "the real\ntraining set (its own test accuracy is reported; it is cached in the run directory), and "
                + "diversity\n(mean per-class pixel variance of the samples, > 0 unless the model collapsed). Writes "
                + "<run>/evaluation.json\nand prints it as one JSON line.")
                .option("run", "DIR", RunFiles.DEFAULT_RUN, "run directory written by cinn train")
                .option("model", "FILE", null, "model zip (default: <run>/model.zip, else <run>/checkpoint.zip)")
                .option("preset", "mnist|fashion-mnist", null, "data set (default: the run's)")
                .option("data", "DIR", null, "directory with the IDX files")
                .option("samples-per-class", "N", "100", "samples generated for every label")
                .option("temperature", "T", "1.0", "latent temperature of those samples")
                .option("classifier", "FILE", null, "judge classifier cache (default <run>/classifier-<preset>.zip)")
                .option("classifier-epochs", "N", "2", "epochs when the classifier has to be trained")
                .option("test-limit", "N", "0", "test images for bits/dim (0: all)")
                .option("seed", "N", "1", "seed of samples, noise and classifier")
                .example("cinn evaluate --run runs/mnist")
                .example("cinn evaluate --run runs/mnist --temperature 0.8 --samples-per-class 500");
    }

    static int run(String[] argv, PrintStream out, PrintStream err) throws Exception {
        Args a = args().parse(argv);
        if (a.helpRequested()) {
            out.print(a.help());
            return 0;
        }
        Path run = RunFiles.run(a);
        int per = a.integer("samples-per-class");
        double temperature = a.number("temperature");
        int classifierEpochs = a.integer("classifier-epochs");
        int testLimit = a.integer("test-limit");
        long seed = a.longValue("seed");
        Path modelFile = RunFiles.modelFile(run, a.path("model"));
        ComputationGraph g = RunFiles.loadModel(modelFile);
        String preset = a.string("preset") != null ? a.string("preset") : RunFiles.presetOfRun(run, "mnist");
        RunFiles.DataChoice data = RunFiles.chooseData(preset, a.path("data"), false, err);
        LabeledImages train = data.load(Split.TRAIN);
        LabeledImages test = data.load(Split.TEST);
        int numClasses = data.dataset().numClasses();

        Path classifierFile = a.path("classifier") != null ? a.path("classifier")
                : run.resolve("classifier-" + data.key() + ".zip");
        DigitClassifier judge = DigitClassifier.loadOrTrain(classifierFile, train, test, numClasses,
                classifierEpochs, seed);

        long t0 = System.nanoTime();
        DequantizedLikelihood.Result nll = DequantizedLikelihood.evaluate(g, test, numClasses,
                testLimit, 500, seed + 29);
        double evalSeconds = (System.nanoTime() - t0) / 1e9;
        double labelGap = DequantizedLikelihood.wrongLabelGap(g, test, numClasses, testLimit, 500, seed + 29, nll);

        int[] labels = new int[per * numClasses];
        for (int i = 0; i < labels.length; i++) labels[i] = i % numClasses;
        ConditionalFigures fig = ConditionalFigures.of(g, numClasses);
        t0 = System.nanoTime();
        INDArray samples = Nd4j.create(org.nd4j.linalg.api.buffer.DataType.FLOAT, labels.length, 1, test.rows(),
                test.cols());
        int chunk = 500;
        for (int start = 0; start < labels.length; start += chunk) {
            int m = Math.min(chunk, labels.length - start);
            int[] l = Arrays.copyOfRange(labels, start, start + m);
            samples.get(NDArrayIndex.interval(start, start + m), NDArrayIndex.all(), NDArrayIndex.all(),
                    NDArrayIndex.all()).assign(fig.sample(l, temperature, seed + start));
        }
        double sampleSeconds = (System.nanoTime() - t0) / 1e9;
        INDArray clipped = org.nd4j.linalg.ops.transforms.Transforms.min(
                org.nd4j.linalg.ops.transforms.Transforms.max(samples, 0.0, true), 1.0, false);
        int[] predicted = judge.predict(clipped);
        GenerationQuality q = GenerationQuality.measure(clipped, labels, predicted, numClasses);

        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", modelFile.toString());
        m.put("dataset", data.dataset().displayName());
        m.put("testBitsPerDim", round(nll.bitsPerDim()));
        m.put("testNllNatsPerDim", round(nll.nllNatsPerDim()));
        m.put("testExamples", nll.examples());
        m.put("testSeconds", round(evalSeconds));
        m.put("wrongLabelGapBitsPerDim", round(labelGap));
        m.put("classifier", classifierFile.toString());
        m.put("classifierTestAccuracy", round(judge.testAccuracy()));
        m.put("samplesPerClass", per);
        m.put("temperature", temperature);
        m.put("labelFidelity", round(q.meanFidelity()));
        m.put("labelFidelityPerClass", roundAll(q.fidelity()));
        m.put("diversity", round(q.meanDiversity()));
        m.put("diversityPerClass", roundAll(q.diversity()));
        m.put("samplingSamplesPerSecond", round(labels.length / sampleSeconds));
        m.put("definitions", "labelFidelity: mean over labels k of the fraction of samples generated for k that the "
                + "classifier assigns to k; diversity: mean over labels of the per-pixel variance across that "
                + "label's samples (clipped to [0,1]), averaged over pixels; testBitsPerDim: uniform dequantisation "
                + "(pixel + u - 0.5)/255, upper bound on the 8-bit NLL; wrongLabelGapBitsPerDim: test bits/dim with "
                + "every label moved to the next class minus with the true labels (same noise), 0 if the label is "
                + "ignored");
        Path file = run.resolve("evaluation.json");
        Checkpoints.writeAtomically(file, Json.write(m));
        err.printf(Locale.ROOT, "evaluate: test %.4f bits/dim (%+.4f under wrong labels); label fidelity %.4f "
                        + "(classifier test accuracy %.4f); diversity %.5f; %d samples at T=%.2f; written to %s%n",
                nll.bitsPerDim(), labelGap, q.meanFidelity(),
                judge.testAccuracy(), q.meanDiversity(), labels.length, temperature, file);
        out.println(Json.line(m));
        return 0;
    }

    private static double round(double v) {
        return Double.isFinite(v) ? Math.round(v * 1e5) / 1e5 : v;
    }

    private static double[] roundAll(double[] v) {
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) r[i] = round(v[i]);
        return r;
    }
}
