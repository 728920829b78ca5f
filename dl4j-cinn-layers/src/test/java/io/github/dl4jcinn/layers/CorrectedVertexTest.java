package io.github.dl4jcinn.layers;

import io.github.dl4jcinn.layers.blocks.AffineCoupling;
import io.github.dl4jcinn.layers.blocks.FixedOrthogonalConv1x1;
import io.github.dl4jcinn.layers.blocks.FixedPermutation;
import io.github.dl4jcinn.layers.blocks.HaarDownsampling;
import io.github.dl4jcinn.layers.blocks.Subnet;
import io.github.dl4jcinn.layers.testing.FlowCase;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.layers.samediff.SameDiffGraphVertex;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.buffer.util.DataTypeUtil;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.learning.config.Adam;

import java.util.HashMap;
import java.util.Map;

import static io.github.dl4jcinn.layers.FlowShape.image;
import static io.github.dl4jcinn.layers.FlowShape.vector;
import static io.github.dl4jcinn.layers.testing.FlowTestGraphs.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where DL4J 1.0.0-M2.1 is broken, checked at the level a user sees it: gradients through chains of vertices that
 * share a condition from an ordinary layer, training of graphs made only of flow vertices, and training workspaces.
 */
class CorrectedVertexTest {

    @BeforeEach
    void doublePrecision() {
        DataTypeUtil.setDTypeForContext(DataType.DOUBLE);
    }

    /** A coupling block run by DL4J's stock SameDiffGraphVertex: the negative control. */
    public static class StockRuntimeCoupling extends AffineCoupling {
        @Override
        public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx,
                INDArray paramsView, boolean initializeParams, DataType dataType) {
            setName(name);
            return new SameDiffGraphVertex(this, graph, name, idx, paramsView, initializeParams, dataType);
        }
    }

    private static AffineCoupling fc(AffineCoupling c, int cond) {
        c.setSubnet(Subnet.fullyConnected(6).zeroLastLayer(false));
        c.setConditionChannels(cond);
        return c;
    }

    static final FlowCase VECTOR_CHAIN = new FlowCase("fc-chain-shared-condition", vector(6), vector(3), (b, c) -> b
            .add("cc1", fc(new AffineCoupling(), 3), c)
            .add("p1", new FixedPermutation(1))
            .add("cc2", fc(new AffineCoupling(), 3), c)
            .add("p2", new FixedPermutation(2))
            .add("cc3", fc(new AffineCoupling(), 3), c));

    static final FlowCase STOCK_CHAIN = new FlowCase("stock-vertex-chain", vector(6), vector(3), (b, c) -> b
            .add("cc1", fc(new StockRuntimeCoupling(), 3), c)
            .add("cc2", fc(new StockRuntimeCoupling(), 3), c));

    static final FlowCase CONV_MULTISCALE = new FlowCase("conv-multiscale-shared-condition", image(1, 4, 4),
            image(4, 2, 2), (b, c) -> b
            .add("haar", new HaarDownsampling())
            .add("cc1", AffineCoupling.builder().subnet(Subnet.convolutional(3, 3).zeroLastLayer(false))
                    .imageCondition(4, 2, 2).build(), c)
            .add("q1", new FixedOrthogonalConv1x1(5))
            .split("split", 2)
            .add("cc2", AffineCoupling.builder().subnet(Subnet.convolutional(1, 3).zeroLastLayer(false))
                    .imageCondition(4, 2, 2).build(), c));

    private static boolean gradientCheck(ComputationGraph g, FlowCase fc, int n) {
        Map<String, INDArray> in = inputs(fc, n, DataType.DOUBLE);
        DataTypeUtil.setDTypeForContext(DataType.DOUBLE);
        return GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(g)
                .inputs(orderedInputs(g, in)).labels(new INDArray[]{dummyLabels(n, DataType.DOUBLE)})
                .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
    }

    @Test
    void chainsSharingAConditionFromAnOrdinaryLayerPassGradientCheck() {
        assertThat(gradientCheck(graph(VECTOR_CHAIN, options().conditionThroughLayer(true)), VECTOR_CHAIN, 4))
                .isTrue();
        assertThat(gradientCheck(graph(CONV_MULTISCALE, options().conditionThroughLayer(true)), CONV_MULTISCALE, 3))
                .isTrue();
    }

    @Test
    void stockSameDiffVertexFailsTheSameGradientCheck() {
        // Without the corrected runtime every vertex doubles its gradient (DL4J-NOTES defect 1): the check must fail.
        ComputationGraph stock = graph(STOCK_CHAIN, options().conditionThroughLayer(true)
                .workspaces(WorkspaceMode.NONE));
        assertThat(gradientCheck(stock, STOCK_CHAIN, 4)).isFalse();
    }

    @Test
    void graphOfOnlyFlowVerticesTrainsAndExposesGradientViews() {
        ComputationGraph g = graph(VECTOR_CHAIN, options().updater(new Adam(1e-2)).perturbation(0.0));
        INDArray before = g.params().dup();
        Map<String, INDArray> in = inputs(VECTOR_CHAIN, 8, DataType.DOUBLE);
        MultiDataSet batch = new MultiDataSet(orderedInputs(g, in), new INDArray[]{dummyLabels(8, DataType.DOUBLE)});
        g.fit(batch);
        double first = g.score();
        for (int i = 0; i < 30; i++) {
            g.fit(batch);
        }
        assertThat(g.score()).isLessThan(first - 0.1);
        for (String v : new String[]{"cc1", "cc2", "cc3"}) {
            GraphVertex vertex = g.getVertex(v);
            assertThat(vertex.getGradientsViewArray()).as("gradient view of %s", v).isNotNull();
            INDArray p = vertex.params();
            assertThat(p.equalsWithEps(before.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 1)), 0))
                    .isFalse();
        }
        assertThat(g.params().sub(before).amaxNumber().doubleValue()).isGreaterThan(1e-3);
    }

    @Test
    void trainingWorkspacesEnabledGiveTheSameResultAsNone() {
        Map<String, ComputationGraph> graphs = new HashMap<>();
        for (WorkspaceMode mode : new WorkspaceMode[]{WorkspaceMode.ENABLED, WorkspaceMode.NONE}) {
            ComputationGraph g = graph(CONV_MULTISCALE, options().workspaces(mode).updater(new Adam(1e-2))
                    .conditionThroughLayer(true));
            Map<String, INDArray> in = inputs(CONV_MULTISCALE, 6, DataType.DOUBLE);
            MultiDataSet batch = new MultiDataSet(orderedInputs(g, in), new INDArray[]{dummyLabels(6, DataType.DOUBLE)});
            for (int i = 0; i < 6; i++) {
                g.fit(batch); // ENABLED crashed on iteration 2 with the stock vertex (DL4J-NOTES defect 2)
            }
            graphs.put(mode.name(), g);
        }
        assertThat(graphs.get("ENABLED").params()).isEqualTo(graphs.get("NONE").params());
        assertThat(graphs.get("ENABLED").score()).isEqualTo(graphs.get("NONE").score());
    }
}
