package io.github.dl4jcinn.zoo.parallel;

import io.github.dl4jcinn.layers.inverse.CinnInverse;
import io.github.dl4jcinn.zoo.parallel.ParallelCinnTraining.Mode;
import io.github.dl4jcinn.zoo.parallel.ParallelCinnTraining.Result;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ParallelWrapper on the CPU backend with 2 workers: training progresses, every cINN vertex (both runtimes) is
 * replicated, updated and kept identical across the replicas, and the result saves, reloads and samples.
 */
// A worker that dies inside DL4J's gradient accumulator can leave the others waiting forever: fail instead.
@Timeout(value = 4, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ParallelCinnTrainingTest {

    private static final int EXAMPLES = 1536;
    private static final int BATCH = 64; // 24 minibatches: 12 rounds of 2 workers per epoch
    private static final int EPOCHS = 3;

    @Test
    void averagingTrainsAndKeepsEveryVertexIdenticalAcrossWorkers(@TempDir Path dir) throws Exception {
        ComputationGraph graph = new ComputationGraph(MixtureData.graph(11));
        graph.init();
        Map<String, Map<String, INDArray>> initial = cinnVertexParams(graph);
        ReplicaProbe probe = new ReplicaProbe();

        Result r = ParallelCinnTraining.builder().workers(2).epochs(EPOCHS).mode(Mode.AVERAGING).listeners(probe).build()
                .fit(graph, MixtureData.iterator(EXAMPLES, BATCH, 5));

        assertTrains(r, 0.5);
        assertThat(probe.epochEnds()).hasSize(EPOCHS).allMatch(m -> m == graph);
        assertThat(graph.getEpochCount()).isEqualTo(EPOCHS);
        Map<Integer, List<ReplicaProbe.Snapshot>> rounds = probe.byIteration();
        assertThat(rounds).hasSize(EPOCHS * EXAMPLES / BATCH / 2);
        assertEveryRoundHasTwoReplicas(probe, graph, rounds);
        for (Map.Entry<Integer, List<ReplicaProbe.Snapshot>> round : rounds.entrySet()) {
            ReplicaProbe.Snapshot a = round.getValue().get(0);
            ReplicaProbe.Snapshot b = round.getValue().get(1);
            assertSameVertexParams(round.getKey(), a, b);
            assertThat(a.updaterState.ravel().toFloatVector()).as("Adam state at iteration %d", round.getKey())
                    .containsExactly(b.updaterState.ravel().toFloatVector());
        }
        assertEveryVertexChangedAndGotGradients(initial, rounds, graph);
        assertUpdaterCoversEveryVertex(graph);
        assertReplicaAsTheWrapperBuildsItComputesTheSame(graph);
        assertSavesReloadsAndSamples(graph, dir.resolve("parallel.zip").toFile());
    }

    @Test
    void sharedGradientsTrainsAndKeepsEveryVertexIdenticalAcrossWorkers() {
        ComputationGraph graph = new ComputationGraph(MixtureData.graph(12));
        graph.init();
        Map<String, Map<String, INDArray>> initial = cinnVertexParams(graph);
        ReplicaProbe probe = new ReplicaProbe();

        Result r = ParallelCinnTraining.builder().workers(2).epochs(EPOCHS).mode(Mode.SHARED_GRADIENTS).listeners(probe)
                .build().fit(graph, MixtureData.iterator(EXAMPLES, BATCH, 6));

        // Threshold encoding sends only a small fraction of each update per step, so on the same budget this mode
        // learns far more slowly than averaging (measured epoch means: 1.17, 1.01, 0.87 against 0.40, 0.10, -0.03).
        assertTrains(r, 0.15);
        Map<Integer, List<ReplicaProbe.Snapshot>> rounds = probe.byIteration();
        assertEveryRoundHasTwoReplicas(probe, graph, rounds);
        for (Map.Entry<Integer, List<ReplicaProbe.Snapshot>> round : rounds.entrySet()) {
            // every replica applies the same encoded updates of all workers (each keeps its own Adam state)
            assertSameVertexParams(round.getKey(), round.getValue().get(0), round.getValue().get(1));
        }
        assertEveryVertexChangedAndGotGradients(initial, rounds, graph);
    }

    /** Control: with averaging every second round the probe must see the replicas disagree after the other rounds. */
    @Test
    void probeDetectsReplicasThatWereNotAveraged() {
        ComputationGraph graph = new ComputationGraph(MixtureData.graph(14));
        graph.init();
        ReplicaProbe probe = new ReplicaProbe();
        ParallelCinnTraining.builder().workers(2).epochs(1).averagingFrequency(2).listeners(probe).build()
                .fit(graph, MixtureData.iterator(512, BATCH, 8));
        for (Map.Entry<Integer, List<ReplicaProbe.Snapshot>> round : probe.byIteration().entrySet()) {
            ReplicaProbe.Snapshot a = round.getValue().get(0);
            ReplicaProbe.Snapshot b = round.getValue().get(1);
            for (String v : a.vertexParams.keySet()) {
                boolean same = a.vertexParams.get(v).keySet().stream().allMatch(p -> Arrays.equals(
                        a.vertexParams.get(v).get(p).ravel().toFloatVector(),
                        b.vertexParams.get(v).get(p).ravel().toFloatVector()));
                assertThat(same).as("%s at iteration %d", v, round.getKey()).isEqualTo(round.getKey() % 2 == 0);
            }
        }
    }

    @Test
    void oneWorkerIsPlainFit() {
        ComputationGraph graph = new ComputationGraph(MixtureData.graph(13));
        graph.init();
        Result r = ParallelCinnTraining.fit(graph, MixtureData.iterator(EXAMPLES, BATCH, 7), 1, EPOCHS, Mode.AVERAGING);
        assertTrains(r, 0.5);
        assertThat(graph.getEpochCount()).isEqualTo(EPOCHS);
        assertThat(graph.getListeners()).isEmpty();
    }

    @Test
    void fitPassTrainsWhatTheIteratorHasLeftWithoutEpochBookkeeping() {
        for (int workers : new int[]{1, 2}) {
            ComputationGraph graph = new ComputationGraph(MixtureData.graph(15));
            graph.init();
            MixtureData.ListIterator data = new MixtureData.ListIterator(MixtureData.batches(640, BATCH, 9));
            for (int i = 0; i < 3; i++) {
                data.next(); // the caller's own position: 7 of 10 batches are left
            }
            Result r = ParallelCinnTraining.builder().workers(workers).epochs(5).build().fitPass(graph, data);

            assertThat(data.hasNext()).as("%d worker(s): no reset, every batch left used once", workers).isFalse();
            assertThat(r.scores()).hasSize(7).allMatch(Double::isFinite);
            assertThat(r.examples()).isEqualTo(7L * BATCH);
            assertThat(r.epochs()).isZero();
            assertThat(r.epochMeanScores()).isEmpty();
            assertThat(graph.getIterationCount()).as("rounds with %d worker(s)", workers).isEqualTo((7 + workers - 1)
                    / workers);
            assertThat(graph.getEpochCount()).isZero();
            assertThat(graph.getListeners()).isEmpty();
        }
    }

    // ---- checks ----

    /** The loss (nats per dimension) starts near 1.25 for this data and an identity flow; the optimum is -0.19. */
    private static void assertTrains(Result r, double minimumDrop) {
        assertThat(r.examples()).isEqualTo((long) EPOCHS * EXAMPLES);
        assertThat(r.scores()).hasSize(EPOCHS * EXAMPLES / BATCH).allMatch(Double::isFinite);
        assertThat(r.epochMeanScores()).hasSize(EPOCHS);
        assertThat(r.meanOfLast(6)).as("loss falls: %s", r.scores()).isLessThan(r.meanOfFirst(6) - minimumDrop);
        for (int e = 1; e < EPOCHS; e++) {
            assertThat(r.epochMeanScores().get(e)).isLessThan(r.epochMeanScores().get(e - 1));
        }
    }

    /** Two distinct replicas per round; worker 0 is the graph itself, the other a fresh copy per epoch. */
    private static void assertEveryRoundHasTwoReplicas(ReplicaProbe probe, ComputationGraph graph,
                                                       Map<Integer, List<ReplicaProbe.Snapshot>> rounds) {
        List<Object> models = probe.models();
        assertThat(models).hasSize(EPOCHS + 1).anyMatch(m -> m == graph);
        for (Map.Entry<Integer, List<ReplicaProbe.Snapshot>> round : rounds.entrySet()) {
            assertThat(round.getValue()).as("replicas at iteration %d", round.getKey()).hasSize(2);
            assertThat(round.getValue().get(0).model).isNotSameAs(round.getValue().get(1).model);
            for (ReplicaProbe.Snapshot s : round.getValue()) {
                // both runtimes are present on every replica, with the same vertices as the original
                assertThat(s.vertexParams.keySet()).containsExactly("an0", "cc1", "cc2", "cc3");
                assertThat(s.runtimes).containsEntry("an0", "CorrectedSameDiffGraphVertex")
                        .containsEntry("cc1", "EagerGraphVertex")
                        .containsEntry("cc2", "CorrectedSameDiffGraphVertex")
                        .containsEntry("cc3", "EagerGraphVertex");
            }
        }
    }

    private static void assertSameVertexParams(int iteration, ReplicaProbe.Snapshot a, ReplicaProbe.Snapshot b) {
        for (String v : a.vertexParams.keySet()) {
            for (String p : a.vertexParams.get(v).keySet()) {
                assertThat(a.vertexParams.get(v).get(p).ravel().toFloatVector())
                        .as("%s.%s at iteration %d: replicas disagree", v, p, iteration)
                        .containsExactly(b.vertexParams.get(v).get(p).ravel().toFloatVector());
            }
        }
    }

    private static void assertEveryVertexChangedAndGotGradients(Map<String, Map<String, INDArray>> initial,
                                                                Map<Integer, List<ReplicaProbe.Snapshot>> rounds,
                                                                ComputationGraph trained) {
        int last = ((TreeMap<Integer, ?>) new TreeMap<>(rounds)).lastKey();
        Map<String, Map<String, INDArray>> end = cinnVertexParams(trained);
        for (String v : initial.keySet()) {
            for (String p : initial.get(v).keySet()) {
                assertThat(end.get(v).get(p).sub(initial.get(v).get(p)).norm2Number().doubleValue())
                        .as("%s.%s changed by training", v, p).isGreaterThan(1e-4);
                // and it had changed already in what every replica started the last round with
                for (ReplicaProbe.Snapshot s : rounds.get(last)) {
                    assertThat(s.vertexParams.get(v).get(p).equalsWithEps(initial.get(v).get(p), 1e-7))
                            .as("%s.%s changed on every replica", v, p).isFalse();
                }
            }
            for (ReplicaProbe.Snapshot s : rounds.get(last)) {
                assertThat(s.vertexGradNorms.get(v)).as("gradient of %s on a replica", v).isGreaterThan(0.0);
            }
        }
    }

    /** Every parameter of every cINN vertex is in an updater block (so its Adam state is averaged too). */
    private static void assertUpdaterCoversEveryVertex(ComputationGraph graph) {
        Set<String> covered = new HashSet<>();
        for (UpdaterBlock block : graph.getUpdater().getUpdaterBlocks()) {
            for (UpdaterBlock.ParamState ps : block.getLayersAndVariablesInBlock()) {
                covered.add(ps.getLayer().getConfig().getLayerName() + "." + ps.getParamName());
            }
        }
        Set<String> expected = new TreeSet<>();
        cinnVertexParams(graph).forEach((v, ps) -> ps.keySet().forEach(p -> expected.add(v + "." + p)));
        assertThat(covered).containsAll(expected);
    }

    /** ParallelWrapper's replica recipe (DefaultTrainer): JSON configuration, init, flat parameter vector. */
    private static void assertReplicaAsTheWrapperBuildsItComputesTheSame(ComputationGraph graph) {
        ComputationGraph replica = new ComputationGraph(
                ComputationGraphConfiguration.fromJson(graph.getConfiguration().toJson()));
        replica.init();
        replica.setParams(graph.params().dup());
        replica.getUpdater().setStateViewArray(graph.getUpdater().getStateViewArray().dup());
        MultiDataSet batch = MixtureData.batches(128, 128, 99).get(0);
        assertThat(replica.outputSingle(batch.getFeatures()).ravel().toFloatVector())
                .containsExactly(graph.outputSingle(batch.getFeatures()).ravel().toFloatVector());
        assertThat(cinnVertexParams(replica)).isEqualTo(cinnVertexParams(graph));
    }

    private static void assertSavesReloadsAndSamples(ComputationGraph graph, File file) throws Exception {
        ModelSerializer.writeModel(graph, file, true);
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(file, true);
        assertThat(restored.params().ravel().toFloatVector()).containsExactly(graph.params().ravel().toFloatVector());
        assertThat(restored.getUpdater().getStateViewArray().ravel().toFloatVector())
                .containsExactly(graph.getUpdater().getStateViewArray().ravel().toFloatVector());
        MultiDataSet batch = MixtureData.batches(128, 128, 98).get(0);
        assertThat(restored.outputSingle(batch.getFeatures()).ravel().toFloatVector())
                .containsExactly(graph.outputSingle(batch.getFeatures()).ravel().toFloatVector());

        // samples of class 0 sit near the class mean (+3 in dimension 0, -3 in dimension K)
        INDArray class0 = Nd4j.zeros(DataType.FLOAT, 200, MixtureData.K);
        class0.getColumn(0).assign(1);
        INDArray x = CinnInverse.of(restored).sample(200, 1.0, Map.of("c", class0), 3);
        assertThat(x.shape()).containsExactly(200, MixtureData.D);
        assertThat(x.getColumn(0).meanNumber().doubleValue()).isBetween(2.0, 4.0);
        assertThat(x.getColumn(MixtureData.K).meanNumber().doubleValue()).isBetween(-4.0, -2.0);

        restored.fit(batch); // the restored updater state trains on
        assertThat(restored.score()).isFinite();
    }

    private static Map<String, Map<String, INDArray>> cinnVertexParams(ComputationGraph g) {
        Map<String, Map<String, INDArray>> out = new TreeMap<>();
        for (GraphVertex v : g.getVertices()) {
            if (v.numParams() == 0 || v.hasLayer()) continue;
            Map<String, INDArray> p = new TreeMap<>();
            v.paramTable(false).forEach((k, a) -> p.put(k, a.dup()));
            out.put(v.getVertexName(), p);
        }
        return out;
    }
}
