package io.github.dl4jcinn.arbiter;

import io.github.dl4jcinn.layers.loss.LikelihoodMetrics;
import io.github.dl4jcinn.layers.training.NonFiniteLossException;
import io.github.dl4jcinn.zoo.color.ColorModelFiles;
import io.github.dl4jcinn.zoo.color.ColorTraining;
import io.github.dl4jcinn.zoo.color.ColorizationCinn;
import io.github.dl4jcinn.zoo.color.LabData;
import io.github.dl4jcinn.zoo.data.ConditionalImageIterator;
import io.github.dl4jcinn.zoo.data.LabeledImages;
import io.github.dl4jcinn.zoo.data.NoiseAugmentation;
import io.github.dl4jcinn.zoo.training.CinnTrainer;
import io.github.dl4jcinn.zoo.training.NonFiniteTrainingException;
import io.github.dl4jcinn.zoo.training.TrainingResult;
import org.deeplearning4j.arbiter.optimize.api.Candidate;
import org.deeplearning4j.arbiter.optimize.api.OptimizationResult;
import org.deeplearning4j.arbiter.optimize.api.TaskCreator;
import org.deeplearning4j.arbiter.optimize.api.data.DataProvider;
import org.deeplearning4j.arbiter.optimize.api.data.DataSource;
import org.deeplearning4j.arbiter.optimize.api.score.ScoreFunction;
import org.deeplearning4j.arbiter.optimize.runner.CandidateInfo;
import org.deeplearning4j.arbiter.optimize.runner.CandidateStatus;
import org.deeplearning4j.arbiter.optimize.runner.IOptimizationRunner;
import org.deeplearning4j.arbiter.optimize.runner.listener.StatusListener;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.Callable;

/**
 * Arbiter {@link TaskCreator} for {@link CinnParameterSpace} candidates: builds the model ({@link CinnModels}), trains
 * it with the project's {@link CinnTrainer} for the sweep's fixed number of iterations (its NaN guard included),
 * records a training curve and a validation curve, scores it with the run's {@link ScoreFunction} (normally
 * {@link ValidationBitsPerDimScore}) and stores the outcome in the sweep's {@link SweepResults} before returning.
 *
 * <p>Never throws: a candidate that diverges (NaN/Inf loss, parameter, gradient or validation score) or fails in any
 * other way is returned as Arbiter status {@code Failed} and recorded as {@link CandidateResult.Status#FAILED} with
 * the reason, and the sweep goes on. With {@link SweepSettings#resume()} a candidate whose key is already recorded is
 * not trained again: its recorded result is returned at once.
 *
 * <p>All settings come from the data-source properties ({@link SweepSettings}, {@link DigitDataSource}), so Arbiter
 * can create this class by its no-argument constructor.
 */
public class CinnTaskCreator implements TaskCreator {

    private static final Logger LOG = LoggerFactory.getLogger(CinnTaskCreator.class);

    public CinnTaskCreator() {}

    @Override
    public Callable<OptimizationResult> create(Candidate candidate, DataProvider dataProvider,
                                               ScoreFunction scoreFunction, List<StatusListener> statusListeners,
                                               IOptimizationRunner runner) {
        throw new UnsupportedOperationException("CinnTaskCreator needs a DataSource (OptimizationConfiguration."
                + "Builder.dataSource(DigitDataSource.class, properties)); DataProvider is deprecated in Arbiter");
    }

    @Override
    public Callable<OptimizationResult> create(Candidate candidate, Class<? extends DataSource> dataSource,
                                               Properties dataSourceProperties, ScoreFunction scoreFunction,
                                               List<StatusListener> statusListeners, IOptimizationRunner runner) {
        return () -> run(candidate, dataSource, dataSourceProperties, scoreFunction,
                statusListeners == null ? List.of() : statusListeners, runner);
    }

    /** The key under which a candidate is recorded (index, configuration and training settings). */
    public static String key(int index, CinnCandidateConfig config, SweepSettings settings, Properties data) {
        return index + "-" + config.fingerprint() + "-" + settings.fingerprint(data);
    }

