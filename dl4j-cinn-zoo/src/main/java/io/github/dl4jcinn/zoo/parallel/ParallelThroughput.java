package io.github.dl4jcinn.zoo.parallel;

import io.github.dl4jcinn.zoo.data.ConditionalImageIterator;
import io.github.dl4jcinn.zoo.data.DigitDataset;
import io.github.dl4jcinn.zoo.data.LabeledImages;
import io.github.dl4jcinn.zoo.data.Split;
import io.github.dl4jcinn.zoo.models.MnistCinn;
import org.deeplearning4j.nn.graph.ComputationGraph;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;

/**
 * Measures training throughput of an MNIST-style cINN with {@link ParallelCinnTraining}: one untimed warm-up epoch,
 * then timed epochs. Run each configuration in its own JVM, because the ND4J/OpenMP thread count is fixed at start:
 *
 * <pre>
 * OMP_NUM_THREADS=1 java -cp ... io.github.dl4jcinn.zoo.parallel.ParallelThroughput 1 averaging quick 2048 64 2
 * OMP_NUM_THREADS=1 java -cp ... io.github.dl4jcinn.zoo.parallel.ParallelThroughput 2 averaging quick 2048 64 2
 * </pre>
 * Arguments: workers, mode ({@code averaging} or {@code shared}), model preset ({@code tiny}, {@code quick},
 * {@code paper}), examples (the first n training images of Fashion-MNIST, or of MNIST when present), batch size per
 * worker, timed epochs. Prints one line: {@code RESULT workers=.. mode=.. examplesPerSecond=.. ...}.
 */
public final class ParallelThroughput {
    private ParallelThroughput() {}

    public static void main(String[] args) throws Exception {
        int workers = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        ParallelCinnTraining.Mode mode = args.length > 1 && args[1].startsWith("shared")
                ? ParallelCinnTraining.Mode.SHARED_GRADIENTS : ParallelCinnTraining.Mode.AVERAGING;
        String preset = args.length > 2 ? args[2] : "quick";
        int examples = args.length > 3 ? Integer.parseInt(args[3]) : 2048;
        int batch = args.length > 4 ? Integer.parseInt(args[4]) : 64;
        int epochs = args.length > 5 ? Integer.parseInt(args[5]) : 2;

        DigitDataset set = DigitDataset.FASHION_MNIST;
        LabeledImages data = set.load(Split.TRAIN, null, examples);
        ConditionalImageIterator it = ConditionalImageIterator.builder(data).batchSize(batch)
                .numClasses(set.numClasses()).shuffle(1).dropLast(true).build();
        ComputationGraph graph = MnistCinn.preset(preset).init();

        ParallelCinnTraining training = ParallelCinnTraining.builder().workers(workers).mode(mode).epochs(1).build();
        ParallelCinnTraining.Result warm = training.fit(graph, it);
        double averagingMs = averagingCost(graph);
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        long cpu0 = cpuNanos();
        long main0 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        ParallelCinnTraining.Result timed = ParallelCinnTraining.builder().workers(workers).mode(mode).epochs(epochs)
                .build().fit(graph, it);
        double cpuSeconds = (cpuNanos() - cpu0) / 1e9;
        // the calling thread only dispatches minibatches and waits (DL4J polls with parkNanos): its CPU is overhead
        double mainCpuSeconds = (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - main0) / 1e9;
        System.out.println(String.format(Locale.ROOT, "RESULT workers=%d mode=%s preset=%s params=%d batch=%d "
                        + "omp=%s examples=%d seconds=%.2f examplesPerSecond=%.1f cpuSeconds=%.2f "
                        + "examplesPerCpuSecond=%.1f callingThreadCpuSeconds=%.2f averagingMsPerRound=%.1f loadBefore=%.2f loadAfter=%.2f warmupScore=%.4f "
                        + "epochScores=%s",
                workers, workers == 1 ? "single" : mode, preset, graph.params().length(), batch,
                System.getenv("OMP_NUM_THREADS"), timed.examples(), timed.seconds(), timed.examplesPerSecond(),
                cpuSeconds, timed.examples() / cpuSeconds, mainCpuSeconds, averagingMs, load,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                warm.epochMeanScores().get(0), timed.epochMeanScores()));
        System.exit(0); // ND4J's daemon threads
    }

    /**
     * Milliseconds one AVERAGING round spends outside the workers' own steps with 2 replicas: ParallelWrapper's
     * {@code Nd4j.averageAndPropagate} over the parameter vectors and over the updater-state vectors.
     */
    private static double averagingCost(ComputationGraph graph) {
        long n = graph.params().length();
        long u = graph.getUpdater().getStateViewArray() == null ? 0 : graph.getUpdater().getStateViewArray().length();
        List<INDArray> p = List.of(Nd4j.rand(DataType.FLOAT, n), Nd4j.rand(DataType.FLOAT, n));
        List<INDArray> s = u == 0 ? List.of() : List.of(Nd4j.rand(DataType.FLOAT, u), Nd4j.rand(DataType.FLOAT, u));
        for (int i = 0; i < 3; i++) round(p, s);
        int reps = 10;
        long t0 = System.nanoTime();
        for (int i = 0; i < reps; i++) round(p, s);
        return (System.nanoTime() - t0) / 1e6 / reps;
    }

    private static void round(List<INDArray> params, List<INDArray> state) {
        Nd4j.averageAndPropagate(null, params);
        if (!state.isEmpty()) Nd4j.averageAndPropagate(null, state);
    }

    /** CPU time of the whole process (all threads, native ones included). */
    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
