package io.github.dl4jcinn.zoo.parallel;

import io.github.dl4jcinn.layers.CpuThreads;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.optimize.solvers.accumulation.EncodedGradientsAccumulator;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Data-parallel training of a cINN {@link ComputationGraph} on several devices of one machine with DL4J's
 * {@link ParallelWrapper}: each worker thread trains its own replica on its own minibatch, and the replicas are
 * kept identical after every round.
 *
 * <pre>{@code
 * ComputationGraph graph = MnistCinn.quick().init();
 * ParallelCinnTraining.Result r = ParallelCinnTraining.fit(graph, iterator, 2, 10, ParallelCinnTraining.Mode.AVERAGING);
 * // graph now holds the trained parameters and updater state; save it with ModelSerializer as usual
 * }</pre>
 *
 * <h2>Which synchronisation: parameter averaging (default)</h2>
 * {@link Mode#AVERAGING} with averaging frequency 1 averages every replica's parameters <em>and</em> Adam state after
 * every round, exactly (no compression), so all replicas hold bit-identical parameters from one round to the next
 * (the tests check this vertex by vertex) and the step size is that of single-device training. On one machine the
 * cost is a memory-bound average over the parameter and updater vectors: about 50 ms per round for the 4.9 M
 * parameters of {@code MnistCinn.quick()} (before its label embedding) on the 2-core development machine, where one
 * step of that model takes 0.2 to 0.4 s per worker. {@link Mode#SHARED_GRADIENTS} (DL4J's threshold-encoded update sharing) also works with
 * every cINN vertex, but every replica applies, from each worker, only the part of its Adam update that exceeds an
 * adaptive threshold, as plus or minus that threshold (the rest stays behind as a residual): the step is set by the
 * threshold rather than the learning rate, and measured here it learned far more slowly than averaging on the same
 * budget and diverged early on the MNIST model (numbers in README-scaleout.md of dl4j-cinn-spark). Its advantage,
 * far fewer bytes per step, matters between machines, not between the devices of one host.
 *
 * <h2>What to know</h2>
 * <ul>
 *   <li>One round feeds one minibatch to each worker, so an epoch has {@code ceil(batches / workers)} iterations per
 *       replica: an iteration-based learning-rate schedule (such as {@code MnistCinn}'s decay) should be planned for
 *       that many iterations, and the effective batch is {@code workers x batch}.</li>
 *   <li>Worker 0 trains on {@code graph} itself; the others train on copies made from its JSON configuration, its
 *       parameter vector and its updater state (custom vertices included: they are serialised and restored exactly
 *       like the saved model is). DL4J makes those copies on the worker threads while worker 0 already trains, so
 *       a copy could catch the graph after its first update: every {@code fit} here holds the first round's workers
 *       before their first update until all replicas are in place ({@link ReplicaCopyGate}). The graph's listeners
 *       run on every worker (they must be thread-safe: their {@code iterationDone} sees each replica) and are put
 *       back on the graph afterwards; {@code onEpochStart} and {@code onEpochEnd} are called once per epoch on the
 *       calling thread with {@code graph}, which after an epoch holds the averaged parameters (so an epoch-end
 *       checkpoint listener saves the right model).</li>
 *   <li>With one worker it simply calls {@code graph.fit}: no wrapper, no copies.</li>
 *   <li>{@link #fitPass} trains on what an iterator has left, with no epoch bookkeeping, for callers with their own
 *       epoch loop: {@code CinnTrainer} ({@code cinn train --workers N}) trains each epoch in chunks of rounds
 *       with it, logging and checkpointing between chunks.</li>
 *   <li>On CPU every worker runs its ops on ND4J's one shared thread pool: while the replicas train, each op
 *       uses {@link #threadsPerWorker} of the threads in effect before ({@link CpuThreads}), so the workers do
 *       not oversubscribe the cores; the count is restored afterwards.</li>
 * </ul>
 */
public final class ParallelCinnTraining {

    private static final Logger LOG = LoggerFactory.getLogger(ParallelCinnTraining.class);

    /** How the replicas are kept in sync. */
    public enum Mode {
        /** Average parameters and updater state every {@code averagingFrequency} rounds (default 1). */
        AVERAGING,
        /** DL4J gradient sharing: threshold-encoded updates, summed over workers, applied by every replica. */
        SHARED_GRADIENTS
    }

    private final int workers;
    private final int epochs;
    private final Mode mode;
    private final int averagingFrequency;
    private final int prefetch;
    private final List<TrainingListener> listeners;

    private ParallelCinnTraining(Builder b) {
        this.workers = b.workers;
        this.epochs = b.epochs;
        this.mode = b.mode;
        this.averagingFrequency = b.averagingFrequency;
        this.prefetch = b.prefetch;
        this.listeners = List.copyOf(b.listeners);
    }

    /** Trains {@code graph} in place for {@code epochs} passes over {@code data} with {@code workers} replicas. */
    public static Result fit(ComputationGraph graph, MultiDataSetIterator data, int workers, int epochs, Mode mode) {
        return builder().workers(workers).epochs(epochs).mode(mode).build().fit(graph, data);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Trains {@code graph} in place; returns scores and throughput. */
    public Result fit(ComputationGraph graph, MultiDataSetIterator data) {
        requireInitialised(graph);
        ScoreRecorder recorder = new ScoreRecorder();
        List<Double> epochMeans = new ArrayList<>();
        long start = System.nanoTime();
        if (workers == 1) {
            withRunListeners(graph, recorder, () -> {
                for (int e = 0; e < epochs; e++) {
                    int before = recorder.count();
                    data.reset();
                    graph.fit(data); // fit(iterator) counts the epoch itself
                    epochMeans.add(recorder.meanSince(before));
                }
            });
        } else {
            List<TrainingListener> epochListeners = new ArrayList<>(graph.getListeners());
            epochListeners.addAll(listeners);
            for (int e = 0; e < epochs; e++) {
                int before = recorder.count();
                data.reset();
                for (TrainingListener l : epochListeners) {
                    l.onEpochStart(graph);
                }
                // A wrapper per epoch: fit() closes its workers at the end, and new replicas copy the averaged graph.
                runWrapper(graph, data, recorder);
                // as graph.fit(iterator) does; here on the calling thread, with the averaged graph
                for (TrainingListener l : epochListeners) {
                    l.onEpochEnd(graph);
                }
                graph.incrementEpochCount();
                epochMeans.add(recorder.meanSince(before));
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Result r = new Result(mode, workers, epochs, recorder.scores(), recorder.examples(), seconds, epochMeans);
        LOG.info("{}", r);
        return r;
    }

    /**
     * Trains {@code graph} in place on the minibatches {@code data} has left, once, without any epoch bookkeeping:
     * no {@code reset()}, no {@code onEpochStart}/{@code onEpochEnd}, no epoch count (the {@code epochs} setting is
     * ignored). For callers that run their own epoch loop and want to act between parts of an epoch (the
     * {@code CinnTrainer} logs and checkpoints after every chunk of rounds). With several workers, each call builds
     * fresh replicas from {@code graph}, so it should get enough rounds to amortise that. The result has
     * {@code epochs() == 0} and no epoch means.
     */
    public Result fitPass(ComputationGraph graph, MultiDataSetIterator data) {
        requireInitialised(graph);
        ScoreRecorder recorder = new ScoreRecorder();
        long start = System.nanoTime();
        if (workers == 1) {
            withRunListeners(graph, recorder, () -> {
                while (data.hasNext()) {
                    graph.fit(data.next());
                }
            });
        } else {
            runWrapper(graph, data, recorder);
        }
        Result r = new Result(mode, workers, 0, recorder.scores(), recorder.examples(),
                (System.nanoTime() - start) / 1e9, List.of());
        LOG.debug("{}", r);
        return r;
    }

    /** Runs {@code body} with this run's listeners and {@code recorder} added to the graph's own, then restores them. */
    private void withRunListeners(ComputationGraph graph, ScoreRecorder recorder, Runnable body) {
        Collection<TrainingListener> own = new ArrayList<>(graph.getListeners());
        List<TrainingListener> all = new ArrayList<>(own);
        all.addAll(listeners);
        all.add(recorder);
        graph.setListeners(all);
        try {
            body.run();
        } finally {
            graph.setListeners(own);
        }
    }

    /** One {@code ParallelWrapper.fit} over {@code data}; the graph's own listeners run on every worker. */
    private void runWrapper(ComputationGraph graph, MultiDataSetIterator data, ScoreRecorder recorder) {
        Collection<TrainingListener> own = new ArrayList<>(graph.getListeners());
        ParallelWrapper wrapper = new ParallelWrapper.Builder<>(graph)
                .workers(workers)
                .trainingMode(mode == Mode.AVERAGING ? ParallelWrapper.TrainingMode.AVERAGING
                        : ParallelWrapper.TrainingMode.SHARED_GRADIENTS)
                .averagingFrequency(averagingFrequency)
                .averageUpdaters(true)
                .prefetchBuffer(data.asyncSupported() ? prefetch : 0)
                // the wrapper would otherwise overwrite the graph's own setting
                .workspaceMode(graph.getConfiguration().getTrainingWorkspaceMode())
                // SHARED_GRADIENTS: DL4J sizes the update-message buffer from model.numParams(), which for a
                // ComputationGraph counts layer parameters only (1 for a cINN: the loss layer's marker), so
                // the first update fails with "Not enough memory to handle update: [N bytes required]", and
                // the worker dies holding a lock of the accumulator, hanging the others. Size it from the
                // real parameter vector.
                .temporaryMemory(EncodedGradientsAccumulator.getOptimalBufferSize(graph.params().length(),
                        workers, workers + 2))
                .build();
        // build() has already moved the graph's own listeners to the wrapper; add this run's
        ReplicaCopyGate gate = new ReplicaCopyGate(workers);
        List<TrainingListener> extra = new ArrayList<>(listeners);
        extra.add(recorder);
        extra.add(gate);
        wrapper.setListeners(extra);
        int threadsBefore = Nd4j.getEnvironment().maxMasterThreads();
        CpuThreads.apply(threadsPerWorker(threadsBefore, workers));
        try {
            wrapper.fit(gate.counting(data));
        } finally {
            wrapper.shutdown();
            graph.setListeners(own); // the wrapper moved them to its workers
            CpuThreads.apply(threadsBefore);
        }
    }

    /** Threads for each of {@code workers} replicas sharing {@code total}: at least one. */
    public static int threadsPerWorker(int total, int workers) {
        return Math.max(1, total / Math.max(1, workers));
    }

    private static void requireInitialised(ComputationGraph graph) {
        if (graph.getConfiguration() == null || graph.params() == null) {
            throw new IllegalArgumentException("Call graph.init() before parallel training");
        }
    }

    /** Records every worker's score and minibatch size; called concurrently from the worker threads. */
    private static final class ScoreRecorder extends BaseTrainingListener {
        private final List<Double> scores = new ArrayList<>();
        private long examples;

        @Override
        public synchronized void iterationDone(Model model, int iteration, int epoch) {
            scores.add(model.score());
            examples += model.batchSize();
        }

        synchronized int count() {
            return scores.size();
        }

        synchronized double meanSince(int from) {
            return scores.subList(from, scores.size()).stream().mapToDouble(Double::doubleValue).average()
                    .orElse(Double.NaN);
        }

        synchronized List<Double> scores() {
            return new ArrayList<>(scores);
        }

        synchronized long examples() {
            return examples;
        }
    }

    /** Settings; defaults: 2 workers, 1 epoch, {@link Mode#AVERAGING} every round, prefetch 4. */
    public static final class Builder {
        private int workers = 2;
        private int epochs = 1;
        private Mode mode = Mode.AVERAGING;
        private int averagingFrequency = 1;
        private int prefetch = 4;
        private final List<TrainingListener> listeners = new ArrayList<>();

        public Builder workers(int workers) {
            if (workers < 1) throw new IllegalArgumentException("workers must be >= 1, got " + workers);
            this.workers = workers;
            return this;
        }

        public Builder epochs(int epochs) {
            if (epochs < 1) throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
            this.epochs = epochs;
            return this;
        }

        public Builder mode(Mode mode) {
            this.mode = mode;
            return this;
        }

        /** AVERAGING only: rounds between averages (1 keeps the replicas identical after every round). */
        public Builder averagingFrequency(int rounds) {
            if (rounds < 1) throw new IllegalArgumentException("averagingFrequency must be >= 1, got " + rounds);
            this.averagingFrequency = rounds;
            return this;
        }

        /** Minibatches prefetched by a background thread (only for iterators that support it). */
        public Builder prefetch(int batches) {
            this.prefetch = Math.max(0, batches);
            return this;
        }

        /** Extra listeners for this run, called on every worker's replica (so they must be thread-safe). */
        public Builder listeners(TrainingListener... l) {
            listeners.addAll(Arrays.asList(l));
            return this;
        }

        public ParallelCinnTraining build() {
            return new ParallelCinnTraining(this);
        }
    }

    /** What a run did: every worker's score per minibatch (in completion order), examples and wall time. */
    public static final class Result {
        private final Mode mode;
        private final int workers;
        private final int epochs;
        private final List<Double> scores;
        private final long examples;
        private final double seconds;
        private final List<Double> epochMeanScores;

        Result(Mode mode, int workers, int epochs, List<Double> scores, long examples, double seconds,
               List<Double> epochMeanScores) {
            this.mode = mode;
            this.workers = workers;
            this.epochs = epochs;
            this.scores = Collections.unmodifiableList(scores);
            this.examples = examples;
            this.seconds = seconds;
            this.epochMeanScores = Collections.unmodifiableList(epochMeanScores);
        }

        public Mode mode() { return mode; }
        public int workers() { return workers; }
        public int epochs() { return epochs; }
        /** Score of every minibatch any worker trained on (DL4J score: the loss per example). */
        public List<Double> scores() { return scores; }
        public long examples() { return examples; }
        public double seconds() { return seconds; }
        public double examplesPerSecond() { return examples / seconds; }
        public List<Double> epochMeanScores() { return epochMeanScores; }

        /** Mean score of the first / last {@code n} minibatches. */
        public double meanOfFirst(int n) {
            return scores.subList(0, Math.min(n, scores.size())).stream().mapToDouble(d -> d).average().orElse(Double.NaN);
        }

        public double meanOfLast(int n) {
            return scores.subList(Math.max(0, scores.size() - n), scores.size()).stream().mapToDouble(d -> d)
                    .average().orElse(Double.NaN);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s x%d: %d epoch(s), %d minibatches, %d examples in %.2f s "
                            + "(%.1f examples/s), epoch mean scores %s", workers == 1 ? "single" : mode, workers,
                    epochs, scores.size(), examples, seconds, examplesPerSecond(), epochMeanScores);
        }
    }
}