    private OptimizationResult run(Candidate candidate, Class<? extends DataSource> dataSource, Properties props,
                                   ScoreFunction scoreFunction, List<StatusListener> listeners,
                                   IOptimizationRunner runner) {
        long created = System.currentTimeMillis();
        int index = candidate.getIndex();
        CandidateResult r = new CandidateResult();
        r.index = index;
        r.status = CandidateResult.Status.FAILED;
        SweepResults results = null;
        try {
            SweepSettings settings = SweepSettings.from(props);
            results = SweepResults.forDirectory(settings.outputDir() == null ? null : Paths.get(settings.outputDir()));
            CinnCandidateConfig config = (CinnCandidateConfig) candidate.getValue();
            r.config = config;
            r.name = config.displayName();
            r.key = key(index, config, settings, props);
            if (settings.resume()) {
                CandidateResult done = results.find(r.key).orElse(null);
                if (done != null) {
                    LOG.info("Candidate {} ({}): already in the results ({}, {}), not trained again", index,
                            r.name, done.status, done.completed() ? fmt(done.score) + " bits/dim" : done.reason);
                    return result(candidate, done, created, created, listeners, runner);
                }
            }
            CandidateInfo running = notifyRunning(candidate, created, listeners, runner);
            if (config.getTask() == CinnCandidateConfig.Task.COLORIZATION) {
                trainColorization(r, config, dataSource, props, settings, scoreFunction);
            } else {
                train(r, config, dataSource, props, settings, scoreFunction, running, listeners);
            }
        } catch (Throwable t) {
            // a candidate must never take the sweep down: record it and go on
            if (r.reason == null || r.reason.isEmpty()) {
                r.reason = failure(t);
            }
            r.status = CandidateResult.Status.FAILED;
            r.score = Double.NaN;
            LOG.warn("Candidate {} ({}) FAILED: {}", index, r.name, r.reason);
            if (!(t instanceof NonFiniteTrainingException || t instanceof NonFiniteLossException
                    || t instanceof NonFiniteValidationException)) {
                LOG.debug("Candidate {} stack trace", index, t);
            }
        }
        r.seconds = (System.currentTimeMillis() - created) / 1000.0;
        if (r.name == null) {
            r.name = "candidate " + index;
        }
        if (r.key == null) {
            r.key = index + "-unbuilt";
        }
        if (results != null) {
            try {
                results.record(r);
            } catch (RuntimeException e) {
                LOG.error("Candidate {}: could not record the result: {}", index, e.toString());
            }
        }
        return result(candidate, r, created, System.currentTimeMillis(), listeners, runner);
    }

    private void train(CandidateResult r, CinnCandidateConfig config, Class<? extends DataSource> dataSource,
                       Properties props, SweepSettings s, ScoreFunction scoreFunction, CandidateInfo running,
                       List<StatusListener> listeners) {
        long t0 = System.nanoTime();
        DataSource ds = instantiate(dataSource, props);
        LabeledImages train = (LabeledImages) ds.trainData();
        LabeledImages validation = (LabeledImages) ds.testData();
        CinnCandidateConfig c = config.resolved();
        ComputationGraph graph = CinnModels.build(config);
        r.parameters = graph.params().length(); // numParams() counts layers only (DL4J defect)
        LOG.info("Candidate {}: {} ({} parameters, {} iterations)", r.index, config.summary(),
                String.format(Locale.ROOT, "%,d", r.parameters), s.iterations());

        ConditionalImageIterator it = ConditionalImageIterator.builder(train).batchSize(c.getBatchSize())
                .numClasses(CinnModels.NUM_CLASSES).shuffle(c.getSeed()).dropLast(true)
                .preProcessor(c.getNoiseSigma() > 0 ? NoiseAugmentation.gaussian(c.getNoiseSigma(), c.getSeed() + 1)
                        : null)
                .build();
        int perEpoch = Math.max(1, it.batchesPerEpoch());
        int epochs = (s.iterations() + perEpoch - 1) / perEpoch;

        CurveRecorder curve = new CurveRecorder(s.logEvery(), r, Math.log(255));
        int validationSubset = Math.min(s.validationSubset(), validation.count());
        validate(r, graph, validation, validationSubset, 0);
        CinnTrainer trainer = CinnTrainer.builder()
                .epochs(epochs)
                .maxIterations(s.iterations())
                .logEvery(Math.max(s.logEvery(), s.iterations() / 5))
                .seed(c.getSeed())
                .samplingBenchmark(0)
                .listener(curve)
                .afterIteration((g, state) -> {
                    if (state.iteration % s.validateEvery() == 0 && state.iteration < s.iterations()) {
                        validate(r, g, validation, validationSubset, state.iteration);
                    }
                    if (state.iteration % s.logEvery() == 0) {
                        for (StatusListener l : listeners) {
                            l.onCandidateIteration(running, g, state.iteration); // e.g. Arbiter's UI
                        }
                    }
                })
                .build();
        TrainingResult result;
        try {
            result = trainer.fit(graph, it);
        } catch (NonFiniteTrainingException e) {
            r.iterations = e.iteration();
            r.reason = String.format(Locale.ROOT, "diverged at iteration %d: loss %s, first non-finite %s", e.iteration(),
                    e.loss(), culprit(e));
            throw e;
        } finally {
            curve.finish();
        }
        r.iterations = result.state().iteration;
        r.secondsPerIteration = result.state().trainSeconds / Math.max(1, r.iterations);
        double score = scoreFunction.score(result.graph(), dataSource, props);
        r.validationIterations.add(r.iterations);
        r.validationBitsPerDim.add(score);
        if (!Double.isFinite(score)) {
            r.reason = "validation bits/dim is not finite after " + r.iterations + " iterations (model diverged "
                    + "without a non-finite training loss)";
            throw new NonFiniteValidationException(r.reason);
        }
        complete(r, score, t0);
    }

