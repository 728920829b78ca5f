package io.github.dl4jcinn.zoo.conditioning;

import io.github.dl4jcinn.layers.CinnGraphBuilder;
import io.github.dl4jcinn.layers.FlowShape;
import io.github.dl4jcinn.layers.blocks.AffineCoupling;
import io.github.dl4jcinn.layers.blocks.Clamp;
import io.github.dl4jcinn.layers.blocks.Subnet;
import io.github.dl4jcinn.layers.inverse.CinnInverse;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Backbone, heads and flow in one graph: which parameters the maximum-likelihood loss moves under each
 * {@link ConditioningSchedule}.
 */
class JointTrainingTest {

    private static final String BACKBONE_LAYER = Backbones.VGG16_BLOCK3;

    /** VGG16 (1/8 width) on a 1x16x16 condition, two heads, two conditional couplings on a 2x4x4 flow. */
    static ComputationGraph tinyJointGraph(ConditioningSchedule schedule) {
        Adam adam = new Adam(1e-2);
        long seed = 3;
        Backbone backbone = null;
        if (schedule.hasBackbone()) {
            backbone = Backbones.vgg16(schedule.applyTo(
                    new Backbones.Options().input("L", 1, 16, 16).widthFraction(0.125), adam, 1e-5, seed));
        }
        NeuralNetConfiguration.Builder global = new NeuralNetConfiguration.Builder().seed(seed).updater(adam)
                .l2(1e-5).trainingWorkspaceMode(WorkspaceMode.ENABLED).inferenceWorkspaceMode(WorkspaceMode.ENABLED);
        ConditionedCinnBuilder j = ConditionedCinnBuilder.create(global, schedule, backbone, "L",
                (InputType.InputTypeConvolutional) InputType.convolutional(16, 16, 1));
        CinnGraphBuilder cinn = j.cinn().flowInput("x", FlowShape.image(2, 4, 4));
        for (int i = 0; i < 2; i++) {
            String head = j.head("head" + i, HeadSpec.image(3, 4, 4));
            int condChannels = schedule.hasBackbone() ? 3 : 1;
            cinn.add("cc" + i, AffineCoupling.builder().subnet(Subnet.convolutional(3, 8).leakySlope(0.05))
                    .imageCondition(condChannels, 4, 4).clamp(Clamp.ATAN, 1.9).build(), head);
        }
        return j.init("nll");
    }

    static MultiDataSet batch(long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray l = Nd4j.rand(4, 1, 16, 16);
        INDArray x = Nd4j.randn(4, 2, 4, 4).muli(0.5).addi(l.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 4),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 4)).repeat(1, 2));
        return new MultiDataSet(new INDArray[]{l, x}, new INDArray[]{Nd4j.zeros(4, 1)});
    }

    private static Map<String, INDArray> snapshot(ComputationGraph g, List<String> vertices) {
        Map<String, INDArray> m = new HashMap<>();
        for (String v : vertices) {
            m.put(v, g.getVertex(v).params().dup());
        }
        return m;
    }

    private static boolean changed(ComputationGraph g, Map<String, INDArray> before, String v) {
        return !before.get(v).equals(g.getVertex(v).params());
    }

    private static void fit(ComputationGraph g, int steps) {
        for (int i = 0; i < steps; i++) {
            g.fit(batch(100 + g.getIterationCount()));
        }
    }

    @Test
    void jointTrainingUpdatesBackboneHeadsAndFlow() {
        ComputationGraph g = tinyJointGraph(ConditioningSchedule.joint(0));
        assertThat(g.getConfiguration().getNetworkInputs()).containsExactly("L", "x");
        List<String> watched = List.of("0", BACKBONE_LAYER, "head0-conv", "head1-bn", "cc0", "cc1");
        Map<String, INDArray> before = snapshot(g, watched);
        fit(g, 3);
        for (String v : watched) {
            assertThat(changed(g, before, v)).as(v + " trained").isTrue();
        }
        assertThat(g.score()).isFinite();
    }

    @Test
    void backboneHeldForTheFirstKIterationsThenTrainsJointly() {
        ComputationGraph g = tinyJointGraph(ConditioningSchedule.joint(3));
        Map<String, INDArray> start = snapshot(g, List.of("0", BACKBONE_LAYER, "head0-conv", "cc0"));
        fit(g, 3);
        assertThat(changed(g, start, "0")).as("first conv during warm-up").isFalse();
        assertThat(changed(g, start, BACKBONE_LAYER)).as("block3 conv3 during warm-up").isFalse();
        assertThat(changed(g, start, "head0-conv")).as("heads train during warm-up").isTrue();
        assertThat(changed(g, start, "cc0")).as("flow trains during warm-up").isTrue();
        fit(g, 2);
        assertThat(changed(g, start, "0")).as("first conv after warm-up").isTrue();
        assertThat(changed(g, start, BACKBONE_LAYER)).as("block3 conv3 after warm-up").isTrue();
    }

    @Test
    void fixedBackboneNeverChanges() {
        ComputationGraph g = tinyJointGraph(ConditioningSchedule.fixed());
        Map<String, INDArray> start = snapshot(g, List.of("0", "4", BACKBONE_LAYER, "head1-conv", "cc1"));
        fit(g, 4);
        assertThat(changed(g, start, "0")).isFalse();
        assertThat(changed(g, start, "4")).isFalse();
        assertThat(changed(g, start, BACKBONE_LAYER)).isFalse();
        assertThat(changed(g, start, "head1-conv")).isTrue();
        assertThat(changed(g, start, "cc1")).isTrue();
    }

    @Test
    void withoutConditioningNetworkTheRawConditionIsPooledAndTheFlowTrains() {
        ComputationGraph g = tinyJointGraph(ConditioningSchedule.none());
        assertThat(g.getConfiguration().getVertices()).doesNotContainKey(BACKBONE_LAYER);
        assertThat(g.getConfiguration().getVertexInputs().get("cc0")).containsExactly("x_flow", "head0-raw");
        Map<String, INDArray> start = snapshot(g, List.of("cc0", "cc1"));
        fit(g, 3);
        assertThat(changed(g, start, "cc0")).isTrue();
        assertThat(changed(g, start, "cc1")).isTrue();
    }

    @Test
    void inverseOfTheJointGraphReconstructsItsInput() {
        ComputationGraph g = tinyJointGraph(ConditioningSchedule.joint(0));
        fit(g, 3);
        MultiDataSet b = batch(7);
        CinnInverse inv = CinnInverse.of(g);
        INDArray zAndLogDet = inv.encode(Map.of("L", b.getFeatures(0), "x", b.getFeatures(1)));
        INDArray z = zAndLogDet.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, inv.latentSize()));
        INDArray x = inv.decode(z, Map.of("L", b.getFeatures(0))).x();
        assertThat(x.sub(b.getFeatures(1)).amaxNumber().doubleValue()).isLessThan(1e-4);
    }
}
