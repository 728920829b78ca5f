package io.github.dl4jcinn.zoo.training;

import io.github.dl4jcinn.layers.blocks.Clamp;
import io.github.dl4jcinn.zoo.data.ConditionalImageIterator;
import io.github.dl4jcinn.zoo.data.LabeledImages;
import io.github.dl4jcinn.zoo.data.NoiseAugmentation;
import io.github.dl4jcinn.zoo.models.MnistCinn;
import io.github.dl4jcinn.zoo.report.Json;
import io.github.dl4jcinn.zoo.testing.SyntheticDigits;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class CinnTrainerTest {

    private static final LabeledImages TRAIN = SyntheticDigits.make(160, 1);
    private static final LabeledImages TEST = SyntheticDigits.make(60, 2);

    private static ConditionalImageIterator iterator(long seed) {
        return ConditionalImageIterator.builder(TRAIN).batchSize(32).shuffle(seed)
                .preProcessor(NoiseAugmentation.gaussian(0.02, seed)).build();
    }

    private static ComputationGraph tiny() {
        return MnistCinn.tiny().learningRate(1e-3).finalLearningRate(1e-4).decayIterations(100).init();
    }

    @Test
    void shortRunLowersTheLossAndWritesMetricsCurveAndModel(@TempDir Path dir) throws Exception {
        TrainingResult r = CinnTrainer.builder().epochs(3).logEvery(5).outputDir(dir).seed(4)
                .testSet(TEST, 10).testExamplesPerEpoch(30).samplingBenchmark(20).info("dataset", "synthetic")
                .build().fit(tiny(), iterator(4));

        List<Double> loss = r.state().curveLoss;
        assertThat(loss).hasSize(3); // 15 iterations, a point every 5
        assertThat(loss.get(2)).isLessThan(loss.get(0) - 0.05);
        assertThat(r.state().iteration).isEqualTo(15);
        assertThat(r.state().testBitsPerDim).hasSize(3);
        assertThat(r.state().testBitsPerDim.get(2)).isLessThan(r.state().testBitsPerDim.get(0));

        Map<String, Object> m = Json.readMap(dir.resolve(CinnTrainer.METRICS));
        assertThat(m).containsKeys("testBitsPerDim", "testNllNatsPerDim", "trainSamplesPerSecond",
                "samplingSamplesPerSecond", "epochs", "wallSecondsThisProcess", "parameters", "peakHeapMiB",
                "peakRssMiB", "dataset");
        assertThat(((Number) m.get("epochs")).intValue()).isEqualTo(3);
        assertThat(((Number) m.get("parameters")).longValue()).isEqualTo(MnistCinn.tiny().build().parameterCount());
        assertThat(((Number) m.get("testBitsPerDim")).doubleValue()).isBetween(0.0, 16.0);
        assertThat(((Number) m.get("samplingSamplesPerSecond")).doubleValue()).isPositive();
        BufferedImage curve = ImageIO.read(dir.resolve(CinnTrainer.CURVE).toFile());
        assertThat(curve.getWidth()).isEqualTo(800);
        assertThat(Files.size(dir.resolve(CinnTrainer.FINAL_MODEL))).isPositive();
        assertThat(Files.exists(dir.resolve(Checkpoints.MODEL))).isTrue();
        assertThat(Json.readMap(dir.resolve(Checkpoints.SIDECAR))).containsEntry("iteration", 15);
    }

    @Test
    void resumeAfterAnInterruptionContinuesAtTheSavedIterationAndMatchesAnUninterruptedRun(@TempDir Path dir)
            throws Exception {
        CinnTrainer.Builder common = CinnTrainer.builder().epochs(2).logEvery(100).seed(7);
        INDArray uninterrupted = common.build().fit(tiny(), iterator(7)).graph().params().dup();

        Path runDir = dir.resolve("run");
        RuntimeException crash = new RuntimeException("simulated crash");
        CinnTrainer interrupted = CinnTrainer.builder().epochs(2).logEvery(100).seed(7).outputDir(runDir)
                .checkpointEvery(3)
                .afterIteration((g, s) -> {
                    if (s.iteration == 7) throw crash; // epoch 1, batch 2; last checkpoint at iteration 6
                })
                .build();
        assertThatThrownBy(() -> interrupted.fit(tiny(), iterator(7))).isSameAs(crash);
        assertThat(Json.readMap(runDir.resolve(Checkpoints.SIDECAR))).containsEntry("iteration", 6)
                .containsEntry("epoch", 1).containsEntry("batchInEpoch", 1);

        int[] firstIteration = {-1};
        TrainingResult resumed = CinnTrainer.builder().epochs(2).logEvery(100).seed(7).outputDir(runDir).resume(true)
                .afterIteration((g, s) -> {
                    if (firstIteration[0] < 0) firstIteration[0] = s.iteration;
                })
                .build().fit(() -> {
                    throw new AssertionError("must resume, not build a new graph");
                }, iterator(7));
        assertThat(resumed.metrics().get("resumedFromIteration")).isEqualTo(6);
        assertThat(firstIteration[0]).isEqualTo(7);
        assertThat(resumed.state().iteration).isEqualTo(10);
        assertThat(resumed.graph().getEpochCount()).isEqualTo(2);
        // same batches, same noise, same Adam state: the resumed run ends where the uninterrupted one did
        double diff = resumed.graph().params().sub(uninterrupted).amaxNumber().doubleValue();
        assertThat(diff).isLessThan(1e-5);
    }

    @Test
    void injectedNanStopsTrainingNamingIterationAndVertex() {
        ComputationGraph g = tiny();
        CinnTrainer trainer = CinnTrainer.builder().epochs(1).logEvery(100)
                .afterIteration((graph, s) -> {
                    if (s.iteration == 2) graph.getVertex("cc2").paramTable(false).get("s1W0").putScalar(0, 3,
                            Double.NaN);
                }).build();
        NonFiniteTrainingException e = catchThrowableOfType(() -> trainer.fit(g, iterator(1)),
                NonFiniteTrainingException.class);
        assertThat(e).isNotNull();
        assertThat(e.iteration()).isEqualTo(2);
        assertThat(e.firstBadParameterVertex()).isEqualTo("cc2");
        assertThat(e.culprit()).isEqualTo("cc2");
        assertThat(e.getMessage()).contains("iteration 2", "'cc2'");
        // the bad update was not applied: every other vertex is still finite
        assertThat(NonFiniteGuard.allFinite(g.getVertex("cc1").params())).isTrue();
    }

    @Test
    void absurdLearningRateGivesTheClearExceptionInsteadOfSilentNan() {
        ComputationGraph g = MnistCinn.tiny().clamp(Clamp.NONE).learningRate(1e4).finalLearningRate(1e4).init();
        CinnTrainer trainer = CinnTrainer.builder().epochs(20).logEvery(1000).build();
        NonFiniteTrainingException e = catchThrowableOfType(() -> trainer.fit(g, iterator(2)),
                NonFiniteTrainingException.class);
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("Non-finite training state at iteration " + e.iteration());
        assertThat(e.culprit()).matches("cc\\d+|perm\\d+|nll|x_flow");
    }

    @Test
    void allFiniteDetectsNanAndBothInfinities() {
        INDArray a = org.nd4j.linalg.factory.Nd4j.createFromArray(1f, 2f, 3f);
        assertThat(NonFiniteGuard.allFinite(a)).isTrue();
        for (float bad : new float[]{Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            INDArray b = a.dup();
            b.putScalar(1, bad);
            assertThat(NonFiniteGuard.allFinite(b)).isFalse();
            assertThat(NonFiniteGuard.allFiniteExact(b)).isFalse();
        }
        // the quick sum overflows although every value is finite
        INDArray big = org.nd4j.linalg.factory.Nd4j.createFromArray(3e38f, 3e38f);
        assertThat(NonFiniteGuard.allFinite(big)).isTrue();
    }
}
