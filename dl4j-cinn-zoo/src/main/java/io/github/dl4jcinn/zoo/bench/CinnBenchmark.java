package io.github.dl4jcinn.zoo.bench;

import io.github.dl4jcinn.layers.inverse.CinnInverse;
import io.github.dl4jcinn.zoo.eval.DequantizedLikelihood;
import io.github.dl4jcinn.zoo.models.MnistCinn;
import io.github.dl4jcinn.zoo.report.MemoryStats;
import io.github.dl4jcinn.zoo.training.CinnTrainer;
import io.github.dl4jcinn.zoo.training.NonFiniteGuard;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Speed and memory of a class-conditional MNIST cINN on the current ND4J backend: training steps
 * ({@code graph.fit} on one batch, random images in [0, 1] with cycling one-hot labels, timed one by one after
 * warm-up) and sampling ({@link CinnInverse#sample}, after one warm-up call that builds the inverse graph). Reports
 * medians, so one slow step on a shared machine does not dominate. Memory: peak JVM heap, peak resident set size of
 * the process (heap + off-heap, from the kernel), and JavaCPP's tracked off-heap bytes.
 */
public final class CinnBenchmark {

    private CinnBenchmark() {}

    /**
     * Runs the benchmark; {@code progress} receives one line per timed step.
     *
     * @return the results, ready for a JSON line
     */
    public static Map<String, Object> run(MnistCinn model, int batch, int warmup, int steps, int sampleN,
                                          int sampleRepeats, Consumer<String> progress) {
        MemoryStats mem = new MemoryStats().sample();
        long t0 = System.nanoTime();
        ComputationGraph g = model.init();
        g.setListeners(new NonFiniteGuard());
        double initSeconds = (System.nanoTime() - t0) / 1e9;
        Nd4j.getRandom().setSeed(model.seed());
        INDArray x = Nd4j.rand(DataType.FLOAT, batch, 1, 28, 28);
        int[] labels = new int[batch];
        for (int i = 0; i < batch; i++) labels[i] = i % model.numClasses();
        INDArray c = DequantizedLikelihood.oneHot(labels, model.numClasses());
        INDArray y = Nd4j.zeros(DataType.FLOAT, batch, 1);

        double[] stepSeconds = new double[steps];
        for (int s = 0; s < warmup + steps; s++) {
            long t = System.nanoTime();
            g.fit(new INDArray[]{x, c}, new INDArray[]{y});
            double dt = (System.nanoTime() - t) / 1e9;
            mem.sample();
            if (s >= warmup) {
                stepSeconds[s - warmup] = dt;
            }
            progress.accept(String.format(java.util.Locale.ROOT, "%s step %d: %.3f s (loss %.4f)",
                    s < warmup ? "warm-up" : "train", s, dt, g.score()));
        }
        CinnInverse inverse = CinnInverse.of(g);
        String cond = CinnTrainer.conditionInput(g, inverse);
        int[] sl = new int[sampleN];
        for (int i = 0; i < sampleN; i++) sl[i] = i % model.numClasses();
        INDArray sc = DequantizedLikelihood.oneHot(sl, model.numClasses());
        inverse.sample(sampleN, 1.0, Map.of(cond, sc), 1); // warm-up: builds the inverse graph
        double[] sampleSeconds = new double[sampleRepeats];
        for (int r = 0; r < sampleRepeats; r++) {
            long t = System.nanoTime();
            inverse.sample(sampleN, 1.0, Map.of(cond, sc), 2 + r);
            sampleSeconds[r] = (System.nanoTime() - t) / 1e9;
            mem.sample();
            progress.accept(String.format(java.util.Locale.ROOT, "sample %d x %d: %.3f s", r, sampleN,
                    sampleSeconds[r]));
        }
        mem.sample();

        Map<String, Object> m = new LinkedHashMap<>();
        m.put("benchmark", "cinn-mnist");
        m.put("model", model.name());
        m.put("blocks", model.blocks());
        m.put("hidden", model.hidden());
        m.put("parameters", g.params().length());
        m.put("batch", batch);
        m.put("warmupSteps", warmup);
        m.put("timedSteps", steps);
        m.put("trainSecondsPerStepMedian", round(median(stepSeconds)));
        m.put("trainSecondsPerStepMin", round(Arrays.stream(stepSeconds).min().orElse(Double.NaN)));
        m.put("trainSamplesPerSecond", round(batch / median(stepSeconds)));
        m.put("trainSamplesPerSecondBest", round(batch / Arrays.stream(stepSeconds).min().orElse(Double.NaN)));
        m.put("samplingBatch", sampleN);
        m.put("samplingSamplesPerSecond", round(sampleN / median(sampleSeconds)));
        m.put("samplingSamplesPerSecondBest", round(sampleN / Arrays.stream(sampleSeconds).min()
                .orElse(Double.NaN)));
        m.put("initSeconds", round(initSeconds));
        m.put("peakHeapMiB", round(MemoryStats.mib(MemoryStats.peakHeapBytes())));
        m.put("peakRssMiB", round(MemoryStats.mib(mem.peakPhysicalBytes())));
        m.put("peakJavacppTrackedMiB", round(MemoryStats.mib(mem.peakOffHeapBytes())));
        m.put("maxHeapMiB", round(MemoryStats.mib(Runtime.getRuntime().maxMemory())));
        m.put("backend", Nd4j.getBackend().getClass().getSimpleName());
        m.put("cpus", Runtime.getRuntime().availableProcessors());
        m.put("ompNumThreads", System.getenv("OMP_NUM_THREADS"));
        m.put("ompWaitPolicy", System.getenv("OMP_WAIT_POLICY"));
        m.put("java", System.getProperty("java.version"));
        return m;
    }

    static double median(double[] v) {
        if (v.length == 0) return Double.NaN;
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
    }

    private static double round(double v) {
        return Double.isFinite(v) ? Math.round(v * 1000) / 1000.0 : v;
    }
}
