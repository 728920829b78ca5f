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
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Speed and memory of a class-conditional MNIST cINN on the current ND4J backend: training steps
 * ({@code graph.fit} on one batch, random images in [0, 1] with cycling one-hot labels, timed one by one after
 * warm-up, with the trainer's {@link NonFiniteGuard} attached) and sampling ({@link CinnInverse#sample}, after one
 * warm-up call). Reports medians, so one slow step on a shared machine does not dominate. Memory: peak JVM heap,
 * peak resident set size of the process (heap + off-heap, from the kernel), and JavaCPP's tracked off-heap bytes.
 * {@link SideBySideBenchmark} runs the same measurements in rounds, alternating with the PyTorch reference.
 */
public final class CinnBenchmark {

    private final MnistCinn model;
    private final int batch;
    private final int sampleN;
    private final MemoryStats memory = new MemoryStats();
    private final ComputationGraph graph;
    private final double initSeconds;
    private final INDArray x;
    private final INDArray c;
    private final INDArray y;
    private final CinnInverse inverse;
    private final Map<String, INDArray> sampleConditions;
    private int sampleCalls;

    /** Builds and initialises the model; nothing is timed yet except the initialisation. */
    public CinnBenchmark(MnistCinn model, int batch, int sampleN) {
        this.model = model;
        this.batch = batch;
        this.sampleN = sampleN;
        memory.sample();
        long t0 = System.nanoTime();
        graph = model.init();
        graph.setListeners(new NonFiniteGuard());
        initSeconds = (System.nanoTime() - t0) / 1e9;
        Nd4j.getRandom().setSeed(model.seed());
        x = Nd4j.rand(DataType.FLOAT, batch, 1, 28, 28);
        c = oneHotCycling(batch, model.numClasses());
        y = Nd4j.zeros(DataType.FLOAT, batch, 1);
        inverse = CinnInverse.of(graph);
        sampleConditions = Map.of(CinnTrainer.conditionInput(graph, inverse), oneHotCycling(sampleN,
                model.numClasses()));
    }

    /** Runs {@code warmup} untimed and {@code steps} timed training steps; returns the timed seconds per step. */
    public double[] trainSteps(int warmup, int steps, Consumer<String> progress) {
        double[] seconds = new double[steps];
        for (int s = 0; s < warmup + steps; s++) {
            long t = System.nanoTime();
            graph.fit(new INDArray[]{x, c}, new INDArray[]{y});
            double dt = (System.nanoTime() - t) / 1e9;
            memory.sample();
            if (s >= warmup) {
                seconds[s - warmup] = dt;
            }
            progress.accept(String.format(Locale.ROOT, "%s step %d: %.3f s (loss %.4f)",
                    s < warmup ? "warm-up" : "train", s, dt, graph.score()));
        }
        return seconds;
    }

    /** Times {@code repeats} sampling calls of {@code sampleN} samples (one untimed warm-up call the first time). */
    public double[] samplingCalls(int repeats, Consumer<String> progress) {
        if (sampleCalls++ == 0) {
            inverse.sample(sampleN, 1.0, sampleConditions, 1);
        }
        double[] seconds = new double[repeats];
        for (int r = 0; r < repeats; r++) {
            long t = System.nanoTime();
            inverse.sample(sampleN, 1.0, sampleConditions, 2 + r);
            seconds[r] = (System.nanoTime() - t) / 1e9;
            memory.sample();
            progress.accept(String.format(Locale.ROOT, "sample %d x %d: %.3f s", r, sampleN, seconds[r]));
        }
        return seconds;
    }

    /** Peak resident set size of this process so far, in MiB. */
    public double peakRssMiB() {
        return MemoryStats.mib(memory.sample().peakPhysicalBytes());
    }

    /** One benchmark run: warm-up, timed steps, timed sampling; the result is ready for a JSON line. */
    public static Map<String, Object> run(MnistCinn model, int batch, int warmup, int steps, int sampleN,
                                          int sampleRepeats, Consumer<String> progress) {
        CinnBenchmark b = new CinnBenchmark(model, batch, sampleN);
        double[] stepSeconds = b.trainSteps(warmup, steps, progress);
        double[] sampleSeconds = b.samplingCalls(sampleRepeats, progress);
        Map<String, Object> m = b.description();
        m.put("warmupSteps", warmup);
        m.put("timedSteps", steps);
        m.put("trainSecondsPerStepMedian", round(median(stepSeconds)));
        m.put("trainSecondsPerStepMin", round(min(stepSeconds)));
        m.put("trainSamplesPerSecond", round(batch / median(stepSeconds)));
        m.put("trainSamplesPerSecondBest", round(batch / min(stepSeconds)));
        m.put("samplingBatch", sampleN);
        m.put("samplingSamplesPerSecond", round(sampleN / median(sampleSeconds)));
        m.put("samplingSamplesPerSecondBest", round(sampleN / min(sampleSeconds)));
        m.putAll(b.memoryAndEnvironment());
        return m;
    }

    /** Model, batch and parameter count. */
    Map<String, Object> description() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("benchmark", "cinn-mnist");
        m.put("model", model.name());
        m.put("blocks", model.blocks());
        m.put("hidden", model.hidden());
        m.put("parameters", graph.params().length());
        m.put("batch", batch);
        m.put("initSeconds", round(initSeconds));
        return m;
    }

    /** Peak memory, backend and thread settings. */
    Map<String, Object> memoryAndEnvironment() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("peakHeapMiB", round(MemoryStats.mib(MemoryStats.peakHeapBytes())));
        m.put("peakRssMiB", round(peakRssMiB()));
        m.put("peakJavacppTrackedMiB", round(MemoryStats.mib(memory.peakOffHeapBytes())));
        m.put("maxHeapMiB", round(MemoryStats.mib(Runtime.getRuntime().maxMemory())));
        m.put("backend", Nd4j.getBackend().getClass().getSimpleName());
        m.put("cpus", Runtime.getRuntime().availableProcessors());
        m.put("ompNumThreads", System.getenv("OMP_NUM_THREADS"));
        m.put("ompWaitPolicy", System.getenv("OMP_WAIT_POLICY"));
        m.put("java", System.getProperty("java.version"));
        return m;
    }

    private static INDArray oneHotCycling(int n, int numClasses) {
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = i % numClasses;
        return DequantizedLikelihood.oneHot(labels, numClasses);
    }

    static double median(double[] v) {
        if (v.length == 0) return Double.NaN;
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
    }

    static double min(double[] v) {
        return Arrays.stream(v).min().orElse(Double.NaN);
    }

    static double round(double v) {
        return Double.isFinite(v) ? Math.round(v * 1000) / 1000.0 : v;
    }
}
