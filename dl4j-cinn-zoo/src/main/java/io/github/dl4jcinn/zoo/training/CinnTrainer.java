package io.github.dl4jcinn.zoo.training;

import io.github.dl4jcinn.layers.inverse.CinnInverse;
import io.github.dl4jcinn.layers.loss.LikelihoodMetrics;
import io.github.dl4jcinn.zoo.data.ConditionalImageIterator;
import io.github.dl4jcinn.zoo.data.LabeledImages;
import io.github.dl4jcinn.zoo.data.NoiseAugmentation;
import io.github.dl4jcinn.zoo.eval.DequantizedLikelihood;
import io.github.dl4jcinn.zoo.image.LinePlot;
import io.github.dl4jcinn.zoo.parallel.ParallelCinnTraining;
import io.github.dl4jcinn.zoo.report.Json;
import io.github.dl4jcinn.zoo.report.MemoryStats;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.MultiDataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Trains any cINN {@link ComputationGraph} (built with {@code CinnGraphBuilder}, loss {@code MaxLikelihoodLoss}) on a
 * {@link MultiDataSetIterator}, with what a long run needs:
 * <ul>
 *   <li>a progress line every {@code logEvery} iterations (SLF4J, logger {@code io.github.dl4jcinn.zoo.training}):
 *       epoch, iteration, loss, approximate bits/dim, samples/s, ETA, memory;</li>
 *   <li>a {@link NonFiniteGuard}: the first NaN/infinite loss, parameter or gradient stops the run with a
 *       {@link NonFiniteTrainingException} naming the iteration and the first vertex affected (never silently
 *       continued);</li>
 *   <li>atomic checkpoints every {@code checkpointEvery} iterations and at every epoch end ({@link Checkpoints}), and
 *       {@code resume}: continue from the last checkpoint at the saved iteration, with the same data order and noise
 *       as an uninterrupted run (for {@link ConditionalImageIterator} and {@link NoiseAugmentation});</li>
 *   <li>with a test set: test bits/dim after every epoch (on a subset) and at the end (all of it, uniform
 *       dequantisation, see {@link DequantizedLikelihood}), sampling speed, {@value #METRICS} and a training-curve
 *       PNG {@value #CURVE} in the output directory, and the final model {@value #FINAL_MODEL}.</li>
 *   <li>{@link Builder#workers(int) workers(N)}: data-parallel training with N replicas ({@code ParallelWrapper},
 *       parameters and Adam state averaged after every round, see {@link ParallelCinnTraining}); everything above
 *       works the same, in chunks of {@code logEvery} rounds.</li>
 * </ul>
 *
 * <pre>{@code
 * TrainingResult r = CinnTrainer.builder().epochs(3).outputDir(Path.of("runs/mnist")).seed(1)
 *         .testSet(testImages, 10).build()
 *         .fit(MnistCinn.quick().init(), trainIterator);
 * }</pre>
 *
 * <p>The trainer sets the graph's listeners (its guard plus those given to {@link Builder#listener}); listeners set
 * on the graph before are replaced. The planned learning-rate schedule is the graph's own (see
 * {@code MnistCinn.Builder#decayIterations}); a resumed run continues it at the saved iteration.
 *
 * <p>The loss is DL4J's score of {@code MaxLikelihoodLoss}: mean over the batch of {@code (½‖z‖² − log|J|)/D}. The
 * progress line's bits/dim converts it as {@code (loss + ½ ln 2π + ln dataScale) / ln 2}, which is only an
 * approximation (it is the density of the <em>noisy training</em> data, with pixels divided by {@code dataScale});
 * the test number in {@value #METRICS} is the proper bound.
 */
public final class CinnTrainer {

    public static final String METRICS = "metrics.json";
    public static final String CURVE = "training-curve.png";
    public static final String FINAL_MODEL = "model.zip";

    private static final Logger LOG = LoggerFactory.getLogger(CinnTrainer.class);

    private final Builder cfg;

    private CinnTrainer(Builder cfg) {
        this.cfg = cfg;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Trains {@code graph}, or the checkpointed graph if {@code resume} is set and a checkpoint exists. */
    public TrainingResult fit(ComputationGraph graph, MultiDataSetIterator data) {
        Objects.requireNonNull(graph, "graph");
        return fit(() -> graph, data);
    }

    /** As {@link #fit(ComputationGraph, MultiDataSetIterator)}; the supplier is not called when resuming. */
    public TrainingResult fit(Supplier<ComputationGraph> freshGraph, MultiDataSetIterator data) {
        try {
            return run(freshGraph, data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private TrainingResult run(Supplier<ComputationGraph> freshGraph, MultiDataSetIterator data) throws IOException {
        long wallStart = System.nanoTime();
        MemoryStats memory = new MemoryStats().sample();
        ComputationGraph graph;
        TrainerState state;
        Integer resumedFrom = null;
        if (cfg.resume && cfg.outputDir != null && Checkpoints.exists(cfg.outputDir)) {
            Checkpoints.Restored r = Checkpoints.load(cfg.outputDir);
            graph = r.graph();
            state = r.state();
            resumedFrom = state.iteration;
            LOG.info("Resuming from {} at iteration {} (epoch {}, batch {} of the epoch)",
                    cfg.outputDir.resolve(Checkpoints.MODEL), state.iteration, state.epoch, state.batchInEpoch);
            if (state.batchesSeen == 0) {
                state.batchesSeen = state.iteration; // a checkpoint from before the field: single-device training
            }
            Object workersBefore = state.info.get("workers");
            if (workersBefore instanceof Number && ((Number) workersBefore).intValue() != cfg.workers) {
                LOG.warn("The checkpoint was trained with {} worker(s), now {}: the learning-rate schedule stays the "
                        + "one planned for the checkpoint's run, and an epoch now has a different number of "
                        + "iterations", workersBefore, cfg.workers);
            }
            if (state.seed != cfg.seed) {
                LOG.warn("The checkpoint was trained with seed {}, not {}: continuing with {}", state.seed, cfg.seed,
                        state.seed);
            }
        } else {
            if (cfg.resume) {
                LOG.warn("--resume: no checkpoint in {}, starting a new run", cfg.outputDir);
            }
            graph = freshGraph.get();
            state = new TrainerState();
            state.seed = cfg.seed;
            state.iteration = graph.getIterationCount();
            state.epoch = graph.getEpochCount();
        }
        state.info.putAll(cfg.info);
        state.info.put("workers", cfg.workers);
        state.info.put("parallelMode", cfg.workers > 1 ? ParallelCinnTraining.Mode.AVERAGING.name() : null);
        List<TrainingListener> listeners = new ArrayList<>();
        listeners.add(new NonFiniteGuard());
        listeners.addAll(cfg.listeners);
        graph.setListeners(listeners);
        long parameters = graph.params().length();

        int batchesPerEpoch = data instanceof ConditionalImageIterator
                ? ((ConditionalImageIterator) data).batchesPerEpoch() : -1;
        position(data, state);
        MultiDataSetPreProcessor pre = data.getPreProcessor();
        NoiseAugmentation noise = pre instanceof NoiseAugmentation ? (NoiseAugmentation) pre : null;

        LOG.info("Training {} parameters for {} epochs{} ({} batches per epoch){}", String.format("%,d", parameters),
                cfg.epochs, cfg.maxIterations > 0 ? " or " + cfg.maxIterations + " iterations" : "",
                batchesPerEpoch > 0 ? batchesPerEpoch : "unknown",
                cfg.outputDir == null ? "" : ", output in " + cfg.outputDir.toAbsolutePath());
        if (cfg.workers > 1) {
            LOG.info("Training with {} replicas (DL4J ParallelWrapper), parameters and Adam state averaged after every "
                    + "round of {} minibatches: exact, so the replicas stay identical and a step is as large as on "
                    + "one device, with an effective batch of {} x the batch size. (Gradient sharing's threshold "
                    + "encoding learned far more slowly on cINNs here, see ParallelCinnTraining.) An iteration is "
                    + "a round: {} per epoch, and the learning-rate schedule counts rounds.", cfg.workers,
                    cfg.workers, cfg.workers, batchesPerEpoch > 0 ? ceilDiv(batchesPerEpoch, cfg.workers) : "?");
        }

        boolean stoppedEarly = false;
        double lossSum = 0;
        int lossCount = 0;
        double emaSecondsPerIteration = Double.NaN;
        long samplesSinceLog = 0;
        double secondsSinceLog = 0;
        double lastLoss = Double.NaN;
        outer:
        while (state.epoch < cfg.epochs) {
            // replicated: the whole (rest of the) epoch, leaving data exhausted for the single-device loop below
            if (cfg.workers > 1 && fitEpochReplicated(graph, data, noise, state, batchesPerEpoch, memory)) {
                stoppedEarly = true;
                break;
            }
            while (data.hasNext()) {
                if (cfg.maxIterations > 0 && state.iteration >= cfg.maxIterations) {
                    stoppedEarly = true;
                    break outer;
                }
                if (noise != null) {
                    noise.reseedForStep(state.iteration);
                }
                MultiDataSet batch = data.next();
                long n = batch.getFeatures(0).size(0);
                long t0 = System.nanoTime();
                try {
                    graph.fit(batch);
                } catch (NonFiniteTrainingException e) {
                    throw e.withActivationVertex(diagnoseActivations(graph, batch));
                }
                double dt = (System.nanoTime() - t0) / 1e9;
                state.iteration = graph.getIterationCount();
                state.batchInEpoch++;
                state.batchesSeen++;
                state.samplesSeen += n;
                state.trainSeconds += dt;
                samplesSinceLog += n;
                secondsSinceLog += dt;
                lastLoss = graph.score();
                lossSum += lastLoss;
                lossCount++;
                emaSecondsPerIteration = Double.isNaN(emaSecondsPerIteration) ? dt
                        : 0.9 * emaSecondsPerIteration + 0.1 * dt;
                if (state.iteration % cfg.logEvery == 0) {
                    double meanLoss = lossSum / lossCount;
                    state.curveIterations.add(state.iteration);
                    state.curveLoss.add(meanLoss);
                    logProgress(state, batchesPerEpoch, plannedIterations(batchesPerEpoch), meanLoss,
                            samplesSinceLog / secondsSinceLog, emaSecondsPerIteration, memory.sample());
                    lossSum = 0;
                    lossCount = 0;
                    samplesSinceLog = 0;
                    secondsSinceLog = 0;
                }
                if (cfg.outputDir != null && cfg.checkpointEvery > 0 && state.iteration % cfg.checkpointEvery == 0) {
                    checkpoint(graph, state);
                }
                if (cfg.afterIteration != null) {
                    cfg.afterIteration.accept(graph, state);
                }
            }
            // end of an epoch
            graph.incrementEpochCount();
            state.epoch = graph.getEpochCount();
            if (batchesPerEpoch < 0) {
                // with replicas an iteration is a round of several batches: count the batches themselves
                batchesPerEpoch = cfg.workers > 1 ? state.batchInEpoch
                        : (int) Math.min(Integer.MAX_VALUE, state.iteration / Math.max(1, state.epoch));
            }
            state.batchInEpoch = 0;
            data.reset();
            if (cfg.testSet != null && cfg.testExamplesPerEpoch != 0) {
                DequantizedLikelihood.Result r = DequantizedLikelihood.evaluate(graph, cfg.testSet, cfg.numClasses,
                        cfg.testExamplesPerEpoch, cfg.evalBatchSize, state.seed + 17);
                state.testEpochs.add(state.epoch);
                state.testIterations.add(state.iteration);
                state.testBitsPerDim.add(r.bitsPerDim());
                LOG.info(String.format(Locale.ROOT, "epoch %d done: test %.4f bits/dim, %.4f nats/dim (%d test "
                                + "images, uniform dequantisation)", state.epoch, r.bitsPerDim(), r.nllNatsPerDim(),
                        r.examples()));
            }
            if (cfg.outputDir != null) {
                checkpoint(graph, state);
            }
        }
        if (stoppedEarly && cfg.outputDir != null) {
            checkpoint(graph, state);
        }
        return finish(graph, state, parameters, memory, wallStart, stoppedEarly, resumedFrom);
    }

    /**
     * The rest of the current epoch with {@code cfg.workers} replicas, in chunks of {@code logEvery} rounds (one
     * minibatch per worker per round); after each chunk the averaged graph is logged, checkpointed when an iteration
     * multiple of {@code checkpointEvery} was passed, and handed to {@code afterIteration}. Returns true if
     * {@code maxIterations} stopped it.
     */
    private boolean fitEpochReplicated(ComputationGraph graph, MultiDataSetIterator data, NoiseAugmentation noise,
                                       TrainerState state, int batchesPerEpoch, MemoryStats memory)
            throws IOException {
        ParallelCinnTraining parallel = ParallelCinnTraining.builder().workers(cfg.workers)
                .mode(ParallelCinnTraining.Mode.AVERAGING).averagingFrequency(1).build();
        while (data.hasNext()) {
            long roundsLeft = cfg.maxIterations > 0 ? cfg.maxIterations - state.iteration : Long.MAX_VALUE;
            if (roundsLeft <= 0) {
                return true;
            }
            BatchChunk chunk = new BatchChunk(data, Math.min(cfg.logEvery, roundsLeft) * cfg.workers, noise,
                    state.batchesSeen);
            int before = state.iteration;
            ParallelCinnTraining.Result r;
            try {
                r = parallel.fitPass(graph, chunk);
            } catch (RuntimeException e) {
                throw nonFiniteCause(e); // a worker's guard arrives wrapped by ParallelWrapper
            }
            state.iteration = graph.getIterationCount();
            state.batchInEpoch += chunk.batches();
            state.batchesSeen += chunk.batches();
            state.samplesSeen += chunk.examples();
            state.trainSeconds += r.seconds();
            double meanLoss = r.scores().stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
            state.curveIterations.add(state.iteration);
            state.curveLoss.add(meanLoss);
            logProgress(state, batchesPerEpoch, plannedIterations(batchesPerEpoch), meanLoss,
                    chunk.examples() / r.seconds(), r.seconds() / Math.max(1, state.iteration - before),
                    memory.sample());
            if (cfg.outputDir != null && cfg.checkpointEvery > 0
                    && state.iteration / cfg.checkpointEvery > before / cfg.checkpointEvery) {
                checkpoint(graph, state);
            }
            if (cfg.afterIteration != null) {
                cfg.afterIteration.accept(graph, state);
            }
        }
        return false;
    }

    /** The {@link NonFiniteTrainingException} in {@code e}'s causes, or {@code e} itself. */
    private static RuntimeException nonFiniteCause(RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof NonFiniteTrainingException) {
                return (NonFiniteTrainingException) t;
            }
        }
        return e;
    }

    /** Iterations (rounds, with replicas) of the whole run, or -1 if unknown: for the progress line's ETA. */
    private long plannedIterations(int batchesPerEpoch) {
        return plannedIterations(batchesPerEpoch, cfg.epochs, cfg.workers, cfg.maxIterations);
    }

    /**
     * Iterations a run will take: {@code epochs x ceil(batchesPerEpoch / workers)} (with replicas an iteration is a
     * round of one minibatch per worker), capped by {@code maxIterations} when that is positive; -1 if the batches
     * per epoch are unknown ({@code < 0}) and there is no cap. What a learning-rate decay should be planned for.
     */
    public static long plannedIterations(int batchesPerEpoch, int epochs, int workers, long maxIterations) {
        long planned = batchesPerEpoch >= 0 ? (long) ceilDiv(batchesPerEpoch, workers) * epochs : -1;
        if (maxIterations > 0) {
            planned = planned >= 0 ? Math.min(planned, maxIterations) : maxIterations;
        }
        return planned;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    private TrainingResult finish(ComputationGraph graph, TrainerState state, long parameters, MemoryStats memory,
                                  long wallStart, boolean stoppedEarly, Integer resumedFrom) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.putAll(state.info);
        m.put("epochs", state.epoch);
        m.put("iterations", state.iteration);
        m.put("stoppedEarly", stoppedEarly);
        m.put("resumedFromIteration", resumedFrom);
        m.put("seed", state.seed);
        m.put("parameters", parameters);
        m.put("trainSamplesSeen", state.samplesSeen);
        m.put("trainSeconds", round(state.trainSeconds, 2));
        m.put("trainSamplesPerSecond", round(state.trainSeconds > 0 ? state.samplesSeen / state.trainSeconds : 0, 2));
        m.put("finalTrainLoss", state.curveLoss.isEmpty() ? null : round(state.curveLoss.get(
                state.curveLoss.size() - 1), 5));
        Path metricsFile = null;
        Path curveFile = null;
        Path modelFile = null;
        if (cfg.testSet != null) {
            long t = System.nanoTime();
            DequantizedLikelihood.Result r = DequantizedLikelihood.evaluate(graph, cfg.testSet, cfg.numClasses,
                    cfg.finalTestExamples, cfg.evalBatchSize, state.seed + 29);
            m.put("testBitsPerDim", round(r.bitsPerDim(), 5));
            m.put("testNllNatsPerDim", round(r.nllNatsPerDim(), 5));
            m.put("testExamples", r.examples());
            m.put("testMetric", "uniform dequantisation x = (pixel + u - 0.5)/255, u ~ U[0,1) (one draw, seeded); "
                    + "bits/dim = (NLL nats/dim incl. 0.5 ln 2pi + ln 255)/ln 2, an upper bound on the 8-bit NLL; "
                    + "training used pixel/255 plus the configured Gaussian noise");
            LOG.info(String.format(Locale.ROOT, "Test set: %.4f bits/dim, %.4f nats/dim over %d images (%.1f s)",
                    r.bitsPerDim(), r.nllNatsPerDim(), r.examples(), (System.nanoTime() - t) / 1e9));
            m.put("samplingSamplesPerSecond", round(samplingSpeed(graph, cfg.numClasses, cfg.samplingBenchmark,
                    state.seed), 2));
        }
        memory.sample();
        m.put("peakHeapMiB", round(MemoryStats.mib(MemoryStats.peakHeapBytes()), 1));
        m.put("peakRssMiB", round(MemoryStats.mib(memory.peakPhysicalBytes()), 1));
        m.put("peakJavacppTrackedMiB", round(MemoryStats.mib(memory.peakOffHeapBytes()), 1));
        m.put("wallSecondsThisProcess", round((System.nanoTime() - wallStart) / 1e9, 1));
        m.put("backend", Nd4j.getBackend().getClass().getSimpleName());
        m.put("curve", curveMap(state));
        if (cfg.outputDir != null) {
            Files.createDirectories(cfg.outputDir);
            modelFile = cfg.outputDir.resolve(FINAL_MODEL);
            Checkpoints.saveModel(graph, modelFile);
            curveFile = cfg.outputDir.resolve(CURVE);
            writeCurve(state, curveFile);
            metricsFile = cfg.outputDir.resolve(METRICS);
            Checkpoints.writeAtomically(metricsFile, Json.write(m));
            LOG.info("Wrote {}, {} and {}", modelFile, metricsFile, curveFile);
        }
        return new TrainingResult(graph, state, m, modelFile, metricsFile, curveFile);
    }

    /** Samples per second of {@link CinnInverse#sample} for {@code n} samples with cycling labels (after warm-up). */
    public static double samplingSpeed(ComputationGraph graph, int numClasses, int n, long seed) {
        if (n <= 0) {
            return Double.NaN;
        }
        CinnInverse inverse = CinnInverse.of(graph);
        String condition = conditionInput(graph, inverse);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = i % numClasses;
        INDArray c = DequantizedLikelihood.oneHot(labels, numClasses);
        inverse.sample(Math.min(n, 16), 1.0, Map.of(condition, c.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(
                0, Math.min(n, 16)), org.nd4j.linalg.indexing.NDArrayIndex.all())), seed); // builds the graph
        long t = System.nanoTime();
        inverse.sample(n, 1.0, Map.of(condition, c), seed);
        return n / ((System.nanoTime() - t) / 1e9);
    }

    /** The graph input that is not the data input (the label condition of a class-conditional cINN). */
    public static String conditionInput(ComputationGraph graph, CinnInverse inverse) {
        for (String in : graph.getConfiguration().getNetworkInputs()) {
            if (!in.equals(inverse.dataInput())) {
                return in;
            }
        }
        throw new IllegalArgumentException("the graph has no condition input besides '" + inverse.dataInput() + "'");
    }

    private void logProgress(TrainerState s, int batchesPerEpoch, long planned, double loss, double samplesPerSecond,
                             double secondsPerIteration, MemoryStats memory) {
        double nll = LikelihoodMetrics.nllFromLoss(loss);
        double bpd = (nll + Math.log(cfg.dataScale)) / Math.log(2);
        String eta = planned > 0 ? duration((planned - s.iteration) * secondsPerIteration) : "?";
        LOG.info(String.format(Locale.ROOT, "epoch %d/%d  iter %d%s (batch %d%s)  loss %.4f  ~%.3f bits/dim (train, "
                        + "noisy)  %.1f samples/s  ETA %s  heap %.0f MiB  RSS %.0f MiB",
                s.epoch + 1, cfg.epochs, s.iteration, planned > 0 ? "/" + planned : "", s.batchInEpoch,
                batchesPerEpoch > 0 ? "/" + batchesPerEpoch : "", loss, bpd, samplesPerSecond, eta,
                MemoryStats.mib(Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()),
                MemoryStats.mib(org.bytedeco.javacpp.Pointer.physicalBytes())));
    }

    private void checkpoint(ComputationGraph graph, TrainerState state) throws IOException {
        long t = System.nanoTime();
        Checkpoints.save(cfg.outputDir, graph, state);
        LOG.debug("Checkpoint at iteration {} in {} ({} ms)", state.iteration, cfg.outputDir,
                (System.nanoTime() - t) / 1_000_000);
    }

    /** Moves the iterator to the state's position (exact for {@link ConditionalImageIterator}). */
    private static void position(MultiDataSetIterator data, TrainerState state) {
        if (data instanceof ConditionalImageIterator) {
            ((ConditionalImageIterator) data).seek(state.epoch, state.batchInEpoch);
            return;
        }
        if (data.resetSupported()) {
            data.reset();
        }
        if (state.batchInEpoch > 0) {
            LOG.warn("Resuming inside an epoch with a {}: skipping {} batches; the order of this epoch may differ "
                    + "from the interrupted run", data.getClass().getSimpleName(), state.batchInEpoch);
            for (int i = 0; i < state.batchInEpoch && data.hasNext(); i++) {
                data.next();
            }
        }
    }

    /** Name of the first vertex (topological order) whose output on {@code batch} is not finite, or null. */
    private static String diagnoseActivations(ComputationGraph graph, MultiDataSet batch) {
        try {
            Map<String, INDArray> acts = graph.feedForward(batch.getFeatures(), false, false);
            return NonFiniteGuard.firstVertexActivation(graph, acts);
        } catch (RuntimeException e) {
            LOG.debug("Could not diagnose activations", e);
            return null;
        }
    }

    private Map<String, Object> curveMap(TrainerState s) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("iterations", s.curveIterations);
        c.put("trainLoss", s.curveLoss);
        c.put("testIterations", s.testIterations);
        c.put("testBitsPerDim", s.testBitsPerDim);
        return c;
    }

    private void writeCurve(TrainerState s, Path png) throws IOException {
        double ln2 = Math.log(2);
        double[] x = new double[s.curveIterations.size()];
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = s.curveIterations.get(i);
            y[i] = (LikelihoodMetrics.nllFromLoss(s.curveLoss.get(i)) + Math.log(cfg.dataScale)) / ln2;
        }
        LinePlot plot = new LinePlot("cINN training").xLabel("iteration").yLabel("bits/dim")
                .addSeries("train (noisy data, approx.)", x, y);
        if (!s.testIterations.isEmpty()) {
            double[] tx = new double[s.testIterations.size()];
            double[] ty = new double[tx.length];
            for (int i = 0; i < tx.length; i++) {
                tx[i] = s.testIterations.get(i);
                ty[i] = s.testBitsPerDim.get(i);
            }
            plot.addSeries("test (dequantised bound)", tx, ty);
        }
        plot.write(png);
    }

    private static String duration(double seconds) {
        if (!Double.isFinite(seconds) || seconds < 0) {
            return "?";
        }
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s / 60) % 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }

    private static double round(double v, int decimals) {
        if (!Double.isFinite(v)) {
            return v;
        }
        double f = Math.pow(10, decimals);
        return Math.round(v * f) / f;
    }

    /** Called after every iteration, with replicas after every chunk of rounds (tests simulate interruptions). */
    @FunctionalInterface
    public interface IterationCallback {
        void accept(ComputationGraph graph, TrainerState state);
    }

    /** Options; defaults: 1 epoch, progress every 10 iterations, checkpoints at epoch ends only, seed 0. */
    public static final class Builder {
        private int epochs = 1;
        private int workers = 1;
        private int logEvery = 10;
        private int checkpointEvery = 0;
        private Path outputDir;
        private long seed;
        private boolean resume;
        private long maxIterations = -1;
        private LabeledImages testSet;
        private int numClasses = 10;
        private int testExamplesPerEpoch = 2000;
        private int finalTestExamples = 0;
        private int evalBatchSize = 500;
        private int samplingBenchmark = 1000;
        private double dataScale = 255;
        private final List<TrainingListener> listeners = new ArrayList<>();
        private final Map<String, Object> info = new LinkedHashMap<>();
        private IterationCallback afterIteration;

        private Builder() {}

        public Builder epochs(int epochs) {
            if (epochs < 0) throw new IllegalArgumentException("epochs must be >= 0, got " + epochs);
            this.epochs = epochs;
            return this;
        }

        /**
         * Data-parallel replicas (default 1: plain {@code graph.fit} on this thread). With N > 1, DL4J's
         * {@code ParallelWrapper} trains N replicas, each round on N minibatches (one each), and averages their
         * parameters and Adam state after every round (see {@link ParallelCinnTraining} for why averaging): one
         * iteration is one round, so an epoch has {@code ceil(batches / N)} iterations (plan the learning-rate decay
         * for that), and progress, checkpoints and {@code afterIteration} come once per {@code logEvery} rounds.
         * The guard and the {@link #listener listeners} run on every replica, concurrently (so they must be
         * thread-safe); a non-finite failure names parameters and gradients but not activations. On CPU each
         * replica runs with its share of ND4J's threads while the replicas train (see {@link ParallelCinnTraining}).
         */
        public Builder workers(int workers) {
            if (workers < 1) throw new IllegalArgumentException("workers must be >= 1, got " + workers);
            this.workers = workers;
            return this;
        }

        public Builder logEvery(int iterations) {
            if (iterations <= 0) throw new IllegalArgumentException("logEvery must be > 0, got " + iterations);
            this.logEvery = iterations;
            return this;
        }

        /** Checkpoint every this many iterations (0: only at the end of each epoch). */
        public Builder checkpointEvery(int iterations) {
            if (iterations < 0) throw new IllegalArgumentException("checkpointEvery must be >= 0");
            this.checkpointEvery = iterations;
            return this;
        }

        /** Directory for checkpoints, final model, metrics and curve; {@code null}: write nothing. */
        public Builder outputDir(Path dir) { this.outputDir = dir; return this; }

        public Builder seed(long seed) { this.seed = seed; return this; }

        /** Continue from the checkpoint in the output directory if there is one. */
        public Builder resume(boolean resume) { this.resume = resume; return this; }

        /** Stop (with a checkpoint) once the graph has done this many iterations in total; {@code <= 0}: no limit. */
        public Builder maxIterations(long iterations) { this.maxIterations = iterations; return this; }

        /** Test images for per-epoch and final bits/dim and for the sampling-speed measurement. */
        public Builder testSet(LabeledImages test, int numClasses) {
            this.testSet = test;
            this.numClasses = numClasses;
            return this;
        }

        /** Test images evaluated after every epoch (0: none; negative: all). */
        public Builder testExamplesPerEpoch(int n) { this.testExamplesPerEpoch = n; return this; }

        /** Test images evaluated at the end ({@code <= 0}: all). */
        public Builder finalTestExamples(int n) { this.finalTestExamples = n; return this; }

        public Builder evalBatchSize(int n) { this.evalBatchSize = n; return this; }

        /** Samples drawn to measure sampling speed at the end (0: skip). */
        public Builder samplingBenchmark(int n) { this.samplingBenchmark = n; return this; }

        /** Pixels were divided by this for training (approximate train bits/dim in the progress line). */
        public Builder dataScale(double scale) { this.dataScale = scale; return this; }

        public Builder listener(TrainingListener l) { this.listeners.add(l); return this; }

        /** Adds a key to the run description stored in checkpoints and {@value #METRICS}. */
        public Builder info(String key, Object value) { this.info.put(key, value); return this; }

        public Builder afterIteration(IterationCallback callback) { this.afterIteration = callback; return this; }

        public CinnTrainer build() {
            return new CinnTrainer(this);
        }
    }
}
