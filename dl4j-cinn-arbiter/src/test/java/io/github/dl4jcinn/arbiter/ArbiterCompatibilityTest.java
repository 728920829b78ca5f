package io.github.dl4jcinn.arbiter;

import io.github.dl4jcinn.arbiter.CinnCandidateConfig.Ablation;
import io.github.dl4jcinn.arbiter.CinnCandidateConfig.Architecture;
import io.github.dl4jcinn.arbiter.CinnCandidateConfig.Downsampling;
import io.github.dl4jcinn.layers.blocks.Clamp;
import io.github.dl4jcinn.zoo.conditioning.ConditioningMode;
import org.deeplearning4j.arbiter.optimize.api.Candidate;
import org.deeplearning4j.arbiter.optimize.api.CandidateGenerator;
import org.deeplearning4j.arbiter.optimize.api.OptimizationResult;
import org.deeplearning4j.arbiter.optimize.api.TaskCreator;
import org.deeplearning4j.arbiter.optimize.api.data.DataProvider;
import org.deeplearning4j.arbiter.optimize.api.data.DataSource;
import org.deeplearning4j.arbiter.optimize.api.score.ScoreFunction;
import org.deeplearning4j.arbiter.optimize.api.termination.MaxCandidatesCondition;
import org.deeplearning4j.arbiter.optimize.api.termination.MaxTimeCondition;
import org.deeplearning4j.arbiter.optimize.config.OptimizationConfiguration;
import org.deeplearning4j.arbiter.optimize.generator.GridSearchCandidateGenerator;
import org.deeplearning4j.arbiter.optimize.generator.RandomSearchGenerator;
import org.deeplearning4j.arbiter.optimize.parameter.integer.IntegerParameterSpace;
import org.deeplearning4j.arbiter.optimize.runner.CandidateInfo;
import org.deeplearning4j.arbiter.optimize.runner.CandidateStatus;
import org.deeplearning4j.arbiter.optimize.runner.IOptimizationRunner;
import org.deeplearning4j.arbiter.optimize.runner.LocalOptimizationRunner;
import org.deeplearning4j.arbiter.optimize.runner.listener.StatusListener;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Arbiter 1.0.0-beta7 running on DL4J/ND4J 1.0.0-M2.1 (its own beta7 dependencies excluded). Fails when that
 * combination breaks: Arbiter's JSON/YAML mappers (M2.1's shaded Jackson), its candidate serialisation, its
 * random and grid generators and its local runner (M2.1's shaded Guava futures), with this module's space.
 */
class ArbiterCompatibilityTest {

    static CinnParameterSpace space() {
        return CinnParameterSpace.builder()
                .architecture(Architecture.MULTISCALE, Architecture.FC)
                .blocks(new IntegerParameterSpace(1, 3))
                .clamp(Clamp.ATAN, Clamp.NONE)
                .clampAlpha(1.5, 1.9)
                .downsampling(Downsampling.values())
                .permutations(true, false)
                .learningRateLogRange(1e-4, 1e-2)
                .batchSize(32, 64)
                .conditioning(ConditioningMode.values())
                .seed(7)
                .nameTemplate("lr={learningRate} blocks={blocks}")
                .build();
    }

    @Test
    void parameterSpaceRoundTripsThroughArbitersJsonAndYaml() {
        CinnParameterSpace s = space();
        new RandomSearchGenerator(s, null); // sets the leaf indices, which are serialised too
        String json = s.toJson();
        CinnParameterSpace fromJson = CinnParameterSpace.fromJson(json);
        CinnParameterSpace fromYaml = CinnParameterSpace.fromYaml(s.toYaml());
        assertThat(fromJson).isEqualTo(s);
        assertThat(fromYaml).isEqualTo(s);
        assertThat(fromJson.toJson()).isEqualTo(json);
        assertThat(fromJson.numParameters()).isEqualTo(s.numParameters()).isEqualTo(9);

        Random rng = new Random(3);
        for (int i = 0; i < 50; i++) {
            double[] v = new double[s.numParameters()];
            for (int j = 0; j < v.length; j++) v[j] = rng.nextDouble();
            CinnCandidateConfig a = s.getValue(v);
            assertThat(fromJson.getValue(v)).isEqualTo(a);
            assertThat(fromYaml.getValue(v)).isEqualTo(a);
            assertThat(a.getSeed()).isEqualTo(7L); // a Long that JSON gives back as Integer still works
        }
    }

    @Test
    void candidateListSpaceRoundTripsThroughJson() {
        CandidateListSpace s = (CandidateListSpace) Presets.create("smoke", Presets.base("smoke"), 0).space();
        new GridSearchCandidateGenerator(s, 2, GridSearchCandidateGenerator.Mode.Sequential, null);
        CandidateListSpace back = CandidateListSpace.fromJson(s.toJson());
        assertThat(back).isEqualTo(s);
        assertThat(back.getValue(new double[]{1.0}).getLearningRate()).isEqualTo(5.0);
    }

    @Test
    void optimizationConfigurationRoundTripsWithTheCinnSpaceScoreAndConditions() {
        Properties p = new SweepSettings(10, 5, 50, 1, null, false).into(new Properties());
        p.setProperty(DigitDataSource.DATASET, "synthetic");
        OptimizationConfiguration c = new OptimizationConfiguration.Builder()
                .candidateGenerator(new RandomSearchGenerator(space(), null))
                .dataSource(DigitDataSource.class, p)
                .scoreFunction(new ValidationBitsPerDimScore())
                .terminationConditions(new MaxCandidatesCondition(4), new GeneratorExhaustedCondition(),
                        new MaxTimeCondition(1, TimeUnit.HOURS))
                .rngSeed(11)
                .build();
        CinnParameterSpace expected = space();
        new RandomSearchGenerator(expected, null); // the same leaf indices
        for (String text : List.of(c.toJson(), c.toYaml())) {
            OptimizationConfiguration back = text.startsWith("{") ? OptimizationConfiguration.fromJson(text)
                    : OptimizationConfiguration.fromYaml(text);
            assertThat(back.getCandidateGenerator().getParameterSpace()).isEqualTo(expected);
            assertThat(back.getScoreFunction()).isEqualTo(new ValidationBitsPerDimScore());
            assertThat(back.getDataSource()).isEqualTo(DigitDataSource.class);
            assertThat(back.getDataSourceProperties()).isEqualTo(p);
            assertThat(back.getTerminationConditions()).hasSize(3);
            assertThat(back.getTerminationConditions().get(1)).isInstanceOf(GeneratorExhaustedCondition.class);
        }
    }

    @Test
    void randomSearchRunsEndToEndWithTheLocalRunner() {
        List<OptimizationResult> done = new ArrayList<>();
        IOptimizationRunner runner = run(new RandomSearchGenerator(space(), null), 6, done);
        // two candidates run at once, so one more than the limit may already be under way when it is reached
        assertThat(runner.numCandidatesCompleted()).isBetween(6, 7);
        // the task tells the listener before it returns its result to the runner (Arbiter's BaseOptimizationRunner
        // counts a candidate only when it processes the returned future), so the listener may have heard of the
        // in-flight candidate the runner never counted, never fewer than the runner counted
        assertThat(done.size()).isBetween(runner.numCandidatesCompleted(), 7);
        assertThat(runner.numCandidatesFailed()).isZero();
        double best = done.stream().mapToDouble(OptimizationResult::getScore).min().orElseThrow();
        assertThat(runner.bestScore()).isLessThanOrEqualTo(best);
        Set<CinnCandidateConfig> distinct = new HashSet<>();
        for (OptimizationResult r : done) distinct.add((CinnCandidateConfig) r.getCandidate().getValue());
        assertThat(distinct).hasSizeGreaterThan(1);
    }

    @Test
    void gridSearchVisitsEveryPointOnceEvenWithFixedValuesBetweenTheLeaves() {
        // fixed values sit between the varied leaves: Arbiter's grid gives one-value leaves no coordinate, so they
        // must not be one-value discrete spaces (CinnParameterSpace uses FixedValue for them)
        CinnParameterSpace s = CinnParameterSpace.builder()
                .ablation(Ablation.NONE, Ablation.NO_CLAMP, Ablation.NO_NOISE)
                .blocks(2)
                .learningRate(1e-4, 1e-3)
                .batchSize(64)
                .seed(3, 4)
                .build();
        assertThat(s.gridSize(2)).isEqualTo(12);
        GridSearchCandidateGenerator grid = new GridSearchCandidateGenerator(s, 2,
                GridSearchCandidateGenerator.Mode.Sequential, null);
        List<OptimizationResult> done = new ArrayList<>();
        IOptimizationRunner runner = run(grid, 100, done);
        assertThat(runner.numCandidatesCompleted()).isEqualTo(12);
        Set<String> seen = new HashSet<>();
        for (OptimizationResult r : done) {
            CinnCandidateConfig c = (CinnCandidateConfig) r.getCandidate().getValue();
            assertThat(c.getBlocks()).isEqualTo(2);
            assertThat(c.getBatchSize()).isEqualTo(64);
            seen.add(c.getAblation() + "/" + c.getLearningRate() + "/" + c.getSeed());
        }
        assertThat(seen).hasSize(12);
    }

    /** Runs Arbiter's local runner with a task creator that scores configurations without training. */
    private static IOptimizationRunner run(CandidateGenerator generator, int maxCandidates,
                                           List<OptimizationResult> done) {
        OptimizationConfiguration conf = new OptimizationConfiguration.Builder()
                .candidateGenerator(generator)
                .dataSource(DigitDataSource.class, new Properties())
                .scoreFunction(new ValidationBitsPerDimScore())
                .terminationConditions(new MaxCandidatesCondition(maxCandidates), new GeneratorExhaustedCondition(),
                        new MaxTimeCondition(2, TimeUnit.MINUTES))
                .rngSeed(5)
                .build();
        LocalOptimizationRunner runner = new LocalOptimizationRunner(2, conf, new AnalyticTaskCreator());
        runner.addListeners(new StatusListener() {
            public void onInitialization(IOptimizationRunner r) {}
            public void onShutdown(IOptimizationRunner r) {}
            public void onRunnerStatusChange(IOptimizationRunner r) {}
            public void onCandidateIteration(CandidateInfo i, Object c, int it) {}
            public void onCandidateStatusChange(CandidateInfo i, IOptimizationRunner r, OptimizationResult res) {
                if (res != null) {
                    synchronized (done) {
                        done.add(res);
                    }
                }
            }
        });
        runner.execute();
        return runner;
    }

    /** Score = distance of log10(lr) from -3 plus blocks/10: no training, just the Arbiter machinery. */
    static final class AnalyticTaskCreator implements TaskCreator {
        @Override
        public Callable<OptimizationResult> create(Candidate c, DataProvider d, ScoreFunction s,
                                                   List<StatusListener> l, IOptimizationRunner r) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Callable<OptimizationResult> create(Candidate candidate, Class<? extends DataSource> ds, Properties p,
                                                   ScoreFunction s, List<StatusListener> listeners,
                                                   IOptimizationRunner runner) {
            return () -> {
                CinnCandidateConfig c = (CinnCandidateConfig) candidate.getValue();
                double score = Math.abs(Math.log10(c.getLearningRate()) + 3) + c.getBlocks() / 10.0;
                long now = System.currentTimeMillis();
                CandidateInfo info = new CandidateInfo(candidate.getIndex(), CandidateStatus.Complete, score, now,
                        now, now, candidate.getFlatParameters(), null);
                OptimizationResult res = new OptimizationResult(candidate, score, candidate.getIndex(), null, info,
                        null);
                for (StatusListener l : listeners) l.onCandidateStatusChange(info, runner, res);
                return res;
            };
        }
    }
}
