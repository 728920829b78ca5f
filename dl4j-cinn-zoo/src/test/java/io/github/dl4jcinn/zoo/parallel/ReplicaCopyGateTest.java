package io.github.dl4jcinn.zoo.parallel;

import io.github.dl4jcinn.zoo.data.ConditionalImageIterator;
import io.github.dl4jcinn.zoo.models.MnistCinn;
import io.github.dl4jcinn.zoo.testing.SyntheticDigits;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two workers with averaging after every round must give exactly what training two copies one after the other and
 * averaging them gives. DL4J's ParallelWrapper alone does not: a replica copies the graph on its own thread while
 * worker 0 already trains it, and with {@code MnistCinn.quick()} (slow to replicate) and small batches (a quick
 * first step) the copy often comes after worker 0's first update. {@link ReplicaCopyGate} closes that race.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ReplicaCopyGateTest {

    private static final int ROUNDS = 2;

    @Test
    void replicatedTrainingEqualsSequentialTrainingOfTwoCopiesAveragedEveryRound() {
        List<MultiDataSet> batches = batches();
        float[] reference = sequentialAveraging(batches);
        for (int run = 0; run < 3; run++) {
            ComputationGraph graph = MnistCinn.quick().init();
            ParallelCinnTraining.builder().workers(2).build().fitPass(graph, new MixtureData.ListIterator(batches));
            assertThat(graph.getIterationCount()).isEqualTo(ROUNDS);
            assertThat(ReplicaProbe.bitMismatches(graph.params().toFloatVector(), reference)).as("run %d: parameters that differ "
                    + "from sequential averaging", run).isZero();
        }
    }

    /** Worker 0 is the graph, worker 1 a copy; each round both fit a batch, then parameters and Adam are averaged. */
    private static float[] sequentialAveraging(List<MultiDataSet> batches) {
        ComputationGraph a = MnistCinn.quick().init();
        ComputationGraph b = new ComputationGraph(
                ComputationGraphConfiguration.fromJson(a.getConfiguration().toJson()));
        b.init();
        b.setParams(a.params().dup());
        b.getUpdater().setStateViewArray(a.getUpdater().getStateViewArray().dup());
        for (int r = 0; r < ROUNDS; r++) {
            a.fit(batches.get(2 * r));
            b.fit(batches.get(2 * r + 1));
            Nd4j.averageAndPropagate(null, List.of(a.params(), b.params()));
            Nd4j.averageAndPropagate(null, List.of(a.getUpdater().getStateViewArray(),
                    b.getUpdater().getStateViewArray()));
        }
        return a.params().toFloatVector();
    }

    private static List<MultiDataSet> batches() {
        ConditionalImageIterator it = ConditionalImageIterator.builder(SyntheticDigits.make(8 * 2 * ROUNDS, 1))
                .batchSize(8).build();
        List<MultiDataSet> out = new ArrayList<>();
        while (it.hasNext()) {
            out.add((MultiDataSet) it.next());
        }
        return out;
    }

}