    private static void complete(CandidateResult r, double score, long t0) {
        r.score = score;
        r.bestValidation = r.validationBitsPerDim.stream().filter(Double::isFinite).min(Double::compare)
                .orElse(Double.NaN);
        r.status = CandidateResult.Status.COMPLETED;
        LOG.info(String.format(Locale.ROOT, "Candidate %d (%s): validation %.4f bits/dim after %d iterations, "
                        + "%.0f s (%.3f s/iteration)", r.index, r.name, score, r.iterations,
                (System.nanoTime() - t0) / 1e9, r.secondsPerIteration));
    }

    /**
     * A colorization candidate: the zoo's colorization model and training loop ({@link ColorTraining}, which stops
     * at the first non-finite loss), in chunks of {@code validateEvery} iterations with a validation point after each.
     */
    private void trainColorization(CandidateResult r, CinnCandidateConfig config,
                                   Class<? extends DataSource> dataSource, Properties props, SweepSettings s,
                                   ScoreFunction scoreFunction) {
        long t0 = System.nanoTime();
        DataSource ds = instantiate(dataSource, props);
        LabData train = (LabData) ds.trainData();
        LabData validation = (LabData) ds.testData();
        ColorizationCinn.Config cc = ColorizationCandidates.config(config, train);
        ComputationGraph graph = ColorizationCinn.init(cc);
        ColorizationCandidates.Model model = new ColorizationCandidates.Model(graph, cc);
        r.parameters = graph.params().length();
        LOG.info("Candidate {}: {} ({} parameters, {} iterations)", r.index, config.summary(),
                String.format(Locale.ROOT, "%,d", r.parameters), s.iterations());
        CurveRecorder curve = new CurveRecorder(s.logEvery(), r, 0);
        validateColor(r, model, validation, 0);
        double trainSeconds = 0;
        int done = 0;
        int chunk = 0;
        try {
            while (done < s.iterations()) {
                ColorizationCinn.Config chunkConfig = cc.copy();
                chunkConfig.seed = cc.seed + 1000L * chunk++; // a new shuffle and noise stream per chunk
                graph.setListeners(); // ColorTraining adds its own NaN guard
                ColorTraining.Result res;
                try {
                    res = ColorTraining.train(graph, ColorModelFiles.Kind.CINN, chunkConfig, train, 0,
                            Math.min(s.validateEvery(), s.iterations() - done), 0);
                } catch (NonFiniteLossException e) {
                    r.iterations = done + e.iteration();
                    r.reason = "diverged at iteration " + r.iterations + ": non-finite loss or parameters";
                    throw e;
                }
                for (double loss : res.losses()) {
                    curve.add(loss);
                }
                done += res.iterations();
                trainSeconds += res.seconds();
                if (done < s.iterations()) {
                    validateColor(r, model, validation, done);
                }
            }
        } finally {
            curve.finish();
        }
        r.iterations = done;
        r.secondsPerIteration = trainSeconds / Math.max(1, done);
        double score = scoreFunction.score(model, dataSource, props);
        r.validationIterations.add(done);
        r.validationBitsPerDim.add(score);
        if (!Double.isFinite(score)) {
            r.reason = "validation NLL is not finite after " + done + " iterations";
            throw new NonFiniteValidationException(r.reason);
        }
        complete(r, score, t0);
    }

    private static void validateColor(CandidateResult r, ColorizationCandidates.Model m, LabData validation,
                                      int iteration) {
        double bpd = ColorizationCandidates.validationBitsPerDim(m, validation);
        r.validationIterations.add(iteration);
        r.validationBitsPerDim.add(bpd);
        if (!Double.isFinite(bpd)) {
            r.iterations = iteration;
            r.reason = "validation NLL not finite at iteration " + iteration + " (model diverged)";
            throw new NonFiniteValidationException(r.reason);
        }
    }

