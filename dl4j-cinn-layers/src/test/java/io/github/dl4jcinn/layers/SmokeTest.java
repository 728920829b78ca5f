package io.github.dl4jcinn.layers;

import io.github.dl4jcinn.layers.blocks.*;
import io.github.dl4jcinn.layers.inverse.CinnInverse;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SmokeTest {
    @Test
    void vectorFlowTrainsAndInverts() {
        ComputationGraphConfiguration conf = CinnGraphBuilder.create(new NeuralNetConfiguration.Builder()
                        .seed(1).dataType(DataType.DOUBLE).updater(new Adam(1e-2)))
                .flowInput("x", FlowShape.vector(6))
                .conditionInput("c", InputType.feedForward(3))
                .add("cc1", AffineCoupling.builder().subnet(Subnet.fullyConnected(16).zeroLastLayer(false)).vectorCondition(3).build(), "c")
                .add("p1", new FixedPermutation(3))
                .add("cc2", AffineCoupling.builder().subnet(Subnet.fullyConnected(16).zeroLastLayer(false)).vectorCondition(3).build(), "c")
                .build("nll");
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        INDArray x = Nd4j.randn(DataType.DOUBLE, 5, 6);
        INDArray c = Nd4j.randn(DataType.DOUBLE, 5, 3);
        double s0 = 0;
        for (int i = 0; i < 20; i++) {
            g.fit(new MultiDataSet(new INDArray[]{x, c}, new INDArray[]{Nd4j.zeros(5, 1)}));
            if (i == 0) s0 = g.score();
        }
        System.out.println("score " + s0 + " -> " + g.score());
        CinnInverse inv = CinnInverse.of(g);
        INDArray out = inv.encode(Map.of("x", x, "c", c));
        CinnInverse.Decoded d = inv.decode(out.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 6)), Map.of("c", c));
        double err = d.x().sub(x).amaxNumber().doubleValue();
        System.out.println("roundtrip err " + err);
        assertThat(err).isLessThan(1e-10);
        assertThat(g.score()).isLessThan(s0);
    }
}
