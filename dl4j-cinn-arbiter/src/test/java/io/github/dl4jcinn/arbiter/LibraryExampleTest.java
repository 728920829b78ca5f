package io.github.dl4jcinn.arbiter;

import io.github.dl4jcinn.layers.blocks.Clamp;
import org.deeplearning4j.arbiter.optimize.api.CandidateGenerator;
import org.deeplearning4j.arbiter.optimize.api.termination.MaxCandidatesCondition;
import org.deeplearning4j.arbiter.optimize.config.OptimizationConfiguration;
import org.deeplearning4j.arbiter.optimize.generator.GridSearchCandidateGenerator;
import org.deeplearning4j.arbiter.optimize.parameter.integer.IntegerParameterSpace;
import org.deeplearning4j.arbiter.optimize.runner.LocalOptimizationRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** The library example of README-arbiter.md, shrunk to seconds (generated data, 3 iterations, 2 x 2 grid). */
class LibraryExampleTest {

    @Test
    void readmeLibraryExampleRunsAGridThroughArbiter(@TempDir Path dir) {
        CinnParameterSpace space = CinnParameterSpace.builder()
                .architecture(CinnCandidateConfig.Architecture.MULTISCALE)
                .blocks(new IntegerParameterSpace(1, 2))
                .fcBlocks(1).fcWidth(16)
                .clamp(Clamp.ATAN)
                .learningRateLogRange(1e-4, 1e-2)
                .nameTemplate("lr={learningRate} blocks={blocks}")
                .build();
        assertThat(CinnParameterSpace.fromJson(space.toJson()).toJson()).isEqualTo(space.toJson());
        CandidateGenerator gen = new GridSearchCandidateGenerator(space, 2,
                GridSearchCandidateGenerator.Mode.Sequential, null);
        Properties p = new SweepSettings(3, 3, 32, 1, dir.toString(), true).into(new Properties());
        p.setProperty(DigitDataSource.DATASET, "synthetic");
        p.setProperty(DigitDataSource.TRAIN_EXAMPLES, "256");
        p.setProperty(DigitDataSource.VALIDATION_EXAMPLES, "64");
        OptimizationConfiguration conf = new OptimizationConfiguration.Builder()
                .candidateGenerator(gen)
                .dataSource(DigitDataSource.class, p)
                .scoreFunction(new ValidationBitsPerDimScore())
                .terminationConditions(new MaxCandidatesCondition(4), new GeneratorExhaustedCondition())
                .build();
        LocalOptimizationRunner runner = new LocalOptimizationRunner(1, conf, new CinnTaskCreator());
        runner.execute();

        assertThat(runner.numCandidatesCompleted()).isEqualTo(4);
        List<CandidateResult> all = SweepResults.forDirectory(dir).all();
        assertThat(all).extracting(r -> r.name)
                .containsExactly("lr=1e-4 blocks=1", "lr=1e-4 blocks=2", "lr=1e-2 blocks=1", "lr=1e-2 blocks=2");
        assertThat(all).allSatisfy(r -> assertThat(r.completed()).isTrue());
        assertThat(runner.bestScore()).isEqualTo(all.stream().mapToDouble(r -> r.score).min().orElseThrow());
        SweepResults.close(dir);
    }
}
