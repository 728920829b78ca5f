package io.github.dl4jcinn.layers;

import io.github.dl4jcinn.layers.blocks.AffineCoupling;
import io.github.dl4jcinn.layers.blocks.HaarDownsampling;
import io.github.dl4jcinn.layers.blocks.Subnet;
import io.github.dl4jcinn.layers.inverse.CinnInverse;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;

import static io.github.dl4jcinn.layers.FlowShape.image;
import static io.github.dl4jcinn.layers.FlowShape.vector;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bad input is rejected with a message naming the vertex, the expected and the actual shape. */
class BadInputTest {

    private static CinnGraphBuilder builder() {
        return CinnGraphBuilder.create(new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.FLOAT));
    }

    private static ComputationGraph vectorGraph() {
        ComputationGraphConfiguration conf = builder().flowInput("x", vector(6))
                .conditionInput("c", InputType.feedForward(3))
                .add("cc", AffineCoupling.builder().subnet(Subnet.fullyConnected(4)).vectorCondition(3).build(), "c")
                .build("nll");
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }

    @Test
    void wrongDataWidthNamesTheEntryVertex() {
        ComputationGraph g = vectorGraph();
        assertThatThrownBy(() -> g.output(Nd4j.rand(DataType.FLOAT, 3, 7), Nd4j.rand(DataType.FLOAT, 3, 3)))
                .hasStackTraceContaining("FlowEntry 'x_flow'")
                .hasStackTraceContaining("expected [N, 6]")
                .hasStackTraceContaining("got [3, 7]");
    }

    @Test
    void wrongImageChannelsAreRejected() {
        ComputationGraph g = new ComputationGraph(builder().flowInput("x", image(2, 4, 4))
                .add("haar", new HaarDownsampling()).build("nll"));
        g.init();
        assertThatThrownBy(() -> g.output(Nd4j.rand(DataType.FLOAT, 2, 3, 4, 4)))
                .hasStackTraceContaining("FlowEntry 'x_flow'")
                .hasStackTraceContaining("expected [N, 2, 4, 4]")
                .hasStackTraceContaining("got [2, 3, 4, 4]");
    }

    @Test
    void conditionOfTheWrongShapeAtRunTime() {
        ComputationGraph g = vectorGraph();
        assertThatThrownBy(() -> g.output(Nd4j.rand(DataType.FLOAT, 3, 6), Nd4j.rand(DataType.FLOAT, 3, 4)))
                .hasStackTraceContaining("AffineCoupling 'cc'")
                .hasStackTraceContaining("condition 0 expected [3, 3]")
                .hasStackTraceContaining("got [3, 4]");
    }

    @Test
    void conditionOfTheWrongShapeAtConfigurationTime() {
        assertThatThrownBy(() -> builder().flowInput("x", vector(6))
                .conditionInput("c", InputType.feedForward(5))
                .add("cc", AffineCoupling.builder().subnet(Subnet.fullyConnected(4)).vectorCondition(3).build(), "c")
                .build("nll"))
                .hasStackTraceContaining("AffineCoupling 'cc'")
                .hasStackTraceContaining("condition 0 expected [3]")
                .hasStackTraceContaining("got InputTypeFeedForward(5");
    }

    @Test
    void missingConditionInputIsRejectedByTheBuilder() {
        assertThatThrownBy(() -> builder().flowInput("x", vector(6))
                .add("cc", AffineCoupling.builder().subnet(Subnet.fullyConnected(4)).vectorCondition(3).build()))
                .hasMessageContaining("AffineCoupling 'cc'")
                .hasMessageContaining("declares 1 condition(s) [[3]], got 0");
    }

    @Test
    void oddSpatialSizeForHaar() {
        assertThatThrownBy(() -> builder().flowInput("x", image(1, 5, 4)).add("haar", new HaarDownsampling()))
                .hasMessageContaining("HaarDownsampling 'haar'")
                .hasMessageContaining("even height and width")
                .hasMessageContaining("got 1x5x4");
    }

    @Test
    void splitLargerThanTheChannels() {
        assertThatThrownBy(() -> builder().flowInput("x", image(4, 2, 2)).split("split", 4))
                .hasMessageContaining("ChannelSplit 'split")
                .hasMessageContaining("needs 0 < k < channels")
                .hasMessageContaining("4x2x2 has 4 channels");
    }

    @Test
    void imageConditionOfTheWrongSpatialSize() {
        assertThatThrownBy(() -> builder().flowInput("x", image(2, 4, 4))
                .add("cc", AffineCoupling.builder().subnet(Subnet.convolutional(3, 4)).imageCondition(3, 2, 2).build(),
                        "x"))
                .hasMessageContaining("AffineCoupling 'cc'")
                .hasMessageContaining("spatial size 4x4")
                .hasMessageContaining("got 3x2x2");
    }

    @Test
    void convolutionalSubnetOnAVectorStage() {
        assertThatThrownBy(() -> builder().flowInput("x", vector(8))
                .add("cc", AffineCoupling.builder().subnet(Subnet.convolutional(3, 4)).build()))
                .hasMessageContaining("AffineCoupling 'cc'")
                .hasMessageContaining("needs an image input, got vector [8]");
    }

    @Test
    void wrongConditionShapeForDecoding() {
        ComputationGraph g = vectorGraph();
        assertThatThrownBy(() -> CinnInverse.of(g).decode(Nd4j.rand(DataType.FLOAT, 4, 6),
                Map.of("c", Nd4j.rand(DataType.FLOAT, 4))))
                .hasMessageContaining("condition 'c' of block 'cc' expected [4, 3]")
                .hasMessageContaining("got [4]");
    }

    @Test
    void wrongLatentWidthForDecoding() {
        ComputationGraph g = vectorGraph();
        assertThatThrownBy(() -> CinnInverse.of(g).decode(Nd4j.rand(DataType.FLOAT, 2, 5),
                Map.of("c", Nd4j.rand(DataType.FLOAT, 2, 3))))
                .hasMessageContaining("z expected [N, 6], got [2, 5]");
    }
}
