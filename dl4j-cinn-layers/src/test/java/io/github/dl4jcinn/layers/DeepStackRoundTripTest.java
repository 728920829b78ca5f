package io.github.dl4jcinn.layers;

import io.github.dl4jcinn.layers.blocks.AffineCoupling;
import io.github.dl4jcinn.layers.blocks.FixedOrthogonalConv1x1;
import io.github.dl4jcinn.layers.blocks.FixedPermutation;
import io.github.dl4jcinn.layers.blocks.HaarDownsampling;
import io.github.dl4jcinn.layers.blocks.Subnet;
import io.github.dl4jcinn.layers.inverse.CinnInverse;
import io.github.dl4jcinn.layers.testing.FlowCase;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.learning.config.Adam;

import java.util.Map;

import static io.github.dl4jcinn.layers.FlowShape.image;
import static io.github.dl4jcinn.layers.FlowShape.vector;
import static io.github.dl4jcinn.layers.testing.FlowTestGraphs.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Twenty blocks with non-trivial weights still invert to 1e-4 in float32, for vector and multi-scale image flows.
 * The weights are the paper's initialisation, perturbed and then trained for a few Adam steps: an untrained deep
 * stack with random last layers maps unit inputs to |z| ~ 1e4-1e5, where float32 itself cannot hold 1e-4, while a
 * (partly) trained flow maps data to the unit-Gaussian scale it is trained for.
 */
class DeepStackRoundTripTest {

    static final FlowCase VECTOR_20 = new FlowCase("vector-20-blocks", vector(16), vector(4), (b, c) -> {
        for (int i = 0; i < 10; i++) {
            b.add("cc" + i, AffineCoupling.builder().subnet(Subnet.fullyConnected(32))
                    .vectorCondition(4).build(), c);
            b.add("p" + i, new FixedPermutation(i));
        }
    });

    static final FlowCase IMAGE_20 = new FlowCase("multiscale-20-blocks", image(2, 8, 8), vector(4), (b, c) -> {
        b.add("haar1", new HaarDownsampling());                                     // 8x4x4
        for (int i = 0; i < 4; i++) {
            b.add("cc" + i, AffineCoupling.builder().subnet(Subnet.convolutional(3, 8))
                    .vectorCondition(4).build(), c);
            b.add("q" + i, new FixedOrthogonalConv1x1(i));
        }
        b.split("split1", 4);                                                       // 4x4x4
        b.add("haar2", new HaarDownsampling());                                     // 16x2x2
        for (int i = 4; i < 8; i++) {
            b.add("cc" + i, AffineCoupling.builder().subnet(Subnet.convolutional(1, 8))
                    .vectorCondition(4).build(), c);
            b.add("q" + i, new FixedOrthogonalConv1x1(i));
        }
        b.flatten();
        b.add("fc", AffineCoupling.builder().subnet(Subnet.fullyConnected(32))
                .vectorCondition(4).build(), c);
    });

    @Test
    void vectorStackOfTwentyBlocksInvertsInFloat32() {
        assertRoundTrip(VECTOR_20);
    }

    @Test
    void multiScaleImageStackOfTwentyBlocksInvertsInFloat32() {
        assertRoundTrip(IMAGE_20);
    }

    private static void assertRoundTrip(FlowCase fc) {
        ComputationGraph g = graph(fc, options().dataType(DataType.FLOAT).perturbation(0.05)
                .updater(new Adam(1e-3)));
        Map<String, INDArray> in = inputs(fc, 16, DataType.FLOAT);
        MultiDataSet batch = new MultiDataSet(orderedInputs(g, in), new INDArray[]{dummyLabels(16, DataType.FLOAT)});
        for (int i = 0; i < 10; i++) {
            g.fit(batch);
        }
        CinnInverse inv = CinnInverse.of(g);
        INDArray encoded = inv.encode(in);
        // non-trivial: the map moves the data and has a sizeable log-det
        assertThat(latent(encoded).reshape(in.get("x").shape()).sub(in.get("x")).amaxNumber().doubleValue())
                .isGreaterThan(0.1);
        assertThat(logDetColumn(encoded).amaxNumber().doubleValue()).isGreaterThan(0.5);
        INDArray back = inv.decode(latent(encoded), conditions(in)).x();
        System.out.printf("%s: max|z| %.3g, max|log-det| %.3g, round-trip error %.3g%n", fc, latent(encoded).amaxNumber(),
                logDetColumn(encoded).amaxNumber(), back.sub(in.get("x")).amaxNumber());
        assertThat(back.sub(in.get("x")).amaxNumber().doubleValue()).isLessThanOrEqualTo(1e-4);
    }
}
