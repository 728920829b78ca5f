package io.github.dl4jcinn.zoo.conditioning;

import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every backbone truncation builds from the zoo network and runs forward at a small size on a 1-channel input. */
class BackbonesTest {

    @Test
    void vgg16IsCutAfterBlock3WithAOneChannelFirstConvolution() {
        Backbone b = Backbones.vgg16(new Backbones.Options().input("L", 1, 32, 32).widthFraction(0.125));

        assertThat(b.outputs()).containsExactly(FeatureMap.image("8", 32, 8, 8));
        ComputationGraph g = b.graph();
        assertThat(g.getConfiguration().getNetworkInputs()).containsExactly("L");
        assertThat(g.getConfiguration().getVertices().keySet()).doesNotContain("9", "12", "18", "20");
        assertThat(((ConvolutionLayer) g.getLayer("0").conf().getLayer()).getNIn()).isEqualTo(1);
        INDArray[] out = g.output(Nd4j.rand(2, 1, 32, 32));
        assertThat(out).hasSize(1);
        assertThat(out[0].shape()).containsExactly(2, 32, 8, 8);
    }

    @Test
    void fullWidthVgg16HasThe256MapsOfThePaper() {
        Backbone b = Backbones.vgg16(new Backbones.Options().input("L", 1, 16, 16));
        assertThat(b.deepest()).isEqualTo(FeatureMap.image("8", 256, 4, 4));
        // block 1-3 of VGG16 with a 1-channel first convolution
        assertThat(b.graph().numParams()).isEqualTo(1_735_488L - 2 * 64 * 9);
    }

    @ParameterizedTest
    @EnumSource(ResNetStage.class)
    void resnet50IsCutPerStageIntoAPyramid(ResNetStage stage) {
        Backbone b = Backbones.resnet50(stage, new Backbones.Options().input("L", 1, 32, 32));

        List<FeatureMap> outs = b.outputs();
        int expected = stage.ordinal() + 1 + (stage == ResNetStage.STAGE5 ? 1 : 0);
        assertThat(outs).hasSize(expected);
        for (ResNetStage s : ResNetStage.values()) {
            if (s.ordinal() <= stage.ordinal()) {
                int side = Math.max(1, 32 / s.stride());
                assertThat(outs.get(s.ordinal())).isEqualTo(FeatureMap.image(s.vertex(), s.channels(), side, side));
            }
        }
        if (stage == ResNetStage.STAGE5) {
            assertThat(outs.get(outs.size() - 1)).isEqualTo(FeatureMap.vector(Backbones.RESNET50_GLOBAL_POOL, 2048));
        }
        assertThat(b.graph().getConfiguration().getVertices().keySet()).doesNotContain("avgpool", "output");
        INDArray[] out = b.graph().output(Nd4j.rand(2, 1, 32, 32));
        assertThat(out).hasSize(expected);
        for (int i = 0; i < expected; i++) {
            FeatureMap f = outs.get(i);
            if (f.vector()) {
                assertThat(out[i].shape()).containsExactly(2, f.channels());
            } else {
                assertThat(out[i].shape()).containsExactly(2, f.channels(), f.height(), f.width());
            }
        }
    }

    @Test
    void resnet50RunsAtSixtyFourPixelsWhereTheZooModelCannotInitialise() {
        Backbone b = Backbones.resnet50(ResNetStage.STAGE5, new Backbones.Options().input("y", 3, 64, 64));
        assertThat(b.outputs().get(0)).isEqualTo(FeatureMap.image("stem-maxpool1", 64, 16, 16));
        assertThat(b.output("res5c_branch")).isEqualTo(FeatureMap.image("res5c_branch", 2048, 1, 1));
        assertThat(b.graph().output(Nd4j.rand(1, 3, 64, 64))[5].shape()).containsExactly(1, 2048);
    }

    @Test
    void frozenBackboneIsMadeOfFrozenLayers() {
        Backbone b = Backbones.vgg16(new Backbones.Options().input("L", 1, 16, 16).widthFraction(0.125)
                .frozen(true));
        for (String layer : b.layerNames()) {
            assertThat(b.graph().getLayer(layer)).as(layer).isInstanceOf(org.deeplearning4j.nn.layers.FrozenLayer.class);
            assertThat(((org.deeplearning4j.nn.conf.graph.LayerVertex) b.graph().getConfiguration().getVertices()
                    .get(layer)).getLayerConf().getLayer()).as(layer).isInstanceOf(FrozenLayer.class);
        }
    }
}
