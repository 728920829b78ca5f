package io.github.dl4jcinn.zoo.parallel;

import io.github.dl4jcinn.zoo.data.ConditionalImageIterator;
import io.github.dl4jcinn.zoo.data.LabeledImages;
import io.github.dl4jcinn.zoo.data.NoiseAugmentation;
import io.github.dl4jcinn.zoo.models.MnistCinn;
import io.github.dl4jcinn.zoo.report.Json;
import io.github.dl4jcinn.zoo.testing.SyntheticDigits;
import io.github.dl4jcinn.zoo.training.Checkpoints;
import io.github.dl4jcinn.zoo.training.CinnTrainer;
import io.github.dl4jcinn.zoo.training.NonFiniteTrainingException;
import io.github.dl4jcinn.zoo.training.TrainingResult;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * {@code CinnTrainer.workers(2)} on the CPU backend: the MNIST cINN (tiny preset) trains with two replicas averaged
 * every round, the replicas agree vertex by vertex, the run saves, reloads and resumes at the exact batch.
 */
// A worker that dies inside ParallelWrapper can leave the dispatcher waiting: fail instead of hanging the build.
@Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CinnTrainerWorkersTest {

    private static final LabeledImages TRAIN = SyntheticDigits.make(208, 1);
    private static final int BATCH = 16;             // 13 batches per epoch: rounds of 2, 2, 2, 2, 2, 2, 1
    private static final int ROUNDS_PER_EPOCH = 7;   // ceil(13 / 2)
    private static final int EPOCHS = 3;

    private static ConditionalImageIterator iterator(long seed) {
        return ConditionalImageIterator.builder(TRAIN).batchSize(BATCH).shuffle(seed)
                .preProcessor(NoiseAugmentation.gaussian(0.02, seed)).build();
    }

    private static ComputationGraph tiny() {
        return MnistCinn.tiny().learningRate(3e-3).finalLearningRate(1e-3).decayIterations(EPOCHS * ROUNDS_PER_EPOCH)
                .init();
    }

    @Test
    void twoWorkersTrainAverageEveryRoundAndSaveAModelThatReloads(@TempDir Path dir) throws Exception {
        ComputationGraph graph = tiny();
        ReplicaProbe.Snapshot initial = new ReplicaProbe.Snapshot(graph);
        ReplicaProbe probe = new ReplicaProbe();

        TrainingResult r = CinnTrainer.builder().workers(2).epochs(EPOCHS).logEvery(4).outputDir(dir).seed(3)
                .listener(probe).build().fit(graph, iterator(3));

        // an iteration is a round: ceil(13 / 2) per epoch; every batch and example was used once per epoch
        assertThat(r.state().iteration).isEqualTo(EPOCHS * ROUNDS_PER_EPOCH);
        assertThat(graph.getIterationCount()).isEqualTo(EPOCHS * ROUNDS_PER_EPOCH);
        assertThat(graph.getEpochCount()).isEqualTo(EPOCHS);
        assertThat(r.state().batchesSeen).isEqualTo(EPOCHS * 13L);
        assertThat(r.state().samplesSeen).isEqualTo(EPOCHS * 208L);

        // a curve point per chunk (4 + 3 rounds per epoch); the loss of the last chunk is well below the first's
        List<Double> loss = r.state().curveLoss;
        assertThat(r.state().curveIterations).containsExactly(4, 7, 11, 14, 18, 21);
        assertThat(loss).allMatch(Double::isFinite);
        assertThat(loss.get(loss.size() - 1)).as("chunk losses %s", loss).isLessThan(loss.get(0) - 0.1);

        assertReplicasAgreeAfterEveryRound(probe, graph);
        assertEveryVertexChanged(initial, new ReplicaProbe.Snapshot(graph));

        Map<String, Object> m = Json.readMap(dir.resolve(CinnTrainer.METRICS));
        assertThat(m).containsEntry("workers", 2).containsEntry("parallelMode", "AVERAGING")
                .containsEntry("iterations", EPOCHS * ROUNDS_PER_EPOCH);
        ComputationGraph reloaded = ModelSerializer.restoreComputationGraph(
                dir.resolve(CinnTrainer.FINAL_MODEL).toFile(), true);
        assertThat(mismatches(reloaded.params(), graph.params())).as("reloaded parameters").isZero();
        assertThat(mismatches(reloaded.getUpdater().getStateViewArray(), graph.getUpdater().getStateViewArray()))
                .as("reloaded Adam state").isZero();
        assertThat(reloaded.getIterationCount()).isEqualTo(EPOCHS * ROUNDS_PER_EPOCH);
    }

    @Test
    void resumeAfterAnInterruptionMatchesAnUninterruptedRun(@TempDir Path dir) throws Exception {
        INDArray uninterrupted = CinnTrainer.builder().workers(2).epochs(2).logEvery(3).seed(5).build()
                .fit(tiny(), iterator(5)).graph().params().dup();

        Path run = dir.resolve("run");
        RuntimeException crash = new RuntimeException("simulated crash");
        CinnTrainer interrupted = CinnTrainer.builder().workers(2).epochs(2).logEvery(3).seed(5).outputDir(run)
                .checkpointEvery(5)
                .afterIteration((g, s) -> {
                    if (s.iteration == 13) throw crash; // epoch 1 after 6 rounds; last checkpoint at iteration 10
                })
                .build();
        assertThatThrownBy(() -> interrupted.fit(tiny(), iterator(5))).isSameAs(crash);
        // chunks of 3, 3, 1 rounds: the checkpoint passing iteration 10 was taken after the chunk ending at 10
        assertThat(Json.readMap(run.resolve(Checkpoints.SIDECAR))).containsEntry("iteration", 10)
                .containsEntry("epoch", 1).containsEntry("batchInEpoch", 6).containsEntry("batchesSeen", 19);

        TrainingResult resumed = CinnTrainer.builder().workers(2).epochs(2).logEvery(3).seed(5).outputDir(run)
                .resume(true).build().fit(() -> {
                    throw new AssertionError("must resume, not build a new graph");
                }, iterator(5));
        assertThat(resumed.metrics().get("resumedFromIteration")).isEqualTo(10);
        assertThat(resumed.state().iteration).isEqualTo(2 * ROUNDS_PER_EPOCH);
        assertThat(resumed.state().batchesSeen).isEqualTo(2 * 13L);
        // same batches in the same rounds, same noise, same Adam state: it ends where the uninterrupted run did
        assertThat(resumed.graph().params().sub(uninterrupted).amaxNumber().doubleValue()).isLessThan(1e-5);
    }

    @Test
    void aNonFiniteParameterOnTheReplicasStopsTrainingWithTheClearException() {
        ComputationGraph g = tiny();
        CinnTrainer trainer = CinnTrainer.builder().workers(2).epochs(1).logEvery(2)
                .afterIteration((graph, s) -> {
                    if (s.iteration == 2) {
                        graph.getVertex("cc2").paramTable(false).get("s1W0").putScalar(0, 3, Double.NaN);
                    }
                }).build();
        // the replicas of the next chunk copy the bad parameter; a worker's guard throws inside ParallelWrapper
        NonFiniteTrainingException e = catchThrowableOfType(() -> trainer.fit(g, iterator(1)),
                NonFiniteTrainingException.class);
        assertThat(e).isNotNull();
        assertThat(e.iteration()).isEqualTo(2);
        assertThat(e.culprit()).isEqualTo("cc2");
    }

    /** Every round with two batches was trained by two distinct replicas that started it with identical state. */
    private static void assertReplicasAgreeAfterEveryRound(ReplicaProbe probe, ComputationGraph graph) {
        Map<Integer, List<ReplicaProbe.Snapshot>> rounds = probe.byIteration();
        assertThat(rounds).hasSize(EPOCHS * ROUNDS_PER_EPOCH);
        assertThat(probe.models()).as("the graph plus a fresh replica per chunk").hasSize(1 + 2 * EPOCHS)
                .anyMatch(model -> model == graph);
        int fullRounds = 0;
        for (Map.Entry<Integer, List<ReplicaProbe.Snapshot>> round : rounds.entrySet()) {
            List<ReplicaProbe.Snapshot> replicas = round.getValue();
            boolean lastOfEpoch = round.getKey() % ROUNDS_PER_EPOCH == ROUNDS_PER_EPOCH - 1;
            assertThat(replicas).as("replicas in round %d", round.getKey()).hasSize(lastOfEpoch ? 1 : 2);
            if (replicas.size() < 2) {
                continue; // the 13th batch of an epoch: worker 0 alone
            }
            fullRounds++;
            ReplicaProbe.Snapshot a = replicas.get(0);
            ReplicaProbe.Snapshot b = replicas.get(1);
            assertThat(a.model).isNotSameAs(b.model);
            assertThat(a.vertexParams.keySet()).containsExactly("cc0", "cc1", "cc2", "cc3");
            for (String v : a.vertexParams.keySet()) {
                for (String p : a.vertexParams.get(v).keySet()) {
                    assertThat(mismatches(a.vertexParams.get(v).get(p), b.vertexParams.get(v).get(p)))
                            .as("%s.%s at iteration %d: elements where the replicas disagree", v, p, round.getKey())
                            .isZero();
                }
                assertThat(a.vertexGradNorms.get(v)).as("gradient of %s", v).isPositive();
                assertThat(b.vertexGradNorms.get(v)).as("gradient of %s", v).isPositive();
            }
            assertThat(mismatches(a.updaterState, b.updaterState))
                    .as("Adam state at iteration %d: elements where the replicas disagree", round.getKey()).isZero();
        }
        assertThat(fullRounds).isEqualTo(EPOCHS * (ROUNDS_PER_EPOCH - 1));
    }

    private static int mismatches(INDArray a, INDArray b) {
        return ReplicaProbe.bitMismatches(a.ravel().toFloatVector(), b.ravel().toFloatVector());
    }

    private static void assertEveryVertexChanged(ReplicaProbe.Snapshot initial, ReplicaProbe.Snapshot trained) {
        assertThat(trained.vertexParams.keySet()).isEqualTo(initial.vertexParams.keySet()).isNotEmpty();
        for (String v : initial.vertexParams.keySet()) {
            for (String p : initial.vertexParams.get(v).keySet()) {
                INDArray before = initial.vertexParams.get(v).get(p);
                INDArray after = trained.vertexParams.get(v).get(p);
                assertThat(after.sub(before).norm2Number().doubleValue()).as("%s.%s changed", v, p)
                        .isGreaterThan(1e-4);
            }
        }
    }
}
