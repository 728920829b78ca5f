package io.github.dl4jcinn.zoo.bench;

import io.github.dl4jcinn.zoo.models.MnistCinn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Our MNIST cINN against the PyTorch reference ({@link TorchReference}) on the same machine in one run: {@code rounds}
 * rounds, each timing our training steps and sampling calls and one reference process doing the same, in alternating
 * order (ours first in even rounds, the reference first in odd ones) so a change of machine load hits both. Every
 * timed step of every round is pooled; the result gives median and best per side and their ratios
 * (ours / reference: above 1 means we are faster, or for memory, use more), plus each round's medians and the load
 * average before and after.
 */
public final class SideBySideBenchmark {

    private SideBySideBenchmark() {}

    /** The other side: one round of timed training steps and sampling calls of the same model in another framework. */
    @FunctionalInterface
    public interface Reference {
        TorchReference.Round run(int threads, int batch, int blocks, int hidden, int depth, int warmup, int steps,
                                 int sampleN, int sampleRepeats, Consumer<String> progress);
    }

    /** What to run; the reference gets the same batch, steps and threads. */
    public static final class Settings {
        public int batch = 256;
        public int warmup = 2;
        public int steps = 5;
        public int sampleN = 256;
        public int sampleRepeats = 3;
        public int rounds = 5;
        public int threads = Runtime.getRuntime().availableProcessors();
    }

    public static Map<String, Object> run(MnistCinn model, Settings s, Reference reference,
                                          Consumer<String> progress) {
        int[] hidden = model.hidden();
        if (Arrays.stream(hidden).distinct().count() != 1) {
            throw new IllegalArgumentException("the PyTorch reference has equal hidden widths, got "
                    + Arrays.toString(hidden));
        }
        String load0 = loadAverage();
        CinnBenchmark ours = new CinnBenchmark(model, s.batch, s.sampleN);
        List<Double> ourTrain = new ArrayList<>();
        List<Double> ourSampling = new ArrayList<>();
        List<Double> refTrain = new ArrayList<>();
        List<Double> refSampling = new ArrayList<>();
        List<Map<String, Object>> rounds = new ArrayList<>();
        double refPeakRss = 0;
        String torchVersion = null;
        for (int r = 0; r < s.rounds; r++) {
            Map<String, Object> round = new LinkedHashMap<>();
            round.put("round", r + 1);
            round.put("order", r % 2 == 0 ? "dl4j, pytorch" : "pytorch, dl4j");
            for (int side = 0; side < 2; side++) {
                boolean oursNow = (side == 0) == (r % 2 == 0);
                if (oursNow) {
                    progress.accept(String.format(Locale.ROOT, "round %d/%d: dl4j-cinn", r + 1, s.rounds));
                    double[] t = ours.trainSteps(s.warmup, s.steps, progress);
                    double[] g = ours.samplingCalls(s.sampleRepeats, progress);
                    add(ourTrain, t);
                    add(ourSampling, g);
                    round.put("dl4jTrainSecondsPerStepMedian", CinnBenchmark.round(CinnBenchmark.median(t)));
                    round.put("dl4jSamplingSecondsMedian", CinnBenchmark.round(CinnBenchmark.median(g)));
                } else {
                    progress.accept(String.format(Locale.ROOT, "round %d/%d: PyTorch reference", r + 1, s.rounds));
                    TorchReference.Round t = reference.run(s.threads, s.batch, model.blocks(), hidden[0],
                            hidden.length, s.warmup, s.steps, s.sampleN, s.sampleRepeats, line -> progress.accept(
                                    "  " + line));
                    add(refTrain, t.trainStepSeconds);
                    add(refSampling, t.samplingSeconds);
                    refPeakRss = Math.max(refPeakRss, t.peakRssMiB);
                    torchVersion = t.torchVersion;
                    round.put("pytorchTrainSecondsPerStepMedian", CinnBenchmark.round(CinnBenchmark.median(
                            t.trainStepSeconds)));
                    round.put("pytorchSamplingSecondsMedian", CinnBenchmark.round(CinnBenchmark.median(
                            t.samplingSeconds)));
                }
            }
            round.put("loadAverage", loadAverage());
            rounds.add(round);
        }

        Map<String, Object> m = ours.description();
        m.put("benchmark", "cinn-mnist-vs-pytorch");
        m.put("rounds", s.rounds);
        m.put("warmupStepsPerRound", s.warmup);
        m.put("timedStepsPerRound", s.steps);
        m.put("samplingBatch", s.sampleN);
        m.put("samplingCallsPerRound", s.sampleRepeats);
        m.put("threads", s.threads);
        Map<String, Object> dl4j = side(ourTrain, ourSampling, s, ours.peakRssMiB());
        Map<String, Object> torch = side(refTrain, refSampling, s, refPeakRss);
        torch.put("torch", torchVersion);
        m.put("dl4j", dl4j);
        m.put("pytorch", torch);
        Map<String, Object> ratios = new LinkedHashMap<>();
        ratios.put("trainMedian", ratio(dl4j, torch, "trainSamplesPerSecondMedian"));
        ratios.put("trainBest", ratio(dl4j, torch, "trainSamplesPerSecondBest"));
        ratios.put("samplingMedian", ratio(dl4j, torch, "samplingSamplesPerSecondMedian"));
        ratios.put("samplingBest", ratio(dl4j, torch, "samplingSamplesPerSecondBest"));
        ratios.put("peakRss", ratio(dl4j, torch, "peakRssMiB"));
        m.put("ratios", ratios);
        m.put("perRound", rounds);
        m.put("loadAverageBefore", load0);
        m.put("loadAverageAfter", loadAverage());
        m.putAll(ours.memoryAndEnvironment());
        return m;
    }

    private static Map<String, Object> side(List<Double> train, List<Double> sampling, Settings s, double peakRss) {
        double[] t = train.stream().mapToDouble(Double::doubleValue).toArray();
        double[] g = sampling.stream().mapToDouble(Double::doubleValue).toArray();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("trainSamplesPerSecondMedian", CinnBenchmark.round(s.batch / CinnBenchmark.median(t)));
        m.put("trainSamplesPerSecondBest", CinnBenchmark.round(s.batch / CinnBenchmark.min(t)));
        m.put("trainSecondsPerStepMedian", CinnBenchmark.round(CinnBenchmark.median(t)));
        m.put("samplingSamplesPerSecondMedian", CinnBenchmark.round(s.sampleN / CinnBenchmark.median(g)));
        m.put("samplingSamplesPerSecondBest", CinnBenchmark.round(s.sampleN / CinnBenchmark.min(g)));
        m.put("peakRssMiB", CinnBenchmark.round(peakRss));
        m.put("timedSteps", t.length);
        m.put("timedSamplingCalls", g.length);
        return m;
    }

    private static double ratio(Map<String, Object> a, Map<String, Object> b, String key) {
        return CinnBenchmark.round(((Number) a.get(key)).doubleValue() / ((Number) b.get(key)).doubleValue());
    }

    private static void add(List<Double> to, double[] values) {
        for (double v : values) to.add(v);
    }

    /** The 1, 5 and 15 minute load averages, or "?" off Linux. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }
}
