package io.github.dl4jcinn.layers;

import io.github.dl4jcinn.layers.blocks.AffineCoupling;
import io.github.dl4jcinn.layers.blocks.Clamp;
import io.github.dl4jcinn.layers.blocks.FixedPermutation;
import io.github.dl4jcinn.layers.blocks.Subnet;
import io.github.dl4jcinn.layers.inverse.CinnInverse;
import io.github.dl4jcinn.layers.testing.FlowCase;
import io.github.dl4jcinn.layers.vertex.EagerGraphVertex;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.learning.config.Adam;

import java.util.Map;
import java.util.stream.Stream;

import static io.github.dl4jcinn.layers.FlowShape.vector;
import static io.github.dl4jcinn.layers.testing.FlowTestGraphs.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hand-written fully connected coupling kernel against its SameDiff reference (same configuration and weights):
 * outputs, loss gradients of every parameter and input, and parameters after several Adam steps, in double.
 */
class EagerCouplingKernelTest {

    static Stream<Arguments> variants() {
        return Stream.of(
                Arguments.of(Clamp.ATAN, Subnet.fullyConnected(8), 3),
                Arguments.of(Clamp.TANH, Subnet.fullyConnected(8, 8, 8), 3),
                // slope 0.125: SameDiff's leaky ReLU derivative carries its slope in float precision, so 0.1 would differ
                // from the double kernel by ~1e-9 relative; 0.125 is exact in both
                Arguments.of(Clamp.NONE, Subnet.fullyConnected(6).leakySlope(0.125), 0),
                Arguments.of(Clamp.ATAN, Subnet.fullyConnected(5, 7), 0));
    }

    private static FlowCase chain(Clamp clamp, Subnet subnet, int cond, AffineCoupling.Implementation impl) {
        return new FlowCase("chain-" + impl, vector(7), cond > 0 ? vector(cond) : null, (b, c) -> {
            for (int i = 0; i < 2; i++) {
                AffineCoupling.Builder cc = AffineCoupling.builder().subnet(subnet.zeroLastLayer(false))
                        .clamp(clamp, 1.5).implementation(impl);
                if (cond > 0) {
                    b.add("cc" + i, cc.vectorCondition(cond).build(), c);
                } else {
                    b.add("cc" + i, cc.build());
                }
                b.add("p" + i, new FixedPermutation(i));
            }
        });
    }

    @ParameterizedTest
    @MethodSource("variants")
    void eagerKernelMatchesSameDiffReference(Clamp clamp, Subnet subnet, int cond) {
        FlowCase eager = chain(clamp, subnet, cond, AffineCoupling.Implementation.AUTO);
        FlowCase reference = chain(clamp, subnet, cond, AffineCoupling.Implementation.SAMEDIFF);
        ComputationGraph ge = graph(eager, options().conditionThroughLayer(true).updater(new Adam(1e-2)));
        ComputationGraph gr = graph(reference, options().conditionThroughLayer(true).updater(new Adam(1e-2)));
        assertThat(ge.getVertex("cc0")).isInstanceOf(EagerGraphVertex.class);
        assertThat(gr.getVertex("cc0")).isNotInstanceOf(EagerGraphVertex.class);
        gr.setParams(ge.params());

        Map<String, INDArray> in = inputs(eager, 5, DataType.DOUBLE);
        MultiDataSet batch = new MultiDataSet(orderedInputs(ge, in), new INDArray[]{dummyLabels(5, DataType.DOUBLE)});
        assertThat(maxDiff(ge.output(false, orderedInputs(ge, in))[0], gr.output(false, orderedInputs(gr, in))[0]))
                .isLessThan(1e-12);

        ge.setInputs(batch.getFeatures());
        ge.setLabels(batch.getLabels());
        ge.computeGradientAndScore();
        gr.setInputs(batch.getFeatures());
        gr.setLabels(batch.getLabels());
        gr.computeGradientAndScore();
        assertThat(ge.score()).isCloseTo(gr.score(), org.assertj.core.data.Offset.offset(1e-12));
        for (Map.Entry<String, INDArray> g : gr.gradient().gradientForVariable().entrySet()) {
            double scale = Math.max(1.0, g.getValue().amaxNumber().doubleValue());
            assertThat(maxDiff(ge.gradient().getGradientFor(g.getKey()), g.getValue()) / scale)
                    .as("relative gradient difference of %s (max |g| %.3g)", g.getKey(), scale).isLessThan(1e-11);
        }

        for (int i = 0; i < 5; i++) {
            ge.fit(batch);
            gr.fit(batch);
        }
        assertThat(maxDiff(ge.params(), gr.params())).isLessThan(1e-10);
    }

    @ParameterizedTest
    @MethodSource("variants")
    void eagerKernelIsIdenticalWithAndWithoutWorkspaces(Clamp clamp, Subnet subnet, int cond) {
        FlowCase eager = chain(clamp, subnet, cond, AffineCoupling.Implementation.AUTO);
        INDArray[] params = new INDArray[2];
        int k = 0;
        for (WorkspaceMode mode : new WorkspaceMode[]{WorkspaceMode.ENABLED, WorkspaceMode.NONE}) {
            ComputationGraph g = graph(eager, options().workspaces(mode).updater(new Adam(1e-2)));
            Map<String, INDArray> in = inputs(eager, 6, DataType.DOUBLE);
            MultiDataSet batch = new MultiDataSet(orderedInputs(g, in), new INDArray[]{dummyLabels(6, DataType.DOUBLE)});
            for (int i = 0; i < 5; i++) {
                g.fit(batch);
            }
            params[k++] = g.params();
        }
        assertThat(params[0]).isEqualTo(params[1]);
    }

    @ParameterizedTest
    @MethodSource("variants")
    void eagerInverseMatchesSameDiffInverse(Clamp clamp, Subnet subnet, int cond) {
        FlowCase eager = chain(clamp, subnet, cond, AffineCoupling.Implementation.AUTO);
        ComputationGraph g = graph(eager, options().conditionThroughLayer(true));
        Map<String, INDArray> in = inputs(eager, 5, DataType.DOUBLE);
        CinnInverse fast = CinnInverse.of(g);
        CinnInverse reference = CinnInverse.of(g).engine(CinnInverse.Engine.SAMEDIFF);
        assertThat(fast.eager()).isTrue();
        assertThat(reference.eager()).isFalse();
        INDArray z = latent(fast.encode(in));
        CinnInverse.Decoded a = fast.decode(z, conditions(in));
        CinnInverse.Decoded b = reference.decode(z, conditions(in));
        assertThat(maxDiff(a.x(), b.x())).isLessThan(1e-12);
        assertThat(maxDiff(a.logDet(), b.logDet())).isLessThan(1e-12);
        assertThat(maxDiff(a.x(), in.get("x"))).isLessThan(1e-10);
    }

    private static double maxDiff(INDArray a, INDArray b) {
        return a.sub(b).amaxNumber().doubleValue();
    }
}