    private static String culprit(NonFiniteTrainingException e) {
        String v = e.culprit();
        if (v == null) {
            return "loss";
        }
        String what = v.equals(e.firstBadParameterVertex()) ? "parameters" : v.equals(e.firstBadActivationVertex())
                ? "activations" : "gradients";
        return what + " in vertex '" + v + "'";
    }

    /** An intermediate validation point; a non-finite value stops the candidate. */
    private static void validate(CandidateResult r, ComputationGraph g, LabeledImages validation, int subset,
                                 int iteration) {
        double bpd = ValidationBitsPerDimScore.score(g, validation, subset);
        r.validationIterations.add(iteration);
        r.validationBitsPerDim.add(bpd);
        if (!Double.isFinite(bpd)) {
            r.iterations = iteration;
            r.reason = "validation bits/dim not finite at iteration " + iteration + " (model diverged)";
            throw new NonFiniteValidationException(r.reason);
        }
    }

    private static OptimizationResult result(Candidate candidate, CandidateResult r, long start, long end,
                                             List<StatusListener> listeners, IOptimizationRunner runner) {
        CandidateStatus status = r.completed() ? CandidateStatus.Complete : CandidateStatus.Failed;
        Double score = r.completed() ? r.score : null;
        CandidateInfo info = new CandidateInfo(candidate.getIndex(), status, score, start, start, end,
                candidate.getFlatParameters(), r.completed() ? null : r.reason);
        OptimizationResult result = new OptimizationResult(candidate, score, candidate.getIndex(), r, info, null);
        for (StatusListener l : listeners) {
            try {
                l.onCandidateStatusChange(info, runner, result);
            } catch (RuntimeException e) {
                LOG.warn("Status listener {} failed: {}", l, e.toString());
            }
        }
        return result;
    }

    private static CandidateInfo notifyRunning(Candidate candidate, long start, List<StatusListener> listeners,
                                               IOptimizationRunner runner) {
        CandidateInfo info = new CandidateInfo(candidate.getIndex(), CandidateStatus.Running, null, start, start, null,
                candidate.getFlatParameters(), null);
        for (StatusListener l : listeners) {
            try {
                l.onCandidateStatusChange(info, runner, null);
            } catch (RuntimeException e) {
                LOG.warn("Status listener {} failed: {}", l, e.toString());
            }
        }
        return info;
    }

    private static String failure(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : ": " + m.split("\n")[0]);
    }

    /** A data source instance configured with the properties (Arbiter's convention: public no-arg constructor). */
    static DataSource instantiate(Class<? extends DataSource> type, Properties props) {
        try {
            DataSource ds = type.getConstructor().newInstance();
            ds.configure(props);
            return ds;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create data source " + type.getName() + ": " + e, e);
        }
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    /** Validation bits/dim became NaN/Inf although training did not flag a non-finite loss. */
    public static final class NonFiniteValidationException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NonFiniteValidationException(String message) {
            super(message);
        }
    }

    /**
     * Training curve: the mean DL4J score over every {@code every} iterations, as bits/dim of the training data:
     * {@code (loss + ½ ln 2π + logScale) / ln 2}, with {@code logScale = ln 255} for images divided by 255 (the
     * noisy training data's density), 0 for data in model units.
     */
    static final class CurveRecorder extends BaseTrainingListener {
        private final int every;
        private final CandidateResult r;
        private final double logScale;
        private double sum;
        private int count;
        private int iteration;

        CurveRecorder(int every, CandidateResult r, double logScale) {
            this.every = every;
            this.r = r;
            this.logScale = logScale;
        }

        @Override
        public void iterationDone(Model model, int it, int epoch) {
            add(model.score());
        }

        void add(double loss) {
            iteration++;
            if (Double.isFinite(loss)) {
                sum += loss;
                count++;
            }
            if (iteration % every == 0) {
                flush();
            }
        }

        private void flush() {
            if (count > 0) {
                r.trainIterations.add(iteration);
                r.trainBitsPerDim.add((LikelihoodMetrics.nllFromLoss(sum / count) + logScale) / Math.log(2));
            }
            sum = 0;
            count = 0;
        }

        void finish() {
            flush();
            List<Double> y = r.trainBitsPerDim;
            if (!y.isEmpty()) {
                r.finalTrainBitsPerDim = y.get(y.size() - 1);
                r.maxSpike = maxSpike(y);
            }
        }
    }

    /** Largest rise of a curve above its running minimum (0 for a curve that never goes up). */
    static double maxSpike(List<Double> y) {
        double min = Double.POSITIVE_INFINITY;
        double spike = 0;
        for (Double v : y) {
            if (v == null || !Double.isFinite(v)) continue;
            if (Double.isFinite(min)) spike = Math.max(spike, v - min);
            min = Math.min(min, v);
        }
        return spike;
    }
}
