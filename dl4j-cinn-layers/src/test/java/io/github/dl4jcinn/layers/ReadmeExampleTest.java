package io.github.dl4jcinn.layers;

import io.github.dl4jcinn.layers.blocks.AffineCoupling;
import io.github.dl4jcinn.layers.blocks.FixedPermutation;
import io.github.dl4jcinn.layers.blocks.Subnet;
import io.github.dl4jcinn.layers.inverse.CinnInverse;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the README's quick-start code verbatim, and checks that README.md still shows exactly this code. */
class ReadmeExampleTest {

    @Test
    void quickStartTrainsAndSamplesPerLabel() {
        // README:start
        // A 2-D cINN conditioned on a one-hot label: label 0 -> points near (-2, 0), label 1 -> near (+2, 0).
        ComputationGraphConfiguration conf = CinnGraphBuilder.create(new NeuralNetConfiguration.Builder()
                        .seed(7).updater(new Adam(3e-3)))
                .flowInput("x", FlowShape.vector(2))
                .conditionInput("label", InputType.feedForward(2))
                .add("cc1", AffineCoupling.builder().subnet(Subnet.fullyConnected(32)).vectorCondition(2).build(), "label")
                .add("perm1", new FixedPermutation(1))
                .add("cc2", AffineCoupling.builder().subnet(Subnet.fullyConnected(32)).vectorCondition(2).build(), "label")
                .build("nll");
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();

        Nd4j.getRandom().setSeed(7);
        INDArray labels = Nd4j.zeros(256, 2);
        INDArray x = Nd4j.randn(256, 2).muli(0.3);
        for (int i = 0; i < 256; i++) {
            int k = i % 2;
            labels.putScalar(i, k, 1.0);
            x.putScalar(i, 0, x.getDouble(i, 0) + (k == 0 ? -2 : 2));
        }
        MultiDataSet batch = new MultiDataSet(new INDArray[]{x, labels}, new INDArray[]{Nd4j.zeros(256, 1)});
        for (int step = 0; step < 300; step++) {
            graph.fit(batch);                      // maximum likelihood: mean(½‖z‖² − log|det J|) / D
        }

        CinnInverse inverse = CinnInverse.of(graph);  // the sampling pass, derived from the graph
        INDArray wantLabel1 = Nd4j.zeros(100, 2);
        wantLabel1.getColumn(1).assign(1);
        INDArray samples = inverse.sample(100, 1.0, Map.of("label", wantLabel1), 42);
        // README:end

        assertThat(samples.shape()).containsExactly(100, 2);
        double meanX = samples.getColumn(0).meanNumber().doubleValue();
        assertThat(meanX).as("samples for label 1 sit near +2").isBetween(1.5, 2.5);
        INDArray wantLabel0 = Nd4j.zeros(100, 2);
        wantLabel0.getColumn(0).assign(1);
        assertThat(inverse.sample(100, 1.0, Map.of("label", wantLabel0), 43).getColumn(0).meanNumber().doubleValue())
                .isBetween(-2.5, -1.5);
    }

    @Test
    void readmeShowsThisCode() throws Exception {
        String self = Files.readString(Path.of("src/test/java/io/github/dl4jcinn/layers/ReadmeExampleTest.java"),
                StandardCharsets.UTF_8);
        String code = self.substring(self.indexOf("// README:start") + "// README:start".length(),
                self.indexOf("        // README:end")).stripTrailing();
        String readme = Files.readString(Path.of("../README.md"), StandardCharsets.UTF_8);
        assertThat(normalise(readme)).contains(normalise(code));
    }

    private static String normalise(String s) {
        return s.lines().map(String::strip).filter(l -> !l.isEmpty()).reduce("", (a, b) -> a + b + "\n");
    }
}
