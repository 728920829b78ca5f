package io.github.dl4jcinn.spark;

import io.github.dl4jcinn.layers.inverse.CinnInverse;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** DL4J on Spark in local mode with two executor threads, on a cINN that uses both vertex runtimes. */
@Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SparkCinnTrainingTest {

    private static final int EXAMPLES = 2048;
    private static final int BATCH = 64;
    private static final int AVERAGING = 2;
    private static final int EPOCHS = 3;

    @Test
    void trainsWithParameterAveragingOnLocalSparkAndTheModelReloadsAndSamples(@TempDir Path dir) throws Exception {
        SparkCinnTraining.Options o = new SparkCinnTraining.Options();
        o.dims = 6;
        o.classes = 3;
        o.blocks = 3;
        o.hidden = 32;
        o.learningRate = 1e-2;
        o.sameDiffEvery = 2; // cc2 on the SameDiff runtime, cc1 and cc3 eager; an0 (ActNorm) is SameDiff
        ConditionalGaussians source = new ConditionalGaussians(o.dims, o.classes, 3.0, 0.5);

        SparkConf conf = SparkCinnTraining.sparkConf("dl4j-cinn-spark-test").setMaster("local[2]")
                .set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1");
        File saved = dir.resolve("spark-cinn.zip").toFile();
        WorkerProbe.clear();
        ComputationGraph graph = new ComputationGraph(SparkCinnTraining.graph(o));
        graph.init();
        Map<String, INDArray> initial = cinnVertexParams(graph);
        List<Double> losses;
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            JavaRDD<MultiDataSet> data = sc.parallelize(source.batches(EXAMPLES, BATCH, 1), 2); // not cached here: the training master persists it (MEMORY_ONLY_SER)
            MultiDataSet heldOut = source.batches(512, 512, 2).get(0);
            SparkComputationGraph net = new SparkComputationGraph(sc, graph,
                    SparkCinnTraining.trainingMaster(BATCH, AVERAGING));
            net.setListeners(new WorkerProbe());
            losses = SparkCinnTraining.fit(net, data, EPOCHS, heldOut);
            ModelSerializer.writeModel(net.getNetwork(), saved, true);
            graph = net.getNetwork();
        }

        // training progressed: held-out loss (nats per dimension; 1.62 for the identity flow, optimum -0.19)
        assertThat(losses).hasSize(EPOCHS + 1).allMatch(Double::isFinite);
        assertThat(losses.get(EPOCHS)).as("held-out loss per epoch %s", losses).isLessThan(losses.get(0) - 1.0);

        // every cINN vertex's parameters on the driver changed
        Map<String, INDArray> trained = cinnVertexParams(graph);
        assertThat(trained.keySet()).containsExactly("an0", "cc1", "cc2", "cc3");
        for (String v : initial.keySet()) {
            assertThat(trained.get(v).sub(initial.get(v)).norm2Number().doubleValue()).as("%s changed", v)
                    .isGreaterThan(1e-3);
        }

        // on the executors: two networks per averaging round, continuing the driver's iteration count, both runtimes,
        // and at the start of every round the two networks hold identical parameters for every vertex (the broadcast
        // average), which change from round to round
        List<WorkerProbe.Snapshot> snaps = WorkerProbe.snapshots();
        Map<Integer, List<WorkerProbe.Snapshot>> byIteration = snaps.stream()
                .collect(Collectors.groupingBy(s -> s.iteration, TreeMap::new, Collectors.toList()));
        int rounds = EPOCHS * EXAMPLES / BATCH / 2 / AVERAGING;
        assertThat(byIteration).hasSize(rounds * AVERAGING);
        assertThat(snaps.stream().map(s -> s.model).distinct().count()).isEqualTo(2L * rounds);
        float[] previous = null;
        for (Map.Entry<Integer, List<WorkerProbe.Snapshot>> it : byIteration.entrySet()) {
            List<WorkerProbe.Snapshot> two = it.getValue();
            assertThat(two).as("executor networks at iteration %d", it.getKey()).hasSize(2);
            assertThat(two.get(0).model).isNotEqualTo(two.get(1).model);
            for (WorkerProbe.Snapshot s : two) {
                assertThat(s.runtimes).containsEntry("an0", "CorrectedSameDiffGraphVertex")
                        .containsEntry("cc1", "EagerGraphVertex").containsEntry("cc2", "CorrectedSameDiffGraphVertex")
                        .containsEntry("cc3", "EagerGraphVertex");
            }
            if (it.getKey() % AVERAGING == 0) {
                for (String v : two.get(0).params.keySet()) {
                    assertThat(two.get(0).params.get(v)).as("%s at the start of round %d", v, it.getKey() / AVERAGING)
                            .containsExactly(two.get(1).params.get(v));
                }
                float[] cc1 = two.get(0).params.get("cc1");
                if (previous != null) {
                    assertThat(cc1).as("broadcast parameters change from round to round").isNotEqualTo(previous);
                }
                previous = cc1;
            }
        }
        WorkerProbe.Snapshot last = snaps.get(snaps.size() - 1);
        assertThat(last.gradNorms.values()).allMatch(g -> g > 0);

        // the saved model is plain DL4J: restore without Spark, same outputs, and sample per class
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(saved, true);
        assertThat(restored.params().ravel().toFloatVector()).containsExactly(graph.params().ravel().toFloatVector());
        CinnInverse inverse = CinnInverse.of(restored);
        for (int k = 0; k < o.classes; k++) {
            INDArray x = inverse.sample(300, 1.0, Map.of("c", source.oneHot(300, k)), 10 + k);
            INDArray mean = x.mean(0);
            for (int d = 0; d < o.dims; d++) {
                assertThat(mean.getDouble(d)).as("class %d, dimension %d of %s", k, d, mean)
                        .isCloseTo(source.mean(k, d), org.assertj.core.data.Offset.offset(0.6));
            }
        }
    }

    /**
     * With Spark's default Java serializer the broadcast fails while dl4j-cinn-layers' block configurations are not
     * java.io.Serializable (today: Subnet); the check says so up front. Once they are, Java serialization passes too.
     */
    @Test
    void javaSerializerIsRejectedWithAnExplanationWhileTheConfigurationIsNotSerializable() throws Exception {
        org.deeplearning4j.nn.conf.ComputationGraphConfiguration graph =
                SparkCinnTraining.graph(new SparkCinnTraining.Options());
        SparkConf javaSerialization = new SparkConf().set("spark.serializer", "org.apache.spark.serializer.JavaSerializer");
        boolean serializable;
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(java.io.OutputStream.nullOutputStream())) {
            out.writeObject(graph);
            serializable = true;
        } catch (java.io.NotSerializableException e) {
            serializable = false;
        }
        if (serializable) {
            SparkCinnTraining.checkSerializer(javaSerialization, graph);
        } else {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> SparkCinnTraining.checkSerializer(javaSerialization, graph))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("KryoSerializer");
        }
        SparkCinnTraining.checkSerializer(SparkCinnTraining.sparkConf("t"), graph); // Kryo: always accepted
    }

    private static Map<String, INDArray> cinnVertexParams(ComputationGraph g) {
        Map<String, INDArray> out = new TreeMap<>();
        for (GraphVertex v : g.getVertices()) {
            if (v.numParams() > 0 && !v.hasLayer()) out.put(v.getVertexName(), v.params().dup());
        }
        return out;
    }
}
